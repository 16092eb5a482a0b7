// examples/verify.mjs — check what the node says with the node's own hashing rules, locally.
import assert from "node:assert/strict";
import { computeFactCid, createClient, value, verifyChainProof, verifyFactCid } from "@stigmem/sdk";

const client = createClient({
  baseUrl: process.env.STIGMEM_URL ?? "http://127.0.0.1:8765",
  apiKey: process.env.STIGMEM_API_KEY, // an admin key: the chain covers every scope
  transport: process.env.STIGMEM_TRANSPORT ?? "connect",
});

// A CID is known before the write, and checked after the read.
const input = { entity: "user:carol", relation: "memory:city", value: value.string("Zürich"), source: "agent:verify", scope: "local" };
const expected = computeFactCid(input);
const { fact } = await client.facts.assert(input);
assert.equal(fact.cid, expected);
assert.equal(verifyFactCid(fact).valid, true);
assert.equal(verifyFactCid({ ...fact, value: value.string("Zurich") }).valid, false);
console.log(`CID ${fact.cid} verified`);

// The node re-derives its whole fact chain; we re-derive it from the facts it covers.
const { chainProof } = await client.recall("carol", { verifyChain: true });
const chain = [];
for await (const f of client.facts.list({ includeSuperseded: true, order: "asc" })) {
  if (f.receivedFrom === null) chain.push(f); // the chain covers local writes only
}
const check = verifyChainProof(chainProof, chain);
assert.equal(check.valid, true);
console.log(`fact chain of ${chainProof.checkedEntries} links verified, head ${check.computedHead}`);
