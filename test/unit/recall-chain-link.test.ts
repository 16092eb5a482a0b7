/**
 * The fact-chain link hash (core/fact-chain-hash, shared by the writer and
 * `Stigmem-Verify: full`) is the §11 hash: checked against a chain written by
 * the store itself and against contentHash on awkward text.
 */
import Database from "better-sqlite3";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contentHash } from "../../src/core/content-hash.js";
import { pyFloat } from "../../src/core/py-float-value.js";
import { chainLinkHash as linkHash } from "../../src/core/fact-chain-hash.js";
import { applyMigrations } from "../../src/store/migrate.js";
import { MIGRATIONS } from "../../src/store/migrations/index.js";
import { FactChain } from "../../src/store/fact-chain.js";
import type { ChainLinkRow } from "../../src/store/recall-chain-store.js";
import { fcParams } from "./core/fc-params.js";

function reference(link: ChainLinkRow, previous: string | null): string {
  const eventHash = contentHash({
    cid: link.cid,
    confidence: pyFloat(link.confidence),
    entity: link.entity,
    fact_id: link.id,
    relation: link.relation,
    scope: link.scope,
    source: link.source,
    tenant_id: "default",
    value_type: link.value_type,
    value_v: link.value_v,
  });
  return contentHash({ chain_seq: link.chain_seq, created_at: link.timestamp, event_hash: eventHash, fact_id: link.id, previous_hash: previous, tenant_id: "default" });
}

const link = (over: Partial<ChainLinkRow> = {}): ChainLinkRow => ({
  chain_seq: 1,
  chain_hash: Buffer.alloc(32),
  id: "00000000-0000-4000-8000-000000000001",
  cid: `sha256:${"a".repeat(64)}`,
  confidence: 1,
  entity: "user:alice",
  relation: "memory:role",
  scope: "company",
  source: "agent:x",
  value_type: "string",
  value_v: "CEO",
  timestamp: "2026-11-21T12:00:00.000000+00:00",
  ...over,
});

describe("linkHash", () => {
  it("equals the stored link of a chain written by FactChain", () => {
    const db = new Database(":memory:");
    applyMigrations(db, MIGRATIONS);
    const chain = new FactChain(db);
    const a = link({ id: "00000000-0000-4000-8000-00000000000a", value_v: "Zoë \"quoted\"\n\u0001", confidence: 1e-5 });
    const b = link({ id: "00000000-0000-4000-8000-00000000000b", chain_seq: 2, confidence: 0.9 });
    const first = chain.append({ ...a, rowid: 1 }, a.timestamp);
    const second = chain.append({ ...b, rowid: 2 }, b.timestamp);
    expect(linkHash(a, null)).toBe(first.chain_hash);
    expect(linkHash(b, first.chain_hash)).toBe(second.chain_hash);
    db.close();
  });

  it("matches contentHash for any text and confidence", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme" }),
        fc.string({ unit: "binary" }).filter((s) => !/[\uD800-\uDFFF]/.test(s)),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 2 ** 40 }),
        (entity, value, confidence, seq) => {
          const l = link({ entity, value_v: value, confidence, chain_seq: seq });
          expect(linkHash(l, null)).toBe(reference(l, null));
          expect(linkHash(l, `sha256:${"b".repeat(64)}`)).toBe(reference(l, `sha256:${"b".repeat(64)}`));
        },
      ),
      fcParams,
    );
  });
});
