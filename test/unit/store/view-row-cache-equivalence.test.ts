/**
 * Recall's in-memory copy of the view answers exactly what SQL answers: a
 * RecallStore reading through the copy and one keeping nothing, over the same
 * database, agree after any sequence of projection writes (chain heads,
 * liveness, triple verdicts) interleaved with the reads that fill the copy.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { useTempDatabase } from "../../helpers/temp-database.js";
import { FactStore, type NewFact } from "../../../src/store/fact-store.js";
import { RecallStore } from "../../../src/store/recall-store.js";
import type { ViewFilter } from "../../../src/store/view-filter.js";
import { ViewRowCache } from "../../../src/store/view-row-cache.js";
import { ViewSignal } from "../../../src/store/view-signal.js";
import type { ReadPolicy } from "../../../src/node/access/read-policy.js";
import { readCondition } from "../../../src/node/access/read-rules.js";

const ENTITIES = ["e:a", "e:b", "e:c"];
const RELATIONS = ["memory:role", "memory:team"];
const SCOPES = ["company", "public"];
const SOURCES = ["agent:x", "agent:y"];
const NOW = 1_900_000_000_000;
const OWN = "stigmem:node:own";

const write = fc.record({
  /** A new fact heading its chain, a triple's verdict alone, or an earlier head taken out of the view alone. */
  kind: fc.constantFrom("fact", "fact", "verdict", "kill"),
  entity: fc.constantFrom(...ENTITIES),
  relation: fc.constantFrom(...RELATIONS),
  scope: fc.constantFrom(...SCOPES),
  source: fc.constantFrom(...SOURCES),
  confidence: fc.constantFrom(0, 0.05, 0.5, 1),
  expiry: fc.constantFrom(null, NOW - 1, NOW + 1),
  garden: fc.boolean(),
  quarantined: fc.boolean(),
  instruction: fc.boolean(),
  contradicted: fc.boolean(),
});

const view = fc.record({
  scope: fc.constantFrom(...SCOPES),
  minConfidence: fc.constantFrom(0, 0.1, 0.6),
  entity: fc.constantFrom(...ENTITIES),
  relation: fc.constantFrom(undefined, ...RELATIONS),
  contentOnly: fc.boolean(),
  limit: fc.integer({ min: 0, max: 12 }),
  /** The reader: key scopes (null = all) and whether it reads gardens (a node admin). */
  scopes: fc.constantFrom(null, ["company"], ["public"], ["company", "public"], []),
  gardens: fc.constantFrom<ReadPolicy["gardens"]>("all", [], ["g:one"]),
});

describe("recall's copy of the view", () => {
  const database = useTempDatabase("stigmem-view-copy");

  it("answers viewRows and entityScoringRows as SQL does, through any writes", () => {
    const db = database();
    let seq = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(write, view), { minLength: 1, maxLength: 25 }), (steps) => {
        const cache = new ViewRowCache();
        const signal = new ViewSignal();
        signal.onChange((change) => (change === null ? cache.clear() : cache.invalidate(change.entity)));
        const facts = new FactStore(db, signal);
        const copy = new RecallStore(db, cache, signal);
        const sql = new RecallStore(db, new ViewRowCache(0), signal);
        const rowids: number[] = [];
        const entityOf: string[] = [];
        const scopeOf: string[] = [];
        db.exec("BEGIN");
        try {
          for (const [w, v] of steps) {
            seq++;
            const fact: NewFact = {
              id: `f-${seq}`,
              entity: w.entity,
              relation: w.relation,
              value_type: "string",
              value_v: `v${seq}`,
              interpret_as: w.instruction ? "instruction" : "content",
              source: w.source,
              confidence: w.confidence,
              scope: w.scope,
              garden_id: w.garden ? "g:one" : null,
              valid_until: w.expiry === null ? null : new Date(w.expiry).toISOString(),
              valid_until_ms: w.expiry,
              timestamp: "2026-01-01T00:00:00.000000+00:00",
              hlc_w: seq,
              hlc_c: 0,
              origin_hlc_w: seq,
              origin_hlc_c: 0,
              origin_node_id: null,
              received_from: null,
              actor: w.source,
              cid: `sha256:${String(seq).padStart(64, "0")}`,
              supersedes: null,
              write_mode: null,
              derived_from: null,
              quarantine: w.quarantined ? "pending" : null,
            };
            if (w.kind === "fact" || rowids.length === 0) {
              const rowid = facts.insert(fact);
              rowids.push(rowid);
              entityOf.push(w.entity);
              scopeOf.push(w.scope);
              facts.setHead({ ...fact, head_rowid: rowid, live: w.confidence > 0, value_key: fact.value_v });
            } else if (w.kind === "verdict") {
              facts.setTriple(w.entity, w.relation, w.scope, w.contradicted, null, null);
            } else {
              const k = seq % rowids.length;
              facts.markHeadDead({ rowid: rowids[k]!, entity: entityOf[k]!, scope: scopeOf[k]! });
            }

            const policy: ReadPolicy = { actor: "t", keyId: null, scopes: v.scopes, gardens: v.gardens };
            const readable = readCondition(policy, {
              kind: "current",
              nowMs: NOW,
              includeContradicted: true,
              minConfidence: v.minConfidence,
              contentOnly: v.contentOnly,
            });
            const filter: ViewFilter = { scope: v.scope, readable, relation: v.relation };
            const byRowid = (a: { rowid: number }, b: { rowid: number }) => a.rowid - b.rowid;
            expect(copy.viewRows(rowids, filter).sort(byRowid)).toEqual(sql.viewRows(rowids, filter).sort(byRowid));
            const entityView = { ...filter, entity: v.entity };
            expect(copy.entityScoringRows(entityView, OWN, v.limit)).toEqual(sql.entityScoringRows(entityView, OWN, v.limit));
          }
        } finally {
          db.exec("ROLLBACK");
        }
      }),
      { numRuns: 150 },
    );
  });
});
