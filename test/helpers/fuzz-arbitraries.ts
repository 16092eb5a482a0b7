/**
 * fast-check arbitraries for hostile requests: values that stress validators,
 * REST bodies (random, one field of a valid body spoiled, raw bytes), and
 * random instances of any protobuf message built from its descriptor, whose
 * encoded bytes may then be damaged (truncated, flipped, invalid UTF-8).
 *
 * @module
 */
import { create, ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import fc from "fast-check";

/** Strings that stress validators: empty, blank, control, lone surrogate, long, URI-ish, CID-ish. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "\ud800",
    "\udfff",
    "\u202e",
    "\ufeff",
    "sha256:",
    `sha256:${"0".repeat(64)}`,
    "stigmem://",
    "stigmem:// /b/c",
    "user:alice",
    "company",
    "local",
    "team",
    "public",
    "00000000-0000-4000-8000-000000000000",
    "1795268267955.007",
    "2030-01-01T00:00:00Z",
    "not-a-date",
    "%ff",
    "../../etc/passwd",
    "a".repeat(5_000),
    "é".repeat(2_049),
  ),
  fc.string({ unit: "grapheme-composite", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 20 }),
);

/** JSON values that stress validators: wrong types, extremes, odd strings. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, true, false, -1, 0, 1, 0.5, 2, 1e308, -1e-320, 500, 501, 100_000, 1e16, -0),
  nastyString,
);

/** Ways to spoil encoded bytes; `none` most of the time so most bodies parse. */
export type Damage = { kind: "none" } | { kind: "truncate"; at: number } | { kind: "flip"; at: number; bits: number }
  | { kind: "append"; bytes: Uint8Array } | { kind: "badUtf8"; at: number } | { kind: "garbage"; bytes: Uint8Array };

export const damage: fc.Arbitrary<Damage> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: "none" as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bits: fc.integer({ min: 1, max: 255 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("append" as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("badUtf8" as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("garbage" as const), bytes: fc.uint8Array({ maxLength: 64 }) }) },
);

/** Applies `d` to `bytes` (a copy). */
export function applyDamage(bytes: Uint8Array, d: Damage): Uint8Array {
  const out = Buffer.from(bytes);
  switch (d.kind) {
    case "none":
      return out;
    case "truncate":
      return out.subarray(0, out.length === 0 ? 0 : d.at % out.length);
    case "flip":
      if (out.length > 0) out[d.at % out.length]! ^= d.bits;
      return out;
    case "append":
      return Buffer.concat([out, d.bytes]);
    case "badUtf8": {
      // 0xff never appears in UTF-8; placed inside a string field or JSON text it must be refused.
      if (out.length > 0) out[d.at % out.length] = 0xff;
      return out;
    }
    case "garbage":
      return Buffer.from(d.bytes);
  }
}

function scalar(type: ScalarType): fc.Arbitrary<unknown> {
  switch (type) {
    case ScalarType.STRING:
      return nastyString;
    case ScalarType.BOOL:
      return fc.boolean();
    case ScalarType.DOUBLE:
      return fc.oneof(fc.double(), fc.constantFrom(0, 1, 0.5, -1, 1e16));
    case ScalarType.FLOAT:
      return fc.float();
    case ScalarType.BYTES:
      return fc.uint8Array({ maxLength: 16 });
    case ScalarType.INT32:
    case ScalarType.SINT32:
    case ScalarType.SFIXED32:
      return fc.oneof(fc.integer(), fc.integer({ min: -2, max: 600 }));
    case ScalarType.UINT32:
    case ScalarType.FIXED32:
      return fc.oneof(fc.nat({ max: 0xffff_ffff }), fc.nat({ max: 600 }));
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
    default:
      return fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
  }
}

function single(kind: "scalar" | "enum" | "message", f: DescField, depth: number): fc.Arbitrary<unknown> {
  if (kind === "scalar") return scalar((f as { scalar: ScalarType }).scalar);
  if (kind === "enum") {
    const values = (f as { enum: { values: { number: number }[] } }).enum.values.map((v) => v.number);
    return fc.oneof(fc.constantFrom(...values), fc.integer({ min: -1, max: 50 }));
  }
  const message = (f as { message: DescMessage }).message;
  return depth >= 3 ? fc.constant(undefined) : messageInit(message, depth + 1).map((init) => create(message, init));
}

function fieldValue(f: DescField, depth: number): fc.Arbitrary<unknown> {
  // Past the depth limit nested messages are left out, so a repeated or map field of them stays empty.
  const nested = (f.fieldKind === "list" && f.listKind === "message") || (f.fieldKind === "map" && f.mapKind === "message");
  if (nested && depth >= 3) return fc.constant(undefined);
  switch (f.fieldKind) {
    case "list":
      return fc.array(single(f.listKind, f, depth), { maxLength: depth >= 2 ? 1 : 3 }).map((xs) => xs.filter((x) => x !== undefined));
    case "map":
      return fc.dictionary(
        fc.string({ maxLength: 8 }),
        single(f.mapKind, f, depth).filter((x) => x !== undefined),
        { maxKeys: 2 },
      );
    default:
      return single(f.fieldKind, f, depth);
  }
}

/** A random init object for `desc` (any subset of its fields, one member per oneof at most). */
export function messageInit(desc: DescMessage, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const parts: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of desc.fields) if (f.oneof === undefined) parts[f.localName] = fieldValue(f, depth);
  for (const o of desc.oneofs) {
    parts[o.localName] = fc.oneof(
      fc.constant(undefined),
      ...o.fields.map((f) => fieldValue(f, depth).map((value) => (value === undefined ? undefined : { case: f.localName, value }))),
    );
  }
  return fc.record(parts, { requiredKeys: [] });
}
