/**
 * The read rules' two renderings select the same facts. Random facts (scopes,
 * gardens, quarantine, expiry, retraction, contradiction, overruling) go into
 * a real database through the store's writers; for random policies and view
 * options, the listing SQL (store/fact-query.ts, current view and history)
 * must return exactly the facts that the JavaScript predicate keeps over
 * rows whose attributes are derived here, in JavaScript, from the raw
 * tables — so a wrong column map, a wrong renderer or a wrong evaluator
 * each makes this fail. The seed is fast-check's, or FC_SEED.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { FactAttribute } from "../../../src/core/access/condition.js";
import { compilePredicate } from "../../../src/core/access/condition-js.js";
import type { ReadPolicy } from "../../../src/node/access/read-policy.js";
import { peerPolicy } from "../../../src/node/access/read-policy.js";
import { feedCondition, readCondition, type ViewOptions } from "../../../src/node/access/read-rules.js";
import { queryFacts } from "../../../src/store/fact-query.js";
import { FactStore, type NewFact } from "../../../src/store/fact-store.js";
import { useTempDatabase } from "../../helpers/temp-database.js";

const SCOPES = ["local", "team", "company", "public"] as const;
const GARDENS = ["stigmem://n/garden/a", "stigmem://n/garden/b"];
const NOW = 1_900_000_000_000;

const factArb = fc.record({
  // Few triples, so that chains meet and contradict.
  entity: fc.constantFrom("e:1", "e:1", "e:2"),
  relation: fc.constantFrom("r:1", "r:1", "stigmem:sys"),
  source: fc.constantFrom("s:1", "s:2", "s:3"),
  scope: fc.constantFrom("company", "company", ...SCOPES),
  value: fc.constantFrom("x", "y"),
  confidence: fc.constantFrom(0, 0.05, 0.5, 1, 1, 1),
  garden: fc.constantFrom(null, ...GARDENS),
  quarantine: fc.constantFrom(null, null, "pending"),
  expiry: fc.constantFrom(null, null, null, NOW - 1, NOW, NOW + 1),
  instruction: fc.boolean(),
  /** Becomes its chain's head, or stays a superseded row. */
  head: fc.constantFrom(true, true, false),
  overruled: fc.constantFrom(false, false, false, true),
  /** Sent by a peer (the feed never relays it). */
  receivedFrom: fc.constantFrom(null, null, "stigmem:node:peer"),
  derivedFrom: fc.constantFrom(null, null, '[{"fact_id":"x"}]'),
});

const policyArb = fc.record({
  scopes: fc.constantFrom(null, [], ["company"], ["company", "public"], ["local", "team", "company", "public"]),
  gardens: fc.constantFrom<ReadPolicy["gardens"]>("all", [], [GARDENS[0]!]),
});

const viewArb = fc.record({
  kind: fc.constantFrom<ViewOptions["kind"]>("current", "history"),
  includeExpired: fc.boolean(),
  includeContradicted: fc.boolean(),
  minConfidence: fc.constantFrom(0, 0.1, 0.5),
  contentOnly: fc.boolean(),
});

/** Every stored fact with its attributes computed here from the raw tables. */
function attributeRows(db: ReturnType<ReturnType<typeof useTempDatabase>>) {
  const heads = new Map(
    (db.prepare("SELECT head_rowid, live, value_key FROM fact_heads").all() as { head_rowid: number; live: number; value_key: string }[]).map(
      (h) => [h.head_rowid, h],
    ),
  );
  const triples = new Map(
    (db.prepare("SELECT entity, relation, scope, contradicted, winner_key FROM fact_triples").all() as {
      entity: string;
      relation: string;
      scope: string;
      contradicted: number;
      winner_key: string | null;
    }[]).map((t) => [`${t.entity}|${t.relation}|${t.scope}`, t]),
  );
  const facts = db.prepare("SELECT * FROM facts").all() as (NewFact & { rowid: number })[];
  return facts.map((f) => {
    const head = heads.get(f.rowid);
    const triple = triples.get(`${f.entity}|${f.relation}|${f.scope}`);
    const attrs: Record<FactAttribute, string | number | boolean | null> = {
      entity: f.entity,
      relation: f.relation,
      source: f.source,
      scope: f.scope,
      garden_id: f.garden_id,
      quarantine: f.quarantine,
      confidence: f.confidence,
      valid_until_ms: f.valid_until_ms,
      interpret_as: f.interpret_as,
      received_from: f.received_from,
      derived_from: f.derived_from,
      is_head: head !== undefined,
      head_live: head === undefined ? null : head.live === 1,
      // No verdict row: uncontradicted. A fact that is no head has no value key to compare.
      winner: triple === undefined || triple.contradicted !== 1 ? true : head === undefined ? null : head.value_key === triple.winner_key,
    };
    return { id: f.id, attrs };
  });
}

