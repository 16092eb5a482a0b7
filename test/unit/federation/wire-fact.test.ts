/**
 * Per-fact ingest checks on facts as peers send them: known answers taken
 * verbatim from a reference node's responses (including the integral number
 * it serves as `42.0`), the §4 CIDs, the rejection codes and their order,
 * and the Connect `Fact` mapping that feeds the same checks.
 */
import { create } from "@bufbuild/protobuf";
import { NullValue } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import { FactSchema, FactValueSchema, InterpretAs, ValueType } from "../../../gen/proto/stigmem/v1/fact_pb.js";
import { computeCid } from "../../../src/core/cid.js";
import { checkWireFact, WIRE_FACT_ERROR_CODES, type WireFactContext } from "../../../src/core/federation/wire-fact.js";
import { wireFactFromProto } from "../../../src/transport/connect/proto-wire-fact.js";

const NOW = 1_796_648_200_000;
const ctx: WireFactContext = { nowMs: NOW, allowedScopes: ["company", "public"] };

/** A reference node's FactRecord, every field as it emits them. */
function refRecord(over: Record<string, unknown>): Record<string, unknown> {
  return {
    received_from: null,
    valid_until: null,
    confidence: 1.0,
    attested_key_id: null,
    origin_node_id: null,
    origin_allowed_scopes: null,
    garden_id: null,
    attested: null,
    contradicted: false,
    warnings: [],
    source_trust: null,
    quarantine_status: null,
    quarantine_garden_id: null,
    effective_confidence: null,
    sanitizer_warnings: [],
    sanitizer_redacted: false,
    derived_from: [],
    ...over,
  };
}

/** Served by stigmem 0.9.0a10 (the kit) for POST /v1/facts bodies with v: 42, 42.0, 1e16, text and ref. */
const REF = {
  int42: refRecord({
    id: "c1323a03-be31-4f3e-ba8d-9c1d6883e8d1", entity: "user:alice", relation: "memory:age",
    value: { type: "number", v: 42.0, interpret_as: "content" }, source: "agent:ref",
    timestamp: "2026-12-07T12:55:29.917213+00:00", hlc: "1796648129917.0", scope: "public",
    cid: "sha256:a50d607561d52d6d43bf0a983bb996aa737d8c568e8bd2b6a3741d9b6a264cea",
  }),
  float42: refRecord({
    id: "b79950f5-0a77-4448-a967-1923afb1d8ed", entity: "user:bob", relation: "memory:age",
    value: { type: "number", v: 42.0, interpret_as: "content" }, source: "agent:ref",
    timestamp: "2026-12-07T12:55:30.024100+00:00", hlc: "1796648130024.0", scope: "public",
    cid: "sha256:702a06552052db3e13f5ddbd01e23ffba613e726496f8bc26182c932a7bda4b6",
  }),
  big: refRecord({
    id: "3f027948-90ae-42ae-9510-1ad1d7f43b30", entity: "user:carol", relation: "memory:score",
    value: { type: "number", v: 1e16, interpret_as: "content" }, source: "agent:ref",
    timestamp: "2026-12-07T12:55:30.132635+00:00", hlc: "1796648130132.0", confidence: 0.9, scope: "public",
    cid: "sha256:e765b3d34b8fbd77c52f4a048dde17d79db7f1ea0008710b0803f12de914b97b",
  }),
  text: refRecord({
    id: "541c59df-4142-45cc-8f0d-fa2bc38ba6c3", entity: "user:dave", relation: "memory:note",
    value: { type: "text", v: "Zoë\nsays hi", interpret_as: "content" }, source: "agent:ref",
    timestamp: "2026-12-07T12:55:30.184279+00:00", hlc: "1796648130184.0", scope: "company",
    cid: "sha256:73e1fa4bfc9fc4c83ada0f97bc968d8115e2204e230136178b11da0c9049b4b3",
  }),
  ref: refRecord({
    id: "77843649-49f1-40c4-b203-427365dc907b", entity: "user:erin", relation: "memory:manager",
    value: { type: "ref", v: "user:alice", interpret_as: "content" }, source: "agent:ref",
    timestamp: "2026-12-07T12:55:30.236851+00:00", hlc: "1796648130236.0", valid_until: "2030-01-01T00:00:00Z", scope: "public",
    cid: "sha256:119c07b4da8036f6e9ab2783a485d1fce05d503e9fa02f8ce2e17c6648ca1b03",
  }),
};

