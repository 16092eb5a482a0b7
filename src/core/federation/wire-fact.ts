/**
 * @module core/federation/wire-fact
 *
 * The per-fact checks of federated ingest (protocol.md §10 "Ingest" steps
 * 1–3 and 5's skew bound, push's source ownership) on a fact as a peer sent
 * it, in the REST FactRecord shape the reference serves and our REST pull
 * serves (Connect `Fact` messages are mapped to this shape first, by
 * `src/federation/proto-wire-fact.ts`). Either the fact is accepted as a
 * normalized record ready for the apply step, or it is rejected with a
 * stable code that is audited while the cursor moves on (reject-and-advance).
 *
 * Order: shape → scope → source ownership (push) → CID → HLC skew. Dedup,
 * HLC receive and quarantine need the store and happen in the apply step.
 *
 * The CID is recomputed over the normalized fields with our canonical
 * `value_v`; for an integral number that fails, the §4 fallback tries
 * `${BigInt(x)}` and `${BigInt(x)}.0` (a reference node hashed Python
 * `str()` of what it parsed, and serves `42.0` for a fact it stored as `42`),
 * and the text that matched is what the node stores and re-verifies.
 */
import { computeCid, isCidString } from "../cid.js";
import { parseConfidence } from "../confidence.js";
import { isCoreError } from "../errors.js";
import { checkSkew, parseHlc, type Hlc } from "../hlc.js";
import { DEFAULT_MAX_FUTURE_SKEW_MS } from "../limits.js";
import { normalizeEntityUri } from "../normalize-uri.js";
import { isScope, type Scope } from "../scope.js";
import { checkTextField } from "../text-field.js";
import { isRfc3339 } from "../timestamp.js";
import { numberValueVCandidates, parseInterpretAs, parseValueType, toValueV, type InterpretAs, type ValueType } from "../values.js";
import { failed, type Failed } from "./check-result.js";

/** Why an incoming fact was rejected; each is audited and the cursor advances. */
export const WIRE_FACT_ERROR_CODES = [
  /** Missing or ill-typed field, oversized text, unnormalized URI, reserved relation, garden fact. */
  "invalid_shape",
  /** `local`, or a scope this peer may not send (audit `scope_violation`). */
  "scope_not_permitted",
  /** Push only: the source is not in the pushing peer's namespace (audit `rejected_fact`). */
  "source_not_owned",
  /** The CID does not match the content (audit `federation_integrity_rejected`). */
  "cid_mismatch",
  /** The HLC is beyond the skew bound (audit `peer_hlc_anomaly`). */
  "hlc_skew",
] as const;

/** One of {@link WIRE_FACT_ERROR_CODES}. */
export type WireFactErrorCode = (typeof WIRE_FACT_ERROR_CODES)[number];

/** A fact that passed every per-fact check, normalized for the apply step. */
export interface WireFact {
  /** The origin's id (kept on ingest). */
  readonly id: string;
  readonly entity: string;
  readonly relation: string;
  readonly source: string;
  readonly scope: Exclude<Scope, "local">;
  readonly value_type: ValueType;
  /** The stored text: our canonical text, or the fallback text the peer's CID matched. */
  readonly value_v: string;
  readonly interpret_as: InterpretAs;
  readonly confidence: number;
  /** The origin's timestamp, verbatim. */
  readonly timestamp: string;
  readonly valid_until: string | null;
  /** The verified CID (equal to the recomputed one). */
  readonly cid: string;
  /** `origin_hlc` (or, from reference peers, `hlc`); null when the peer sent none: the apply step ticks. */
  readonly origin_hlc: Hlc | null;
  /** Ids of facts of the same chain this one replaced at its origin (our peers only). */
  readonly supersedes: readonly string[];
}

/** A rejection, with what the audit entry needs. */
export type WireFactRejection = Failed<WireFactErrorCode> & {
  /** The fact's id when it had a readable one. */
  readonly factId?: string;
  /** For `cid_mismatch`: what the peer claimed and what the content hashes to. */
  readonly storedCid?: string;
  readonly computedCid?: string;
  /** For `hlc_skew`: which bound and by how many ms. */
  readonly skew?: { readonly direction: "future" | "past"; readonly skewMs: number };
};

/** Outcome of {@link checkWireFact}. */
export type WireFactCheck = { readonly ok: true; readonly value: WireFact } | WireFactRejection;

