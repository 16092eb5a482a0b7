/**
 * Recall's query understanding end to end (core/recall/query-intent.ts):
 * relation synonyms, named entities as graph seeds, multi-hop answers over
 * an asked-for edge, and unrelated questions scoring below the out-of-domain
 * threshold. Lexical and graph only (no embedder), so rankings are exact.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RELEVANCE_THRESHOLD } from "../../src/core/recall/scoring.js";
import { factPutter } from "../helpers/put-fact.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";
import { RestClient } from "../helpers/rest-client.js";

const A = "stigmem://acme";
const DANA = `${A}/person/dana`;
const LEO = `${A}/person/leo`;
const BILLING = `${A}/service/billing`;
const LEDGER = `${A}/service/ledger`;
const S = `${A}/agent/hr`;

let node: TestNode;
let api: RestClient;

const put = factPutter(() => api, S);

async function recall(query: string): Promise<any[]> {
  const res = await fetch(node.url + "/v1/recall", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ scope: "company", query }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as any).facts;
}

const top = (facts: any[]): string => `${facts[0].fact.entity} ${facts[0].fact.relation}`;

beforeAll(async () => {
  node = await startTestNode({ env: { STIGMEM_EMBEDDER: "none" } });
  api = new RestClient(node.url);
  await put(DANA, "memory:name", "Dana Okafor");
  await put(DANA, "memory:location", "Lisbon office, 2nd floor");
  await put(DANA, "memory:email", "dana@acme.example");
  await put(DANA, "rel:maintains", { type: "ref", v: BILLING });
  await put(DANA, "rel:manager", { type: "ref", v: LEO });
  await put(LEO, "memory:name", "Leo Fischer");
  await put(LEO, "memory:location", "Berlin office");
  await put(LEO, "rel:maintains", { type: "ref", v: LEDGER });
  await put(BILLING, "memory:name", "Billing service");
  await put(BILLING, "memory:description", "Generates invoices and collects payments");
  await put(BILLING, "rel:depends_on", { type: "ref", v: LEDGER });
  await put(LEDGER, "memory:name", "Ledger");
  await put(LEDGER, "memory:description", "Double-entry bookkeeping for every balance");
});
afterAll(async () => {
  await node.stop();
});

describe("recall query understanding", () => {
  it("matches a relation through a synonym of its name", async () => {
    expect(top(await recall("where is dana based these days?"))).toBe(`${DANA} memory:location`);
    expect(top(await recall("who is dana's boss"))).toBe(`${DANA} rel:manager`);
  });

  it("answers who-questions from the named entity's incoming edge", async () => {
    expect(top(await recall("who looks after the billing service"))).toBe(`${DANA} rel:maintains`);
  });

  it("answers a multi-hop question over an asked-for edge", async () => {
    const facts = await recall("where does the maintainer of billing sit?");
    expect(top(facts)).toBe(`${DANA} memory:location`);
    expect(facts[0].hop_distance).toBe(1);
    // Leo maintains something else: his location is not the answer.
    const leo = facts.findIndex((f: any) => f.fact.entity === LEO && f.fact.relation === "memory:location");
    expect(leo === -1 || leo > 0).toBe(true);
  });

  it("answers at the end of a chain rather than at its start (the named entity's own fact)", async () => {
    // Dana's own location also matches "where … based"; the question asks for her manager's.
    const facts = await recall("where is dana's manager based");
    expect(top(facts)).toBe(`${LEO} memory:location`);
    expect(facts[0].hop_distance).toBe(1);
    const own = facts.findIndex((f: any) => f.fact.entity === DANA && f.fact.relation === "memory:location");
    expect(own === -1 || facts[own].score < facts[0].score).toBe(true);
  });

  it("scores an unrelated question below the out-of-domain threshold", async () => {
    for (const q of ["best sourdough bread recipe", "who won the 2018 football world cup final"]) {
      const facts = await recall(q);
      expect(facts.length === 0 || facts[0].score < RELEVANCE_THRESHOLD, `${q}: ${facts[0]?.score}`).toBe(true);
    }
    expect((await recall("where is dana based"))[0].score).toBeGreaterThanOrEqual(RELEVANCE_THRESHOLD);
  });
});
