import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { asciiJson, quoteAsciiJsonString } from "../../../src/core/ascii-json.js";
import { canonicalJson, quoteJsonString } from "../../../src/core/canonical-json.js";
import { contentHash, sha256Tagged } from "../../../src/core/content-hash.js";
import { isCoreError } from "../../../src/core/errors.js";
import { pyFloat } from "../../../src/core/py-float-value.js";
import { fcParams } from "./fc-params.js";

function codeOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return isCoreError(e) ? { code: e.code, field: e.field } : e;
  }
  return "no error";
}

// Expected strings produced by CPython 3.11 json.dumps(..., sort_keys=True,
// separators=(",", ":"), ensure_ascii=False) and, for asciiJson, the default ensure_ascii=True.
const STRINGS: ReadonlyArray<readonly [string, string, string, string]> = [
  [
    "C0 controls, DEL",
    "\x00\x01\x08\x09\x0a\x0b\x0c\x0d\x1b\x1f\x20\x7f",
    '"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001b\\u001f \x7f"',
    '"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001b\\u001f \\u007f"',
  ],
  ["U+2028 / U+2029 stay raw", "a\u2028b\u2029c", '"a\u2028b\u2029c"', '"a\\u2028b\\u2029c"'],
  ["quote and backslash; slash not escaped", 'say "hi" \\ /', '"say \\"hi\\" \\\\ /"', '"say \\"hi\\" \\\\ /"'],
  [
    "non-ASCII, astral, BOM",
    "Zoë 日本 \u{1F600} \uFEFF",
    '"Zoë 日本 \u{1F600} \uFEFF"',
    '"Zo\\u00eb \\u65e5\\u672c \\ud83d\\ude00 \\ufeff"',
  ],
  ["empty", "", '""', '""'],
];

describe("string escaping", () => {
  it.each(STRINGS)("%s", (_name, s, unicode, ascii) => {
    expect(quoteJsonString(s)).toBe(unicode);
    expect(quoteAsciiJsonString(s)).toBe(ascii);
    expect(canonicalJson(s)).toBe(unicode);
    expect(asciiJson(s)).toBe(ascii);
  });

  it.each([
    ["lone high", "a\uD800b"],
    ["lone low", "\uDC00"],
    ["reversed pair", "\uDE00\uD83D"],
    ["trailing high", "x\uD83D"],
  ])("canonicalJson rejects a %s surrogate", (_name, s) => {
    expect(codeOf(() => canonicalJson({ note: s }))).toEqual({ code: "lone_surrogate", field: "note" });
    expect(codeOf(() => canonicalJson({ [s]: 1 }))).toMatchObject({ code: "lone_surrogate" });
  });

  it("names the nested path of what it cannot serialize", () => {
    expect(codeOf(() => canonicalJson({ detail: { items: [1, { note: "x\uD800" }] } }))).toEqual({
      code: "lone_surrogate",
      field: "detail.items[1].note",
    });
    expect(codeOf(() => canonicalJson({ a: [[0, 1.5]] }))).toEqual({ code: "invalid_value", field: "a[0][1]" });
    expect(codeOf(() => canonicalJson(0.5))).toEqual({ code: "invalid_value", field: undefined });
  });

  it("writes integers beyond the safe range as exact digits", () => {
    expect(canonicalJson([2 ** 53 + 2, -(2 ** 60), 1e21, -0])).toBe("[9007199254740994,-1152921504606846976,1000000000000000000000,0]");
  });

  it("asciiJson escapes a lone surrogate like Python (no error)", () => {
    expect(asciiJson("a\uD800")).toBe('"a\\ud800"');
  });

  it("equals JSON.stringify for well-formed strings (the §4 claim)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        expect(quoteJsonString(s)).toBe(JSON.stringify(s));
      }),
      fcParams,
    );
  });
});