/** What the checks need to know about the sender and the moment. */
export interface WireFactContext {
  readonly nowMs: number;
  /** Scopes this peer may send us (its approved allowed_scopes); `local` is refused regardless. */
  readonly allowedScopes: readonly string[];
  /** Future bound on the HLC wall (§5); default 300 s. */
  readonly maxFutureSkewMs?: number;
  /** Past bound on the HLC wall: push only (§13.3); omit for pull, where backfill is legitimate. */
  readonly maxPastSkewMs?: number;
  /** Push only: whether the pushing peer owns this (normalized) source (§10). Omit for pull. */
  readonly sourceOwned?: (source: string) => boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_TIME_TEXT = 64;
const MAX_SUPERSEDES = 1_000;

/** Carries a rejection out of the nested checks; caught at the top and returned, never escaping. */
class Reject extends Error {
  constructor(readonly r: WireFactRejection) {
    super(r.message);
  }
}

function shape(message: string, field: string, factId: string | undefined): never {
  throw new Reject({ ...failed("invalid_shape", message, field), ...(factId === undefined ? {} : { factId }) });
}

function str(b: Record<string, unknown>, key: string, factId: string | undefined): string {
  const x = b[key];
  if (typeof x !== "string" || x.length === 0) shape(`${key} must be a non-empty string`, key, factId);
  return x;
}

/** A normalized URI field: it must already be in normal form, as the origin hashed it. */
function uri(b: Record<string, unknown>, key: "entity" | "source", factId: string | undefined): string {
  const x = str(b, key, factId);
  let normal: string;
  try {
    normal = checkTextField(normalizeEntityUri(x, key), key);
  } catch (e) {
    if (isCoreError(e)) shape(e.message, key, factId);
    throw e;
  }
  if (normal !== x) shape(`${key} is not in normal form (${JSON.stringify(normal)})`, key, factId);
  return x;
}

function time(b: Record<string, unknown>, key: string, factId: string | undefined, optional: boolean): string | null {
  const x = b[key];
  if (optional && (x === undefined || x === null)) return null;
  if (typeof x !== "string" || x.length > MAX_TIME_TEXT || !isRfc3339(x)) shape(`${key} must be an RFC 3339 date-time`, key, factId);
  return x;
}

function hlcOf(b: Record<string, unknown>, factId: string | undefined): Hlc | null {
  // Our peers send origin_hlc; reference peers only hlc (theirs, which is the origin's: they never relay).
  const key = typeof b.origin_hlc === "string" && b.origin_hlc !== "" ? "origin_hlc" : "hlc";
  const x = b[key];
  if (x === undefined || x === null || x === "") return null;
  if (typeof x !== "string") shape(`${key} must be a string`, key, factId);
  try {
    return parseHlc(x, key);
  } catch {
    return shape(`${key} must be "{wall_ms}.{counter}"`, key, factId);
  }
}

function supersedesOf(b: Record<string, unknown>, factId: string | undefined): string[] {
  const x = b.supersedes;
  if (x === undefined || x === null) return [];
  if (!Array.isArray(x) || x.length > MAX_SUPERSEDES || !x.every((i) => typeof i === "string" && UUID.test(i))) {
    shape(`supersedes must be a list of at most ${MAX_SUPERSEDES} fact ids`, "supersedes", factId);
  }
  return x as string[];
}

/**
 * The value's type, interpretation, canonical `value_v`, and the other texts
 * its CID may be over (the §4 number fallback; computed only when the
 * canonical text does not match, which for our peers is never).
 */
function valueOf(
  b: Record<string, unknown>,
  factId: string | undefined,
): { type: ValueType; interpretAs: InterpretAs; canonical: string; fallbacks: () => string[] } {
  const value = b.value;
  if (typeof value !== "object" || value === null || Array.isArray(value)) shape("value must be an object", "value", factId);
  const v = value as Record<string, unknown>;
  try {
    const type = parseValueType(v.type);
    const interpretAs = parseInterpretAs(v.interpret_as);
    const canonical = toValueV({ type, v: v.v });
    const fallbacks = (): string[] => (type === "number" ? numberValueVCandidates(v.v as number).filter((t) => t !== canonical) : []);
    return { type, interpretAs, canonical, fallbacks };
  } catch (e) {
    if (isCoreError(e)) shape(e.message, e.field ?? "value", factId);
    throw e;
  }
}

function check(input: unknown, ctx: WireFactContext): WireFact {
  if (typeof input !== "object" || input === null || Array.isArray(input)) shape("a fact must be a JSON object", "fact", undefined);
  const b = input as Record<string, unknown>;
  const rawId = b.id;
  const factId = typeof rawId === "string" && rawId.length <= 64 ? rawId : undefined;
  if (factId === undefined || !UUID.test(factId)) shape("id must be a lowercase UUID", "id", factId);

  // 1. Shape.
  const entity = uri(b, "entity", factId);
  const source = uri(b, "source", factId);
  const relation = str(b, "relation", factId);
  try {
    checkTextField(relation, "relation");
  } catch (e) {
    if (isCoreError(e)) shape(e.message, "relation", factId);
    throw e;
  }
  if (relation.startsWith("stigmem:")) shape("stigmem: relations are node-local and never federated", "relation", factId);
  const value = valueOf(b, factId);
  let confidence: number;
  try {
    if (b.confidence === undefined) throw new Error("missing");
    confidence = parseConfidence(b.confidence);
  } catch {
    return shape("confidence must be a number in [0, 1]", "confidence", factId);
  }
  const rawScope = b.scope;
  if (!isScope(rawScope)) shape("scope must be one of local, team, company, public", "scope", factId);
  const cid = b.cid;
  if (!isCidString(cid)) shape("cid must be sha256: and 64 lowercase hex digits", "cid", factId);
  const timestamp = time(b, "timestamp", factId, false)!;
  const validUntil = time(b, "valid_until", factId, true);
  const originHlc = hlcOf(b, factId);
  const supersedes = supersedesOf(b, factId);
  if (b.garden_id !== undefined && b.garden_id !== null) shape("garden facts are never federated", "garden_id", factId);

  // 2. Scope: never local, and only what this peer may send.
  if (rawScope === "local" || !ctx.allowedScopes.includes(rawScope)) {
    throw new Reject({ ...failed("scope_not_permitted", `scope ${rawScope} is not permitted for this peer`, "scope"), factId });
  }
  const scope = rawScope;

  // Push: the source must be in the sender's namespace.
  if (ctx.sourceOwned !== undefined && !ctx.sourceOwned(source)) {
    throw new Reject({ ...failed("source_not_owned", "the source is not owned by the sending peer", "source"), factId });
  }

  // 3. CID, with the §4 number fallback.
  const cidOf = (value_v: string): string =>
    computeCid({ entity, relation, value_type: value.type, value_v, source, confidence, scope });
  const computedCid = cidOf(value.canonical);
  const valueV = computedCid === cid ? value.canonical : value.fallbacks().find((t) => cidOf(t) === cid);
  if (valueV === undefined) {
    throw new Reject({
      ...failed("cid_mismatch", "the cid does not match the fact's content", "cid"),
      factId,
      storedCid: cid,
      computedCid,
    });
  }

  // 5 (first half). The skew bound; the receive itself needs the clock, in the apply step.
  if (originHlc !== null) {
    const skew = checkSkew(originHlc, ctx.nowMs, {
      maxFutureMs: ctx.maxFutureSkewMs ?? DEFAULT_MAX_FUTURE_SKEW_MS,
      maxPastMs: ctx.maxPastSkewMs,
    });
    if (!skew.ok) {
      throw new Reject({
        ...failed("hlc_skew", `the HLC is ${skew.skewMs} ms in the ${skew.reason}, beyond the bound`, "hlc"),
        factId,
        skew: { direction: skew.reason, skewMs: skew.skewMs },
      });
    }
  }

  return {
    id: factId,
    entity,
    relation,
    source,
    scope,
    value_type: value.type,
    value_v: valueV,
    interpret_as: value.interpretAs,
    confidence,
    timestamp,
    valid_until: validUntil,
    cid,
    origin_hlc: originHlc,
    supersedes,
  };
}

/**
 * Checks one fact received from a peer (pull page or push body).
 *
 * @example
 * checkWireFact(refFact, { nowMs: Date.now(), allowedScopes: ["public"] });
 * // { ok: true, value: { …, value_v: "42" } } or { ok: false, code: "cid_mismatch", … }
 */
export function checkWireFact(input: unknown, ctx: WireFactContext): WireFactCheck {
  try {
    return { ok: true, value: check(input, ctx) };
  } catch (e) {
    if (e instanceof Reject) return e.r;
    throw e;
  }
}
