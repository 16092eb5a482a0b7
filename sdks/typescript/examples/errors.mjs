// examples/errors.mjs — one error class per kind of failure, the same code on every transport.
import assert from "node:assert/strict";
import { createClient, NotFoundError, ValidationError, AuthError, value } from "@stigmem/sdk";

const baseUrl = process.env.STIGMEM_URL ?? "http://127.0.0.1:8765";
const transport = process.env.STIGMEM_TRANSPORT ?? "connect";
const client = createClient({ baseUrl, apiKey: process.env.STIGMEM_API_KEY, transport });

try {
  await client.facts.get("00000000-0000-4000-8000-000000000000");
} catch (e) {
  assert.ok(e instanceof NotFoundError);
  console.log(`${e.name}: ${e.code} — ${e.message}`);
}

try {
  await client.facts.assert({ entity: "user:bob", relation: "memory:mood", value: value.string("fine"), source: "agent:me", confidence: 1.5 });
} catch (e) {
  assert.ok(e instanceof ValidationError);
  for (const f of e.fields) console.log(`${e.code}: ${f.field}: ${f.message}`);
}

try {
  await createClient({ baseUrl, transport }).me(); // no key
} catch (e) {
  assert.ok(e instanceof AuthError);
  console.log(`${e.name}: ${e.code}`);
}
