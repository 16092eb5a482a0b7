/**
 * The bulk build's chain heads (store/bulk-build.ts) follow the fact order
 * of core/fact-order.ts: for any facts of a triple — any arrival order, ties
 * on the origin HLC, origin nodes that UTF-16 and code points order
 * differently, local facts (ordered as this node's id) — the head of each
 * chain the SQL picks is the one `compareFacts` ranks greatest, live
 * exactly when its confidence is above 0.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import type { ExportedFact } from "../../../src/core/export/fact-line.js";
import { compareFacts } from "../../../src/core/fact-order.js";
import { BulkLoader } from "../../../src/store/bulk-load.js";
import { fcParams } from "../core/fc-params.js";

const NODE = "stigmem:node:self";
const ORIGINS = [null, "stigmem:node:a", "stigmem:node:\uFB01", "stigmem:node:\u{1F600}", "stigmem:node:\u00e9"] as const;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const factArb = fc.record({
  source: fc.constantFrom("agent:a", "agent:b", "agent:c"),
  wall: fc.integer({ min: 1, max: 4 }),
  counter: fc.integer({ min: 0, max: 2 }),
  origin: fc.constantFrom(...ORIGINS),
  cid: fc.stringMatching(/^[0-9a-f]{64}$/),
  confidence: fc.constantFrom(0, 0.5, 1),
});

type Draft = typeof factArb extends fc.Arbitrary<infer T> ? T : never;

function row(f: Draft, i: number): ExportedFact {
  return {
    rowid: i + 1,
    id: `id-${i}`,
    // Unique per fact (one fact, one CID here), with shared prefixes where the generator repeats itself.
    cid: `sha256:${f.cid.slice(0, 60)}${i.toString(16).padStart(4, "0")}`,
    entity: "user:x",
    relation: "memory:r",
    value_type: "string",
    value_v: `v${i}`,
    interpret_as: "content",
    source: f.source,
    confidence: f.confidence,
    scope: "company",
    garden_id: null,
    valid_until: null,
    valid_until_ms: null,
    timestamp: "2026-01-01T00:00:00.000000+00:00",
    hlc_w: 1000 + i,
    hlc_c: 0,
    origin_hlc_w: f.wall,
    origin_hlc_c: f.counter,
    origin_node_id: f.origin,
    received_from: f.origin === null ? null : f.origin,
    actor: f.origin === null ? "agent:w" : null,
    supersedes: null,
    write_mode: null,
    derived_from: null,
    quarantine: null,
  };
}

const key = (f: ExportedFact) => ({ origin_hlc: { wall: f.origin_hlc_w, counter: f.origin_hlc_c }, origin_node_id: f.origin_node_id ?? NODE, cid: f.cid });

describe("bulk build: chain heads", () => {
  it("picks each chain's ≺-greatest fact, whatever order the facts were stored in", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(factArb, { minLength: 1, maxLength: 12 }), async (drafts) => {
        const dir = mkdtempSync(path.join(os.tmpdir(), "stigmem-bulk-build-"));
        dirs.push(dir);
        const facts = drafts.map(row);
        const loader = await BulkLoader.open(path.join(dir, `s${n++}.db`));
        try {
          const state = loader.begin({
            phase: "loading",
            headerHash: "h",
            nodeId: NODE,
            offset: 0,
            line: 1,
            facts: facts.length,
            conflicts: 0,
            lastRowid: facts.length,
            lastSeq: 0,
            chainSeq: 0,
            chainHash: null,
            resumes: 0,
          });
          loader.commit(() => facts.forEach((f) => loader.rows.insertFact(f)), state);
          loader.build(state, NODE, Date.now(), (b) => {
            b.recreateIndexes(state.droppedIndexes);
            b.heads();
          });
          const heads = loader.factStore().tripleHeads("user:x", "memory:r", "company");
          const want = new Map<string, ExportedFact>();
          for (const f of facts) {
            const best = want.get(f.source);
            if (best === undefined || compareFacts(key(f), key(best)) > 0) want.set(f.source, f);
          }
          expect(Object.fromEntries(heads.map((h) => [h.source, [h.id, h.head_live]]))).toEqual(
            Object.fromEntries([...want].map(([s, f]) => [s, [f.id, f.confidence > 0 ? 1 : 0]])),
          );
        } finally {
          loader.close();
        }
      }),
      { ...fcParams, numRuns: 100 },
    );
  });
});
