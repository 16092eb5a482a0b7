/**
 * ftsTopSplit ranks the matches of the rare tokens by the whole query's bm25
 * and fills the rest of the window with the newest matches of the common
 * tokens alone: checked against FTS5 ranking the whole query.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { useTempDatabase } from "../../helpers/temp-database.js";
import { RecallStore } from "../../../src/store/recall-store.js";

const WORDS = ["alpha", "beta", "gamma", "delta", "service", "services", "team", "filler", "more", "words"];
const quoted = (tokens: readonly string[]) => tokens.map((t) => `"${t}"`).join(" OR ");

describe("RecallStore.ftsTopSplit", () => {
  const database = useTempDatabase("stigmem-fts-split");

  it("gives rare-token matches the whole query's bm25 and fills up with the newest common-only matches", () => {
    const db = database();
    const text = fc.array(fc.constantFrom(...WORDS), { maxLength: 6 }).map((w) => w.join(" "));
    let next = 1;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, text, text), { minLength: 1, maxLength: 30 }),
        fc.subarray(["alpha", "beta", "gamma"], { minLength: 1 }),
        fc.subarray(["servic", "team", "delta"], { minLength: 1 }),
        fc.integer({ min: 1, max: 40 }),
        (texts, sparse, dense, k) => {
          // External-content facts_fts: index rows directly under fresh rowids.
          const insert = db.prepare("INSERT INTO facts_fts (rowid, entity, relation, value_v) VALUES (?, ?, ?, ?)");
          for (const [entity, relation, value_v] of texts) insert.run(next++, entity, relation, value_v);
          const whole = new Map(
            (db.prepare(`SELECT rowid, bm25(facts_fts) FROM facts_fts WHERE facts_fts MATCH ?`).raw(true).all(quoted([...sparse, ...dense])) as [number, number][]),
          );
          const rare = new Set((db.prepare(`SELECT rowid FROM facts_fts WHERE facts_fts MATCH ?`).pluck().all(quoted(sparse)) as number[]));
          const commonOnly = [...whole.keys()].filter((r) => !rare.has(r)).sort((a, b) => b - a).slice(0, k);
          const expected = [...rare, ...commonOnly]
            .map((rowid) => ({ rowid, bm25: whole.get(rowid)! }))
            .sort((a, b) => a.bm25 - b.bm25 || b.rowid - a.rowid)
            .slice(0, k);

          const got = new RecallStore(db).ftsTopSplit(quoted(sparse), quoted(dense), k);
          // The whole query lists its phrases in the same order, so bm25 sums the same terms in the same order.
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});
