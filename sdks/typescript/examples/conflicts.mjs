// examples/conflicts.mjs — two sources disagree; a person settles it.
import assert from "node:assert/strict";
import { createClient, value } from "@stigmem/sdk";

const client = createClient({
  baseUrl: process.env.STIGMEM_URL ?? "http://127.0.0.1:8765",
  apiKey: process.env.STIGMEM_API_KEY,
  transport: process.env.STIGMEM_TRANSPORT ?? "connect",
});

const entity = `project:atlas-${Date.now()}`;
const a = await client.facts.assert({ entity, relation: "roadmap:launch", value: value.datetime("2027-03-01T00:00:00Z"), source: "agent:planner" });
await client.facts.assert({ entity, relation: "roadmap:launch", value: value.datetime("2027-06-01T00:00:00Z"), source: "agent:finance" });

const { conflicts } = await client.conflicts.list({ status: "unresolved" });
const conflict = conflicts.find((c) => c.entity === entity);
assert.ok(conflict);
console.log(`conflict ${conflict.conflictId}: ${conflict.factA.value.v} vs ${conflict.factB.value.v}`);

const { resolutionFactId } = await client.conflicts.resolve(conflict.conflictId, { winningFactId: a.fact.id, note: "board decision" });
const current = await client.facts.query({ entity, relation: "roadmap:launch" });
assert.equal(current.facts[0].id, resolutionFactId);
console.log(`resolved: launch ${current.facts[0].value.v}`);
