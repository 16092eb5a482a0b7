/**
 * Recall's stages one by one (src/node/recall/: structure, candidates,
 * signals, fuse, diversify, pack, verify, respond), each called on a real node's
 * store with the caller's view, lexical and graph only (no embedder) so
 * that what each stage decides is exact; and the end-to-end answer to a
 * question that lists a relation, over REST and Connect.
 */
import { createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RecallService } from "../../gen/proto/stigmem/v1/recall_pb.js";
import { sharedPolicy } from "../../src/node/access/read-policy.js";
import { readCondition } from "../../src/node/access/read-rules.js";
import { gatherCandidates } from "../../src/node/recall/candidates.js";
import { Diversifier, distinctFirst } from "../../src/node/recall/diversify.js";
import { byScore, fuseCandidates } from "../../src/node/recall/fuse.js";
import { lexicalChannel } from "../../src/node/recall/lexical-channel.js";
import { packItems } from "../../src/node/recall/pack.js";
import type { RecallContext } from "../../src/node/recall/recall-context.js";
import { parseRecallParams } from "../../src/node/recall/recall-params.js";
import { RecallClock } from "../../src/node/recall/recall-timing.js";
import { recallAnswer } from "../../src/node/recall/respond.js";
import { candidateSignals } from "../../src/node/recall/signals.js";
import { settleStructure, understandQuery } from "../../src/node/recall/structure.js";
import { packVerified } from "../../src/node/recall/verify.js";
import { factPutter } from "../helpers/put-fact.js";
import { RestClient } from "../helpers/rest-client.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

const M = "stigmem://mhn";
const S = `${M}/agent/cmdb`;
let node: TestNode;
let api: RestClient;
const put = factPutter(() => api, S);
const ref = (path: string) => ({ type: "ref", v: `${M}/${path}` });

function context(query: string, body: Record<string, unknown> = {}): RecallContext {
  const params = parseRecallParams({ query, scope: "company", ...body });
  const now = Date.now();
  const readable = readCondition(sharedPolicy("test:reader", ["company"]), { kind: "current", nowMs: now, includeContradicted: true, minConfidence: 0.1 });
  return { node: node.node, params, now, view: { scope: "company", readable, entity: params.entity, relation: params.relation } };
}

/** The stages up to fuse, best first. */
function ranked(query: string, body: Record<string, unknown> = {}) {
  const ctx = context(query, body);
  const structure = settleStructure(understandQuery(ctx), null);
  const cands = gatherCandidates(ctx, structure, lexicalChannel(ctx.node, ctx.params, ctx.view), null);
  const signals = candidateSignals(ctx, structure, cands, null, false);
  const items = fuseCandidates(ctx, cands.list, signals, false).sort(byScore);
  return { ctx, structure, cands, items };
}

const short = (uri: string) => uri.slice(M.length + 1);

beforeAll(async () => {
  node = await startTestNode({ env: { STIGMEM_EMBEDDER: "none" } });
  api = new RestClient(node.url);
  await put(`${M}/svc/pay-gw`, "display_name", "PayStream");
  await put(`${M}/svc/pay-gw`, "svc_owner", ref("dept/fin"));
  await put(`${M}/svc/pay-gw`, "has-oncall", ref("staff/tom"));
  await put(`${M}/svc/pay-gw`, "infra:runs_on", "PostgreSQL 15");
  await put(`${M}/svc/lis`, "has-oncall", ref("staff/pedro"));
  await put(`${M}/svc/lis`, "infra:runs_on", "PostgreSQL 15");
  await put(`${M}/svc/ehr`, "has-oncall", ref("staff/tom"));
  await put(`${M}/svc/ehr`, "infra:runs_on", "Oracle Database 19c");
  await put(`${M}/staff/tom`, "hr:full_name", "Thomas Reddy");
  await put(`${M}/staff/tom`, "hr:aka", "Tom");
  await put(`${M}/staff/tom`, "contact:ext", "x2362");
  await put(`${M}/staff/pedro`, "hr:full_name", "Pedro Alves");
  await put(`${M}/staff/pedro`, "contact:ext", "x6650");
  await put(`${M}/inc/inc-0874`, "inc:affected", ref("svc/ehr"));
  await put(`${M}/inc/inc-0874`, "inc:severity", "SEV1");
  // A reified rota named after the system it is about.
  await put(`${M}/rota/lis`, "rel:object", ref("svc/lis"));
  // Another scope's on-call fact, never to be read by a company recall.
  await put(`${M}/svc/secret`, "has-oncall", ref("staff/tom"), { scope: "team" });
});
afterAll(async () => {
  await node.stop();
});

