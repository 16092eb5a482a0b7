import { describe, expect, it } from "vitest";
import { isCoreError } from "../../../src/core/errors.js";
import { normalizeEntityUri } from "../../../src/core/normalize-uri.js";

// Expected values computed with the reference algorithm in CPython 3.11.
const OK: ReadonlyArray<readonly [string, string, string]> = [
  // protocol.md §3 examples
  ["leading space, formal", " stigmem://TestNode/User/Alice Smith", "stigmem://testnode/user/alice-smith"],
  ["space in authority kept", "stigmem://Test Node/user/x", "stigmem://test node/user/x"],
  ["upper-case scheme is informal", "STIGMEM://A/B/C D", "stigmem://a/b/c-d"],
  ["BOM is not whitespace", "user:\uFEFFadmin", "user:\uFEFFadmin"],
  ["U+001C collapses", "user:a\x1Cb", "user:a-b"],
  // informal forms
  ["type:id", "User:Alice", "user:alice"],
  ["type:id with spaces", "  user:Alice   Smith\t", "user:alice-smith"],
  ["https URL, no percent-coding", "https://Example.com/A B", "https://example.com/a-b"],
  ["two segments", "stigmem://a/B", "stigmem://a/b"],
  ["already normalized", "stigmem://testnode/user/alice", "stigmem://testnode/user/alice"],
  ["U+0085 collapses", "user:a\u0085b", "user:a-b"],
  ["U+3000 collapses", "user:a\u3000\u3000b", "user:a-b"],
  ["U+00A0 and U+202F collapse", "user:a\u00A0\u202Fb", "user:a-b"],
  ["U+001F strips", "\x1Fuser:a\x1D", "user:a"],
  ["U+200B is not whitespace", "user:a\u200Bb", "user:a\u200Bb"],
  ["U+180E is not whitespace", "user:a\u180Eb", "user:a\u180Eb"],
  ["mixed run becomes one dash", "user:a \t\n\v\f\r\u2028\u2029b", "user:a-b"],
  // formal forms
  ["tab in id", "stigmem://n/t/a\tb", "stigmem://n/t/a-b"],
  ["CR and U+2028 inside the id (JS . would stop)", "stigmem://n/t/a\rb\u2028c", "stigmem://n/t/a-b-c"],
  ["newline in id falls to informal", "stigmem://N X/t/a\nb", "stigmem://n-x/t/a-b"],
  ["newline in authority stays (formal)", "stigmem://A\nB/t/x", "stigmem://a\nb/t/x"],
  ["parts are stripped", "stigmem:// A /\tT\t/ I d ", "stigmem://a/t/i-d"],
  ["slashes in id kept", "stigmem://n/t/a/B/c", "stigmem://n/t/a/b/c"],
  ["empty id is not formal", "stigmem://n/t/", "stigmem://n/t/"],
  ["astral characters survive", "user:\u{1F600}X", "user:\u{1F600}x"],
];

const BAD: ReadonlyArray<readonly [string, string]> = [
  ["empty", ""],
  ["only spaces", "   "],
  ["only Python whitespace", "\x1C\u0085\u3000\t"],
  ["blank authority", "stigmem:// /b/c"],
  ["blank type", "stigmem://a/\u3000/c"],
  ["blank authority and type (U+2000, U+2001)", "stigmem://\u2000/\u2001/x"],
  ["blank authority (tab)", "\tstigmem://\t/b/c\t"],
];

describe("normalizeEntityUri", () => {
  it.each(OK)("%s", (_name, raw, want) => {
    expect(normalizeEntityUri(raw)).toBe(want);
  });

  it.each(BAD)("rejects %s", (_name, raw) => {
    let err: unknown;
    try {
      normalizeEntityUri(raw, "source");
    } catch (e) {
      err = e;
    }
    expect(isCoreError(err)).toBe(true);
    expect(err).toMatchObject({ code: "invalid_entity_uri", field: "source" });
  });

  it("is idempotent on every table row", () => {
    for (const [, , want] of OK) expect(normalizeEntityUri(want)).toBe(want);
  });
});