describe("key order", () => {
  it("sorts by code point, not UTF-16 unit (astral after U+FFFF)", () => {
    const obj = { "\uFFFF": 1, "\u{1F600}": 2, "\uE000": 3, b: 4, a: 5, "": 6, aa: 7, A: 8, é: 9 };
    expect(canonicalJson(obj)).toBe('{"":6,"A":8,"a":5,"aa":7,"b":4,"é":9,"\uE000":3,"\uFFFF":1,"\u{1F600}":2}');
    expect(asciiJson(obj)).toBe(
      '{"":6,"A":8,"a":5,"aa":7,"b":4,"\\u00e9":9,"\\ue000":3,"\\uffff":1,"\\ud83d\\ude00":2}',
    );
    // The JS default sort would put the emoji before U+E000, which Python does not.
    expect(Object.keys(obj).sort().indexOf("\u{1F600}")).toBeLessThan(Object.keys(obj).sort().indexOf("\uE000"));
  });

  it("ignores insertion order and integer-like keys", () => {
    expect(canonicalJson({ 10: "x", 2: "y", b: { z: 1, y: 2 } })).toBe('{"10":"x","2":"y","b":{"y":2,"z":1}}');
  });
});

describe("values", () => {
  it("ints as digits, pyFloat as Python repr, nested containers", () => {
    const v = {
      z: { y: { x: null } },
      n: [1, -0, 1e21, pyFloat(1), pyFloat(1e-5), pyFloat(0.5), null, true, false, [], {}],
    };
    expect(canonicalJson(v)).toBe(
      '{"n":[1,0,1000000000000000000000,1.0,1e-05,0.5,null,true,false,[],{}],"z":{"y":{"x":null}}}',
    );
  });

  it("bigint, undefined and holes", () => {
    expect(canonicalJson([12345678901234567890n, undefined, { a: undefined }])).toBe(
      '[12345678901234567890,null,{"a":null}]',
    );
    // eslint-disable-next-line no-sparse-arrays
    expect(canonicalJson([1, , 2])).toBe("[1,null,2]");
  });

  it.each([
    ["a non-integral unwrapped number", { c: 0.5 }, "c"],
    ["NaN", { c: Number.NaN }, "c"],
    ["Infinity", [Number.POSITIVE_INFINITY], "[0]"],
    ["a Date", { at: new Date(0) }, "at"],
    ["a Map", { m: new Map() }, "m"],
    ["a function", { f: () => 1 }, "f"],
    ["a symbol", { s: Symbol("x") }, "s"],
  ])("rejects %s", (_name, v, field) => {
    expect(codeOf(() => canonicalJson(v))).toEqual({ code: "invalid_value", field });
  });

  it("rejects cycles but allows shared subtrees", () => {
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"k":1},"b":{"k":1}}');
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    expect(codeOf(() => canonicalJson(cyc))).toEqual({ code: "invalid_value", field: "self" });
  });

  it("pyFloat refuses non-finite numbers", () => {
    expect(codeOf(() => pyFloat(Number.NaN))).toMatchObject({ code: "invalid_value" });
  });

  it("agrees with JSON.parse on round trip for JSON-like data", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        // fc.jsonValue numbers may be fractional: wrap those as floats.
        const wrap = (x: unknown): unknown =>
          typeof x === "number" && !Number.isInteger(x)
            ? pyFloat(x)
            : Array.isArray(x)
              ? x.map(wrap)
              : x !== null && typeof x === "object"
                ? Object.fromEntries(Object.entries(x).map(([k, y]) => [k, wrap(y)]))
                : x;
        const text = canonicalJson(wrap(v));
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
        expect(JSON.parse(asciiJson(wrap(v)))).toEqual(JSON.parse(text));
        expect(asciiJson(wrap(v))).toMatch(/^[\x20-\x7e]*$/);
      }),
      fcParams,
    );
  });
});

describe("PeerDeclaration signing bytes (§10 example)", () => {
  it("sorts keys, keeps array order, compact", () => {
    const decl = {
      signed_at: "2026-11-21T12:00:00Z",
      node_url: "https://a.example",
      node_id: "stigmem:node:1",
      federation_pubkey: "AAAA",
      allowed_scopes: ["public", "company"],
    };
    expect(asciiJson(decl)).toBe(
      '{"allowed_scopes":["public","company"],"federation_pubkey":"AAAA","node_id":"stigmem:node:1",' +
        '"node_url":"https://a.example","signed_at":"2026-11-21T12:00:00Z"}',
    );
    expect(asciiJson(decl)).toBe(canonicalJson(decl));
  });
});

describe("contentHash", () => {
  it("is sha256: + hex of the UTF-8 canonical text", () => {
    expect(sha256Tagged("")).toBe("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const v = { b: "Zoë", a: pyFloat(1) };
    const want = createHash("sha256").update(Buffer.from('{"a":1.0,"b":"Zoë"}', "utf8")).digest("hex");
    expect(contentHash(v)).toBe(`sha256:${want}`);
  });
});
