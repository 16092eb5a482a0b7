import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { useTempDatabase } from "../../helpers/temp-database.js";
import { RecallStore } from "../../../src/store/recall-store.js";

const WORDS = ["Alice", "alice's", "running", "runs", "Café", "cafe", "role", "roles", "billing", "team/infra", "on-call", "ÉTÉ", "été", "42"];

describe("RecallStore.tokensMatching", () => {
  const database = useTempDatabase("stigmem-coverage");

  // "on-call" is a phrase of two terms: it is matched by FTS5 itself rather than by the kept terms.
  it("answers like one facts_fts lookup per token among the same rows", () => {
    const db = database();
    const text = fc.array(fc.constantFrom(...WORDS), { maxLength: 4 }).map((w) => w.join(" "));
    let next = 1;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, text, text), { minLength: 1, maxLength: 12 }),
        fc.array(fc.constantFrom("alice", "run", "running", "cafe", "café", "role", "billing", "infra", "call", "ete", "42", "zzz", "on-call"), {
          minLength: 1,
          maxLength: 5,
        }),
        (texts, tokens) => {
          // External-content facts_fts: index rows directly under fresh rowids.
          const insert = db.prepare("INSERT INTO facts_fts (rowid, entity, relation, value_v) VALUES (?, ?, ?, ?)");
          const rows = texts.map(([entity, relation, value_v]) => {
            const rowid = next++;
            insert.run(rowid, entity, relation, value_v);
            return { rowid, entity, relation, value_v };
          });
          const store = new RecallStore(db);
          const ids = rows.map((r) => r.rowid);
          const expected = tokens.map((t) => store.ftsMatching(`"${t}"`, ids).sort((a, b) => a - b));
          expect(store.tokensMatching(tokens, rows)).toEqual(expected);
          // Nothing is left behind for the next call.
          expect(store.tokensMatching(tokens, rows.slice(0, 1))).toEqual(expected.map((m) => m.filter((r) => r === rows[0]!.rowid)));
        },
      ),
      { numRuns: 60 },
    );
  });

  it("answers an empty list per token for no rows, and nothing for no tokens", () => {
    const db = database();
    const store = new RecallStore(db);
    expect(store.tokensMatching(["a", "b"], [])).toEqual([[], []]);
    expect(store.tokensMatching([], [{ rowid: 1, entity: "a", relation: "b", value_v: "c" }])).toEqual([]);
  });
});