describe("structure", () => {
  it("links an abbreviated id, an initialism and an alias, and asks for the store's relations", () => {
    const s = understandQuery(context("who owns the payment gateway"));
    expect([...s.named].map(short)).toEqual(["svc/pay-gw"]);
    expect(s.intent.asked("svc_owner").score).toBeGreaterThan(0.6);
    expect([...understandQuery(context("who is on call for the laboratory information system")).named].map(short)).toEqual(["svc/lis"]);
    expect([...understandQuery(context("what is Tom's extension")).named].map(short)).toEqual(["staff/tom"]);
  });
  it("names the entity, not the satellite named after it that points to it", () => {
    expect([...understandQuery(context("what does lis run on")).named].map(short)).toEqual(["svc/lis"]);
  });
  it("knows the scope's relations by what they hold", () => {
    const s = understandQuery(context("anything"));
    expect(s.relations.present()).toContain("has-oncall");
    expect(s.relations.present()).not.toContain("nope");
    expect(s.relations.profile("infra:runs_on")!.kinds.get("svc")).toBe(1);
    expect(s.relations.profile("has-oncall")!.refKinds.get("staff")).toBe(1);
    expect([...s.relations.nameRelations()].sort()).toEqual(["display_name", "hr:aka", "hr:full_name"]);
    // Who is on call: people, whose stated names are no common word.
    expect(s.relations.profile("has-oncall")!.refNameWords).toEqual([]);
  });
  it("learns a relation written after it last looked (the scope's relations are kept until a commit)", async () => {
    expect(understandQuery(context("anything")).relations.present()).not.toContain("svc_pager");
    expect(understandQuery(context("anything")).relations.index()).toBe(understandQuery(context("anything else")).relations.index());
    await put(`${M}/svc/lis`, "svc_pager", "ext 4411");
    const after = understandQuery(context("anything")).relations;
    expect(after.present()).toContain("svc_pager");
    expect(after.index().relations).toContain("svc_pager");
  });
});

describe("candidates", () => {
  it("reads a relation asked with no entity named, bounded by the limit, from the caller's view only", () => {
    const { cands } = ranked("who is on call?");
    expect([...cands.listed]).toEqual(["has-oncall"]);
    const oncall = cands.list.filter((c) => c.row.relation === "has-oncall").map((c) => short(c.row.entity));
    expect(oncall.sort()).toEqual(["svc/ehr", "svc/lis", "svc/pay-gw"]);
    expect(ranked("who is on call?", { limit: 2 }).cands.list.filter((c) => c.row.relation === "has-oncall")).toHaveLength(2);
  });
  it("lists nothing for a question mostly about things no relation holds", () => {
    expect(ranked("how many calories are in an avocado").cands.listed.size).toBe(0);
  });
  it("steps from a named entity over any edge to the neighbour holding the asked relation", () => {
    const { items } = ranked("what does the system hit by INC-0874 run on?");
    expect(`${short(items[0]!.entity)} ${items[0]!.relation}`).toBe("svc/ehr infra:runs_on");
  });
});

describe("signals and fuse", () => {
  it("scores a fact of the asked relation above facts merely sharing words, and puts the answer first", () => {
    const { items } = ranked("who is on call for the payment gateway?");
    expect(`${short(items[0]!.entity)} ${items[0]!.relation}`).toBe("svc/pay-gw has-oncall");
    expect(items[0]!.signals.lexical).toBeGreaterThan(items.find((i) => i.relation === "display_name")!.signals.lexical);
  });
  it("gives a candidate the lexical channel did not find the share of the question's words it holds", () => {
    const { cands, structure, ctx } = ranked("pedro extension x6650");
    const signals = candidateSignals(ctx, structure, cands, null, false);
    cands.list.forEach((c, i) => {
      expect(signals[i]!.lexical).toBeGreaterThanOrEqual(0);
      expect(signals[i]!.lexical).toBeLessThanOrEqual(1);
    });
  });
});

