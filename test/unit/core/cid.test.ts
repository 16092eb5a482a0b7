import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../../src/core/canonical-json.js";
import { pyFloat } from "../../../src/core/py-float-value.js";
import { cidBody, computeCid, isCidString, type CidInput } from "../../../src/core/cid.js";
import { isCoreError } from "../../../src/core/errors.js";
import { normalizeEntityUri } from "../../../src/core/normalize-uri.js";
import { toValueV } from "../../../src/core/values.js";

const E = "stigmem://testnode/user/alice";
const S = "stigmem://testnode/agent/test";

/** protocol.md §4 known answers; row 1 uses the raw informal URIs as written there. */
const KNOWN: ReadonlyArray<readonly [string, CidInput, string]> = [
  [
    "row 1: informal URIs, string CEO, company",
    { entity: "user:alice", relation: "memory:role", value_type: "string", value_v: "CEO", source: "agent:test", confidence: 1.0, scope: "company" },
    "sha256:400749bdb74040c90e5f8eb02d3c4e60c1619259c02e9bfeeda8708a8d5fc159",
  ],
  [
    "row 2: E, string engineer, S, company",
    { entity: E, relation: "memory:role", value_type: "string", value_v: "engineer", source: S, confidence: 1.0, scope: "company" },
    "sha256:7f142e3a82d8ed778c41988049abe6b73a66cea69109a790dc2935392f0a42a7",
  ],
  [
    "row 3: E, null, S, local",
    { entity: E, relation: "memory:gone", value_type: "null", value_v: toValueV({ type: "null", v: null }), source: S, confidence: 1.0, scope: "local" },
    "sha256:9b8d6da99968274c38f637d28c46fc6eb64f8957e1c55f506d399e4cc13fd080",
  ],
  [
    "row 4: E, number 42, S, local",
    { entity: E, relation: "memory:age", value_type: "number", value_v: toValueV({ type: "number", v: 42 }), source: S, confidence: 1.0, scope: "local" },
    "sha256:47c15a55226a4dfe37b8e0bcc81e2400791fcee02b7964b709053b1188a7ae44",
  ],
  [
    "row 5: E, string Zoë, S, local, confidence 1e-05",
    { entity: E, relation: "memory:name", value_type: "string", value_v: "Zoë", source: S, confidence: 1e-5, scope: "local" },
    "sha256:8667f07e6a8b7bfa843a955b2f202f0b5df94e73fa40af936dc49c1957072484",
  ],
];

describe("computeCid known answers (§4)", () => {
  it.each(KNOWN)("%s", (_name, input, cid) => {
    expect(computeCid(input)).toBe(cid);
    expect(isCidString(computeCid(input))).toBe(true);
  });

  it("row 1 entity and source are already normalized", () => {
    expect(normalizeEntityUri("user:alice")).toBe("user:alice");
    expect(normalizeEntityUri(" User:Alice ")).toBe("user:alice");
    expect(normalizeEntityUri(E)).toBe(E);
    expect(normalizeEntityUri("stigmem://TestNode/Agent/Test")).toBe(S);
  });

  it("row 4 holds for 42.0 too (one canonical number text)", () => {
    const input = KNOWN[3]![1];
    expect(computeCid({ ...input, value_v: toValueV({ type: "number", v: 42.0 }) })).toBe(KNOWN[3]![2]);
    expect(computeCid({ ...input, value_v: "42.0" })).not.toBe(KNOWN[3]![2]);
  });
});

describe("cidBody", () => {
  it("has exactly the seven keys in order, confidence as a Python float", () => {
    expect(cidBody(KNOWN[4]![1])).toBe(
      '{"confidence":1e-05,"entity":"stigmem://testnode/user/alice","relation":"memory:name",' +
        '"scope":"local","source":"stigmem://testnode/agent/test","value_type":"string","value_v":"Zoë"}',
    );
    expect(cidBody(KNOWN[0]![1])).toContain('"confidence":1.0,');
  });

  it("is canonicalJson of the seven fields, byte for byte", () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.constantFrom('quote " back \\ slash', "ctl \u0001\u001f\n\t", "\u2028 é 東京 \u{1F600}"));
    fc.assert(
      fc.property(
        fc.record({
          entity: text,
          relation: text,
          value_type: fc.constantFrom("string", "text", "number", "boolean", "datetime", "ref", "null"),
          value_v: text,
          source: text,
          confidence: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1, 1e-5, 0.1, 1 / 3)),
          scope: fc.constantFrom("local", "team", "company", "public"),
        }),
        (input) => {
          expect(cidBody(input as CidInput)).toBe(canonicalJson({ ...input, confidence: pyFloat(input.confidence) }));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("differs from the JSON.stringify body (confidence 1 vs 1.0)", () => {
    const input = KNOWN[1]![1];
    const naive = JSON.stringify({
      confidence: input.confidence, entity: input.entity, relation: input.relation, scope: input.scope,
      source: input.source, value_type: input.value_type, value_v: input.value_v,
    });
    expect(naive).not.toBe(cidBody(input));
  });

  it.each([
    ["NaN confidence", { confidence: Number.NaN }, "invalid_confidence"],
    ["Infinity confidence", { confidence: Number.POSITIVE_INFINITY }, "invalid_confidence"],
    ["lone surrogate", { value_v: "x\uD800" }, "lone_surrogate"],
  ])("rejects %s", (_name, patch, code) => {
    let err: unknown;
    try {
      computeCid({ ...KNOWN[1]![1], ...patch });
    } catch (e) {
      err = e;
    }
    expect(isCoreError(err) && err.code).toBe(code);
  });
});

describe("isCidString", () => {
  it.each([
    ["sha256:" + "0".repeat(64), true],
    [KNOWN[0]![2], true],
    ["sha256:" + "A".repeat(64), false],
    ["sha256:" + "0".repeat(63), false],
    ["sha256:" + "0".repeat(65), false],
    ["SHA256:" + "0".repeat(64), false],
    ["0".repeat(64), false],
    ["sha256:" + "0".repeat(64) + "\n", false],
    [42, false],
  ])("%j → %s", (s, want) => {
    expect(isCidString(s)).toBe(want);
  });
});