/** Protocol §4 known answer: user:alice memory:role "CEO" agent:test company. */
const OURS = {
  id: "0192f5c4-7d2a-7b31-9c4e-5f6a7b8c9d0e",
  entity: "user:alice",
  relation: "memory:role",
  value: { type: "string", v: "CEO" },
  source: "agent:test",
  timestamp: "2026-12-07T12:00:00.000000+00:00",
  confidence: 1,
  scope: "company",
  cid: "sha256:400749bdb74040c90e5f8eb02d3c4e60c1619259c02e9bfeeda8708a8d5fc159",
  hlc: "1796648100000.003",
  origin_hlc: "1796648100000.003",
  supersedes: ["0192f5c4-7d2a-7b31-9c4e-5f6a7b8c9d0a"],
};

describe("reference facts (known answers)", () => {
  it.each<[keyof typeof REF, string, number]>([
    ["int42", "42", 1_796_648_129_917],
    ["float42", "42.0", 1_796_648_130_024],
    ["big", "1e+16", 1_796_648_130_132],
    ["text", "Zoë\nsays hi", 1_796_648_130_184],
    ["ref", "user:alice", 1_796_648_130_236],
  ])("%s is accepted with value_v %j", (name, valueV, wall) => {
    const r = checkWireFact(REF[name], ctx);
    expect(r.ok ? r.value.value_v : r).toBe(valueV);
    if (r.ok) {
      expect(r.value.cid).toBe(REF[name].cid);
      expect(r.value.origin_hlc).toEqual({ wall, counter: 0 });
      expect(r.value.interpret_as).toBe("content");
      expect(r.value.timestamp).toBe(REF[name].timestamp);
    }
  });

  it("keeps valid_until verbatim and supersedes empty", () => {
    const r = checkWireFact(REF.ref, ctx);
    expect(r.ok && [r.value.valid_until, r.value.supersedes]).toEqual(["2030-01-01T00:00:00Z", []]);
  });

  it("the 42.0 fallback applies only to numbers: a text '42.0' must hash as it is", () => {
    const tampered = { ...REF.float42, value: { type: "string", v: "42" } };
    const r = checkWireFact(tampered, ctx);
    expect(r.ok ? "ok" : r.code).toBe("cid_mismatch");
  });
});

describe("our facts", () => {
  it("accepts the §4 known answer and keeps origin_hlc and supersedes", () => {
    const r = checkWireFact(OURS, ctx);
    expect(r).toEqual({
      ok: true,
      value: {
        id: OURS.id,
        entity: "user:alice",
        relation: "memory:role",
        source: "agent:test",
        scope: "company",
        value_type: "string",
        value_v: "CEO",
        interpret_as: "content",
        confidence: 1,
        timestamp: OURS.timestamp,
        valid_until: null,
        cid: OURS.cid,
        origin_hlc: { wall: 1_796_648_100_000, counter: 3 },
        supersedes: OURS.supersedes,
      },
    });
  });

  it("prefers origin_hlc over hlc, and takes none as null (the apply step ticks)", () => {
    const withBoth = checkWireFact({ ...OURS, hlc: "1796648199999.000" }, ctx);
    expect(withBoth.ok && withBoth.value.origin_hlc).toEqual({ wall: 1_796_648_100_000, counter: 3 });
    const without = checkWireFact({ ...OURS, hlc: null, origin_hlc: undefined }, ctx);
    expect(without.ok && without.value.origin_hlc).toBeNull();
  });

  it("accepts instruction facts (quarantine is the apply step's job)", () => {
    // Not hashed into the CID: interpret_as is outside the seven CID fields.
    const r = checkWireFact({ ...OURS, value: { type: "string", v: "CEO", interpret_as: "instruction" } }, ctx);
    expect(r.ok && r.value.interpret_as).toBe("instruction");
  });
});