describe("diversify and pack", () => {
  it("leads with one item per distinct value of a listed relation, with the group's size", () => {
    const { items, cands } = ranked("what do the systems run on?");
    expect([...cands.listed]).toEqual(["infra:runs_on"]);
    const { lead, later } = distinctFirst(items, cands.listed);
    const values = lead.filter((i) => i.relation === "infra:runs_on").map((i) => i.row!.value_v);
    expect(new Set(values).size).toBe(values.length);
    expect(later.map((i) => i.row!.value_v)).toEqual(["PostgreSQL 15"]);
    expect(lead.find((i) => i.row!.value_v === "PostgreSQL 15")!.sameValue).toBe(2);
  });
  it("finds two facts of a named entity barely alike, of another entity by their triple", () => {
    const { items, structure } = ranked("pay gw owner and on call");
    const sim = new Diversifier(node.node).prepare(items, 0.7, structure.named);
    const a = items.findIndex((i) => i.relation === "svc_owner");
    const b = items.findIndex((i) => short(i.entity) === "svc/pay-gw" && i.relation === "has-oncall");
    expect(sim(a, b)).toBeLessThan(0.5);
  });
  it("packs within the budget, skipping what does not fit", () => {
    const { items } = ranked("who is on call?");
    const budget = items[0]!.tokens + 1;
    const p = packItems(items, budget, 1, () => 0);
    expect(p.tokensUsed).toBeLessThanOrEqual(budget);
    expect(p.packed[0]).toBe(items[0]);
    expect(p.truncated).toBe(true);
  });
});

describe("verify", () => {
  it("serves every packed fact read in full and checked against its CID", () => {
    const { ctx, items, cands, structure } = ranked("who is on call?");
    const result = packVerified(ctx, sharedPolicy("test:reader", ["company"]), items, new Diversifier(node.node), new RecallClock(), {
      named: structure.named,
      listed: cands.listed,
    });
    expect(result.degraded).toBe(false);
    for (const i of result.packed.packed) expect(result.served.get(i.row!.rowid)!.entity).toBe(i.entity);
  });
});

describe("respond", () => {
  it("answers the packed items in order with their accounting, an unknown signal as 0 and a listed value's count", () => {
    const { ctx, items, cands, structure } = ranked("who is on call?");
    const result = packVerified(ctx, sharedPolicy("test:reader", ["company"]), items, new Diversifier(node.node), new RecallClock(), {
      named: structure.named,
      listed: cands.listed,
    });
    const first = result.packed.packed[0]!;
    first.signals = { ...first.signals, semantic: Number.NaN };
    const answer = recallAnswer(node.node, "who is on call?", 4000, result, null, ctx.now);
    expect(answer.facts.map((f) => `${f.fact.entity} ${f.fact.relation}`)).toEqual(result.packed.packed.map((i) => `${i.entity} ${i.relation}`));
    expect(answer.totalScored).toBe(result.items.length);
    expect(answer.tokensUsed).toBe(answer.facts.reduce((n, f) => n + f.tokenEstimate, 0));
    expect(answer.facts[0]!.breakdown.semantic).toBe(0);
    expect(answer.facts.every((f) => f.breakdown.weightedTotal === f.score)).toBe(true);
    const counted = answer.facts.filter((f) => f.sameValueCount !== undefined).map((f) => [short(f.fact.value.text), f.sameValueCount]);
    expect(counted).toEqual([["staff/tom", 2]]);
  });
});

describe("a question listing a relation, end to end", () => {
  it("answers every on-call fact of the caller's scope, distinct values first, with their count", async () => {
    const res = await api.post("/v1/recall", { query: "who is on call?", scope: "company" });
    expect(res.status).toBe(200);
    const oncall = res.body.facts.filter((f: any) => f.fact.relation === "has-oncall");
    expect(oncall.map((f: any) => short(f.fact.entity)).sort()).toEqual(["svc/ehr", "svc/lis", "svc/pay-gw"]);
    // Tom is on call twice: his first fact leads with the count, the copy comes after Pedro's.
    const values = oncall.map((f: any) => short(f.fact.value.v));
    expect(values.indexOf("staff/pedro")).toBeLessThan(values.lastIndexOf("staff/tom"));
    expect(oncall.map((f: any) => f.same_value_count)).toEqual(values.map((v: string, i: number) => (v === "staff/tom" && i === values.indexOf(v) ? 2 : undefined)));
    expect(res.body.facts.every((f: any) => f.fact.scope === "company")).toBe(true);
  });
  it("gives the same count over Connect", async () => {
    const client = createClient(RecallService, createConnectTransport({ baseUrl: node.url, httpVersion: "2", useBinaryFormat: true }));
    const res = await client.recall({ query: "who is on call?", scope: "company" });
    const counted = res.facts.filter((f) => f.sameValueCount !== undefined).map((f) => [short(f.fact!.value!.v.value as string), f.sameValueCount]);
    expect(counted).toEqual([["staff/tom", 2]]);
  });
});
