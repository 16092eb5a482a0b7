/**
 * Query building for the lexical channel (protocol.md §9 stage 2): tokens,
 * stop words, the MATCH expression and entity words, table-driven.
 */
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import {
  entityCandidates,
  ftsMatchExpression,
  MAX_QUERY_TOKENS,
  queryHash,
  queryTokens,
  STOPWORDS_V1,
} from "../../src/core/recall/query-text.js";

describe("queryTokens", () => {
  it.each([
    ["What is Alice's role?", ["alice", "role"]],
    ["I need to know: what's the trust level of alice?", ["trust", "level", "alice"]],
    ["atlas project engineer", ["atlas", "project", "engineer"]],
    ["ＡＴＬＡＳ ｐｒｏｊｅｃｔ", ["atlas", "project"]], // NFKC folds full-width letters
    ["Zoë's café", ["zoë", "café"]],
    ["alice ALICE Alice", ["alice"]],
    ["user:alice", ["user", "alice"]],
    ["stigmem://testnode/user/alice-smith", ["stigmem", "testnode", "user", "alice", "smith"]],
    ["memory:trust_level", ["memory", "trust", "level"]],
    ["2026 q3 budget", ["2026", "q3", "budget"]],
    ["the", ["the"]], // only stop words: keep them rather than search for nothing
    ["what is the", ["what", "is", "the"]],
    ["???", []],
    ['"NEAR(" AND OR NOT *', ["near"]],
    ["", []],
  ])("%j → %j", (query, tokens) => {
    expect(queryTokens(query)).toEqual(tokens);
  });

  it("keeps at most 32 tokens, in order of first appearance", () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
    expect(queryTokens(words.join(" "))).toEqual(words.slice(0, MAX_QUERY_TOKENS));
  });

  it("keeps words that carry facts' meaning searchable", () => {
    for (const w of ["up", "down", "off", "out", "over", "under", "role", "name", "owner"]) expect(STOPWORDS_V1.has(w)).toBe(false);
  });
});

describe("ftsMatchExpression", () => {
  it("quotes each token and joins them with OR", () => {
    expect(ftsMatchExpression(["alice", "role"])).toBe('"alice" OR "role"');
    expect(ftsMatchExpression([])).toBeNull();
  });

  it("never produces an FTS5 syntax error, whatever the question", () => {
    const db = new Database(":memory:");
    db.exec("CREATE VIRTUAL TABLE t USING fts5(a, tokenize = 'porter unicode61 remove_diacritics 2')");
    db.prepare("INSERT INTO t VALUES (?)").run("alice is the chief executive");
    const match = db.prepare("SELECT count(*) AS n FROM t WHERE t MATCH ?");
    const nasty = ['"', "'", "?", ".", "a:b", "NEAR(x y)", "AND", "x OR", "-x", "^x", "x*", "(", ")", "{a}", "col:val", "\u{E000}", "ÿ", "NOT alice", "a\u0000b", "'; DROP TABLE t; --"];
    for (const q of nasty) {
      const expr = ftsMatchExpression(queryTokens(q));
      if (expr !== null) expect(() => match.get(expr), q).not.toThrow();
    }
    expect((match.get(ftsMatchExpression(queryTokens("Who is Alice?"))!) as { n: number }).n).toBe(1);
    db.close();
  });
});

describe("entityCandidates", () => {
  it.each([
    ["what is user:alice's role?", ["user:alice"]],
    ["tell me about stigmem://testnode/user/alice.", ["stigmem://testnode/user/alice"]],
    ["(user:bob) and 'project:atlas'", ["user:bob", "project:atlas"]],
    ["I need to know: who?", []],
    [":leading and trailing:", []],
    ["user:alice user:alice", ["user:alice"]],
  ])("%j → %j", (query, expected) => {
    expect(entityCandidates(query)).toEqual(expected);
  });
});

describe("queryHash", () => {
  it("is the hex SHA-256 of the UTF-8 query", () => {
    expect(queryHash("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(queryHash("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