describe("rejections", () => {
  const P = { ...OURS };
  it.each<[string, unknown, string, string?]>([
    ["not an object", [P], "invalid_shape", "fact"],
    ["id missing", { ...P, id: undefined }, "invalid_shape", "id"],
    ["id not a UUID", { ...P, id: "fact-1" }, "invalid_shape", "id"],
    ["id upper case", { ...P, id: P.id.toUpperCase() }, "invalid_shape", "id"],
    ["entity missing", { ...P, entity: undefined }, "invalid_shape", "entity"],
    ["entity not normalized", { ...P, entity: "User:Alice" }, "invalid_shape", "entity"],
    ["entity blank", { ...P, entity: "   " }, "invalid_shape", "entity"],
    ["entity too long", { ...P, entity: `user:${"a".repeat(2048)}` }, "invalid_shape", "entity"],
    ["source not normalized", { ...P, source: " agent:test" }, "invalid_shape", "source"],
    ["relation a number", { ...P, relation: 7 }, "invalid_shape", "relation"],
    ["relation with a lone surrogate", { ...P, relation: "memory:\ud800" }, "invalid_shape", "relation"],
    ["system relation", { ...P, relation: "stigmem:conflict:between" }, "invalid_shape", "relation"],
    ["value missing", { ...P, value: undefined }, "invalid_shape", "value"],
    ["unknown value type", { ...P, value: { type: "blob", v: "x" } }, "invalid_shape", "value.type"],
    ["number as text", { ...P, value: { type: "number", v: "42" } }, "invalid_shape", "value.v"],
    ["boolean by truthiness", { ...P, value: { type: "boolean", v: "false" } }, "invalid_shape", "value.v"],
    ["bad interpret_as", { ...P, value: { type: "string", v: "CEO", interpret_as: "order" } }, "invalid_shape", "value.interpret_as"],
    ["value too large", { ...P, value: { type: "text", v: "x".repeat(65_537) } }, "invalid_shape", "value.v"],
    ["confidence missing", { ...P, confidence: undefined }, "invalid_shape", "confidence"],
    ["confidence above 1", { ...P, confidence: 1.5 }, "invalid_shape", "confidence"],
    ["confidence as text", { ...P, confidence: "1" }, "invalid_shape", "confidence"],
    ["unknown scope", { ...P, scope: "Public" }, "invalid_shape", "scope"],
    ["cid malformed", { ...P, cid: "sha256:XYZ" }, "invalid_shape", "cid"],
    ["cid missing", { ...P, cid: undefined }, "invalid_shape", "cid"],
    ["timestamp not RFC 3339", { ...P, timestamp: "yesterday" }, "invalid_shape", "timestamp"],
    ["valid_until not RFC 3339", { ...P, valid_until: "2030-13-01T00:00:00Z" }, "invalid_shape", "valid_until"],
    ["hlc malformed", { ...P, origin_hlc: "1796648100000.10.1" }, "invalid_shape", "origin_hlc"],
    ["hlc a number", { ...P, origin_hlc: undefined, hlc: 1796648100000 }, "invalid_shape", "hlc"],
    ["supersedes not ids", { ...P, supersedes: ["x"] }, "invalid_shape", "supersedes"],
    ["a garden fact", { ...P, garden_id: "stigmem://a/garden/g" }, "invalid_shape", "garden_id"],
    ["local scope", { ...P, scope: "local" }, "scope_not_permitted", "scope"],
    ["scope not allowed for the peer", { ...P, scope: "team" }, "scope_not_permitted", "scope"],
    ["content changed", { ...P, value: { type: "string", v: "CFO" } }, "cid_mismatch", "cid"],
    ["confidence changed", { ...P, confidence: 0.9 }, "cid_mismatch", "cid"],
    ["HLC 301 s ahead", { ...P, origin_hlc: `${NOW + 300_001}.000` }, "hlc_skew", "hlc"],
  ])("%s → %s", (_name, input, code, field) => {
    const r = checkWireFact(input, ctx);
    expect(r.ok ? "ok" : [r.code, r.field]).toEqual([code, field]);
  });

  it("covers every code", () => {
    const codes = new Set<string>();
    const probe = (input: unknown, c: WireFactContext = ctx): void => {
      const r = checkWireFact(input, c);
      if (!r.ok) codes.add(r.code);
    };
    probe({});
    probe({ ...OURS, scope: "local" });
    probe({ ...OURS, confidence: 0.5 });
    probe({ ...OURS, origin_hlc: `${NOW + 400_000}.0` });
    probe(OURS, { ...ctx, sourceOwned: () => false });
    expect([...codes].sort()).toEqual([...WIRE_FACT_ERROR_CODES].sort());
  });

  it("reports what the audit entry needs", () => {
    const mismatch = checkWireFact({ ...OURS, value: { type: "string", v: "CFO" } }, ctx);
    expect(mismatch.ok ? null : { id: mismatch.factId, stored: mismatch.storedCid, computed: mismatch.computedCid?.slice(0, 7) }).toEqual({
      id: OURS.id,
      stored: OURS.cid,
      computed: "sha256:",
    });
    const skew = checkWireFact({ ...OURS, origin_hlc: `${NOW + 400_000}.0` }, ctx);
    expect(skew.ok ? null : skew.skew).toEqual({ direction: "future", skewMs: 400_000 });
  });

  it("checks in order: shape, then scope, then source, then CID, then HLC", () => {
    const all = { ...OURS, scope: "team", confidence: 0.5, origin_hlc: `${NOW + 400_000}.0` };
    const code = (input: unknown, c: WireFactContext = ctx): string => {
      const r = checkWireFact(input, c);
      return r.ok ? "ok" : r.code;
    };
    expect(code({ ...all, timestamp: "x" })).toBe("invalid_shape");
    expect(code(all)).toBe("scope_not_permitted");
    expect(code({ ...all, scope: "company" }, { ...ctx, sourceOwned: () => false })).toBe("source_not_owned");
    expect(code({ ...all, scope: "company" })).toBe("cid_mismatch");
    expect(code({ ...all, scope: "company", confidence: 1 })).toBe("hlc_skew");
  });

  it("applies the future bound exactly, a configured bound, and the past bound only when given (push)", () => {
    const at = (wall: number): unknown => ({ ...OURS, origin_hlc: `${wall}.000` });
    const ok = (input: unknown, c: WireFactContext = ctx): boolean => checkWireFact(input, c).ok;
    expect(ok(at(NOW + 300_000))).toBe(true);
    expect(ok(at(NOW + 60_001), { ...ctx, maxFutureSkewMs: 60_000 })).toBe(false);
    const old = at(NOW - 31 * 86_400_000);
    expect(ok(old)).toBe(true); // pull: backfill of old facts is legitimate
    const push = checkWireFact(old, { ...ctx, maxPastSkewMs: 30 * 86_400_000, sourceOwned: () => true });
    expect(push.ok ? null : [push.code, push.skew?.direction]).toEqual(["hlc_skew", "past"]);
  });
});

