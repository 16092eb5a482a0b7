// examples/quickstart.mjs — write a fact, read it back, find it again by recall.
import assert from "node:assert/strict";
import { createClient, value } from "@stigmem/sdk";

const client = createClient({
  baseUrl: process.env.STIGMEM_URL ?? "http://127.0.0.1:8765",
  apiKey: process.env.STIGMEM_API_KEY,
  transport: process.env.STIGMEM_TRANSPORT ?? "connect", // or "rest", "grpc", "grpc-web"
});

const { fact, deduplicated } = await client.facts.assert({
  entity: "user:alice",
  relation: "memory:role",
  value: value.string("engineer on the Atlas telescope"),
  source: "agent:quickstart",
  scope: "company",
});
console.log(`stored ${fact.cid} (deduplicated: ${deduplicated})`);

const again = await client.facts.get(fact.id);
assert.deepEqual(again, fact);

const page = await client.facts.query({ entity: "user:alice", scope: "company" });
console.log(`user:alice has ${page.total} current fact(s)`);

const recalled = await client.recall("who works on atlas?", { scope: "company", tokenBudget: 1000 });
const top = recalled.facts[0];
assert.equal(top?.fact.id, fact.id);
console.log(`recall: ${top.fact.entity} ${top.fact.relation} = ${top.fact.value.v} (score ${top.score.toFixed(3)})`);