describe("the read rules", () => {
  const database = useTempDatabase("stigmem-read-rules");

  it("select the same facts in SQL and in JavaScript, for any facts, policy and view", () => {
    const db = database();
    let seq = 0;
    fc.assert(
      fc.property(fc.array(factArb, { minLength: 8, maxLength: 40 }), fc.array(fc.tuple(policyArb, viewArb), { minLength: 1, maxLength: 8 }), (facts, reads) => {
        const store = new FactStore(db);
        db.exec("BEGIN");
        try {
          for (const w of facts) {
            seq++;
            const row: NewFact = {
              id: `f-${seq}`,
              entity: w.entity,
              relation: w.relation,
              value_type: "string",
              value_v: w.value,
              interpret_as: w.instruction ? "instruction" : "content",
              source: w.source,
              confidence: w.confidence,
              scope: w.scope,
              garden_id: w.garden,
              valid_until: w.expiry === null ? null : new Date(w.expiry).toISOString(),
              valid_until_ms: w.expiry,
              timestamp: "2026-01-01T00:00:00.000000+00:00",
              hlc_w: seq,
              hlc_c: 0,
              origin_hlc_w: seq,
              origin_hlc_c: 0,
              origin_node_id: null,
              received_from: w.receivedFrom,
              actor: w.source,
              cid: `sha256:${String(seq).padStart(64, "0")}`,
              supersedes: null,
              write_mode: null,
              derived_from: w.derivedFrom,
              quarantine: w.quarantine,
            };
            const rowid = store.insert(row);
            if (w.head) {
              store.setHead({ ...row, head_rowid: rowid, live: w.confidence > 0, value_key: `string:${w.value}` });
              // A verdict over whatever heads the triple has, contradicted when its live values differ.
              const live = store.liveHeads(w.entity, w.relation, w.scope, NOW);
              const values = new Set(live.map((h) => `string:${h.value_v}`));
              store.setTriple(w.entity, w.relation, w.scope, values.size > 1, values.size > 1 ? `string:${w.value}` : null, null);
              if (w.overruled) {
                store.markHeadDead({ rowid, entity: w.entity, scope: w.scope });
                store.overrule(rowid, "c", "r");
              }
            }
          }
          const rows = attributeRows(db);
          for (const [p, v] of reads) {
            const policy: ReadPolicy = { actor: "t", keyId: null, scopes: p.scopes, gardens: p.gardens };
            const cond = readCondition(policy, { ...v, nowMs: NOW });
            const viaSql = queryFacts(store, { view: v.kind, where: cond }, { order: "desc", limit: 10_000 });
            const keep = compilePredicate(cond, (r: (typeof rows)[number], attr) => r.attrs[attr]);
            // The current view lists chain heads only: that is its table, not a rule.
            const viaJs = rows.filter((r) => (v.kind === "history" || r.attrs.is_head === true) && keep(r));
            expect(viaSql.rows.map((r) => r.id).sort()).toEqual(viaJs.map((r) => r.id).sort());
            expect(viaSql.total).toBe(viaJs.length);
            // The federation feed's rules (a peer policy) over the same facts, both renderings.
            const served = (p.scopes ?? SCOPES).filter((x) => x !== "local");
            const feed = feedCondition(peerPolicy("stigmem:node:peer", served), { reference: v.contentOnly });
            const feedSql = queryFacts(store, { view: "history", where: feed }, { order: "desc", limit: 10_000 });
            const feedKeep = compilePredicate(feed, (r: (typeof rows)[number], attr) => r.attrs[attr]);
            expect(feedSql.rows.map((r) => r.id).sort()).toEqual(rows.filter(feedKeep).map((r) => r.id).sort());
          }
        } finally {
          db.exec("ROLLBACK");
        }
      }),
      { numRuns: 200, seed: process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED) },
    );
  });
});