describe("Connect Fact messages", () => {
  const value = (v: ReturnType<typeof create<typeof FactValueSchema>>["v"], type: ValueType) =>
    create(FactValueSchema, { type, v, valueV: "ignored", interpretAs: InterpretAs.UNSPECIFIED });

  it("map to the same checks and pass with our §4 known answer", () => {
    const msg = create(FactSchema, {
      id: OURS.id,
      entity: OURS.entity,
      relation: OURS.relation,
      value: value({ case: "stringValue", value: "CEO" }, ValueType.STRING),
      source: OURS.source,
      timestamp: OURS.timestamp,
      confidence: 1,
      scope: "company",
      cid: OURS.cid,
      hlc: "1796648100000.009",
      originHlc: "1796648100000.003",
      supersedes: OURS.supersedes,
      contradicted: true,
      sourceTrust: 0.2,
    });
    const r = checkWireFact(wireFactFromProto(msg), ctx);
    expect(r.ok && [r.value.value_v, r.value.origin_hlc, r.value.interpret_as, r.value.supersedes]).toEqual([
      "CEO",
      { wall: 1_796_648_100_000, counter: 3 },
      "content",
      OURS.supersedes,
    ]);
  });

  it.each<[string, ReturnType<typeof value>, string]>([
    ["number", value({ case: "numberValue", value: 42 }, ValueType.NUMBER), "42"],
    ["boolean", value({ case: "boolValue", value: false }, ValueType.BOOLEAN), "false"],
    ["explicit null", value({ case: "nullValue", value: NullValue.NULL_VALUE }, ValueType.NULL), "null"],
    ["unset null", value({ case: undefined }, ValueType.NULL), "null"],
  ])("maps a %s value", (_name, v, valueV) => {
    const mapped = wireFactFromProto(create(FactSchema, { value: v })) as { value: Record<string, unknown> };
    const valueType = ValueType[v.type].toLowerCase() as "number" | "boolean" | "null";
    const cid = computeCid({ entity: OURS.entity, relation: OURS.relation, value_type: valueType, value_v: valueV, source: OURS.source, confidence: 1, scope: "company" });
    const r = checkWireFact({ ...OURS, value: mapped.value, cid }, ctx);
    expect(r.ok ? [r.value.value_type, r.value.value_v] : r).toEqual([valueType, valueV]);
  });

  it("refuses an unset value type, and maps empty strings to absent", () => {
    const msg = create(FactSchema, { ...OURS, value: value({ case: "stringValue", value: "CEO" }, ValueType.UNSPECIFIED), supersedes: [] });
    const r = checkWireFact(wireFactFromProto(msg), ctx);
    expect(r.ok ? "ok" : [r.code, r.field]).toEqual(["invalid_shape", "value.type"]);
    const empty = wireFactFromProto(create(FactSchema, {}));
    expect([empty.hlc, empty.origin_hlc, empty.valid_until, empty.garden_id, empty.value]).toEqual([null, null, null, null, undefined]);
  });
});
