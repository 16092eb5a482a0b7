/**
 * How the stigmem 0.9 reference's Python SDK talks to a node, for the
 * wire-compatibility test: the JSON bodies it sends (Python serialization,
 * floats as floats) and the response shapes its pydantic models demand when
 * parsing our answers. Written from the SDK's public models; the reference
 * OpenAPI description leaves several of these responses as open objects
 * (`/.well-known/stigmem`, `/v1/conflicts`, resolve, `/v1/me`), so these
 * shapes are the stricter client-side check for them.
 *
 * @module
 */
import { pythonFloatRepr } from "../../src/core/python-float.js";
import { isPyFloat, pyFloat, type PyFloat } from "../../src/core/py-float-value.js";

export { pyFloat };

/** A JSON value in which numbers meant as Python floats are {@link PyFloat}-wrapped. */
export type PyJson = null | boolean | number | string | PyFloat | PyJson[] | { [key: string]: PyJson | undefined };

/**
 * Serializes like httpx's `json=` does (`json.dumps`, compact separators,
 * `ensure_ascii=False`, keys in insertion order): a PyFloat prints in Python
 * float repr (`1.0`, `42.0`, `1e-05`), a plain number as a Python int.
 * Keys whose value is `undefined` are left out.
 */
export function pythonJson(value: PyJson): string {
  if (isPyFloat(value)) return pythonFloatRepr(value.value);
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw new Error(`plain number ${value} is not a Python int; wrap floats with pyFloat()`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(",")}]`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if (v !== undefined) parts.push(`${JSON.stringify(k)}:${pythonJson(v)}`);
  }
  return `{${parts.join(",")}}`;
}

/** A `FactValue` as the SDK's value models dump it: `v` absent for null, a float for numbers. */
export type SdkValue =
  | { type: "string" | "text" | "datetime" | "ref"; v: string }
  | { type: "number"; v: PyFloat }
  | { type: "boolean"; v: boolean }
  | { type: "null" };

export const sdkValue = {
  string: (v: string): SdkValue => ({ type: "string", v }),
  text: (v: string): SdkValue => ({ type: "text", v }),
  datetime: (v: string): SdkValue => ({ type: "datetime", v }),
  ref: (v: string): SdkValue => ({ type: "ref", v }),
  number: (v: number): SdkValue => ({ type: "number", v: pyFloat(v) }),
  boolean: (v: boolean): SdkValue => ({ type: "boolean", v }),
  null: (): SdkValue => ({ type: "null" }),
};

export interface SdkAssertArgs {
  entity: string;
  relation: string;
  value: SdkValue;
  source: string;
  confidence?: number;
  scope?: "local" | "team" | "company" | "public";
  valid_until?: string;
  write_mode?: string;
  derived_from?: Record<string, PyJson>[];
}

/**
 * The body of `StigmemClient.assert_fact`: the request model dumped without
 * None fields, so `confidence` (float, default 1.0), `scope` (default
 * `company`), `write_mode` (`assert`) and `derived_from` (`[]`) are always
 * sent and `valid_until` only when given.
 */
export function sdkAssertBody(a: SdkAssertArgs): { [key: string]: PyJson | undefined } {
  return {
    entity: a.entity,
    relation: a.relation,
    value: a.value,
    source: a.source,
    confidence: pyFloat(a.confidence ?? 1.0),
    scope: a.scope ?? "company",
    valid_until: a.valid_until,
    write_mode: a.write_mode ?? "assert",
    derived_from: a.derived_from ?? [],
  };
}

/** The body of `StigmemClient.retract`: an assert of `"retracted"` with confidence 0.0. */
export function sdkRetractBody(a: { entity: string; relation: string; scope: SdkAssertArgs["scope"]; source: string }) {
  return sdkAssertBody({ ...a, value: sdkValue.string("retracted"), confidence: 0.0 });
}

/** The body of `StigmemClient.resolve_conflict`: the note always, the winner or the new value when given. */
export function sdkResolveBody(a: { winning_fact_id?: string; new_value?: SdkValue; resolution_note?: string }) {
  return {
    resolution_note: a.resolution_note ?? "",
    winning_fact_id: a.winning_fact_id,
    new_value: a.new_value as PyJson | undefined,
  };
}

/** The query string of `StigmemClient.query`: `limit` always, flags only when set. */
export function sdkQueryString(a: {
  entity?: string;
  relation?: string;
  source?: string;
  scope?: string;
  min_confidence?: number;
  include_contradicted?: boolean;
  include_expired?: boolean;
  cursor?: string;
  limit?: number;
  after?: string;
}): string {
  const q = new URLSearchParams({ limit: String(a.limit ?? 50) });
  if (a.entity) q.set("entity", a.entity);
  if (a.relation) q.set("relation", a.relation);
  if (a.source) q.set("source", a.source);
  if (a.scope) q.set("scope", a.scope);
  if (a.min_confidence !== undefined) q.set("min_confidence", pythonFloatRepr(a.min_confidence));
  if (a.include_contradicted) q.set("include_contradicted", "true");
  if (a.include_expired) q.set("include_expired", "true");
  if (a.cursor) q.set("cursor", a.cursor);
  if (a.after) q.set("after", a.after);
  return q.toString();
}

/** The query string of `StigmemClient.list_conflicts` (status defaults to `unresolved`). */
export function sdkConflictsQueryString(a: { status?: string | null; cursor?: string; limit?: number } = {}): string {
  const q = new URLSearchParams({ limit: String(a.limit ?? 50) });
  const status = a.status === undefined ? "unresolved" : a.status;
  if (status) q.set("status", status);
  if (a.cursor) q.set("cursor", a.cursor);
  return q.toString();
}

// ── What the SDK's response models require (pydantic, extra fields allowed) ──

const nullable = (schema: object) => ({ anyOf: [schema, { type: "null" }] });
const SCOPES = ["local", "team", "company", "public"];

/** The SDK's value union: `type` picks the model, `v` must have that model's type. */
const SDK_VALUE = {
  anyOf: [
    { type: "object", required: ["type", "v"], properties: { type: { enum: ["string", "text", "datetime", "ref"] }, v: { type: "string" } } },
    { type: "object", required: ["type", "v"], properties: { type: { const: "number" }, v: { type: "number" } } },
    { type: "object", required: ["type", "v"], properties: { type: { const: "boolean" }, v: { type: "boolean" } } },
    { type: "object", required: ["type"], properties: { type: { const: "null" } } },
  ],
};

/** `Fact`. */
export const SDK_FACT = {
  type: "object",
  required: ["id", "entity", "relation", "value", "source", "timestamp", "confidence", "scope"],
  properties: {
    id: { type: "string" },
    entity: { type: "string" },
    relation: { type: "string" },
    value: SDK_VALUE,
    source: { type: "string" },
    timestamp: { type: "string" },
    hlc: nullable({ type: "string" }),
    valid_until: nullable({ type: "string" }),
    confidence: { type: "number" },
    scope: { enum: SCOPES },
    contradicted: { type: "boolean" },
    received_from: nullable({ type: "string" }),
  },
};

/** `FactPage`: note `total` is a required integer, never null. */
export const SDK_FACT_PAGE = {
  type: "object",
  required: ["facts", "total"],
  properties: {
    facts: { type: "array", items: SDK_FACT },
    total: { type: "integer" },
    cursor: nullable({ type: "string" }),
  },
};

/** `NodeInfo` (`/.well-known/stigmem`). */
export const SDK_NODE_INFO = {
  type: "object",
  required: ["version", "node_id", "node_url", "auth", "federation"],
  properties: {
    version: { type: "string" },
    node_id: { type: "string" },
    node_url: { type: "string" },
    auth: { enum: ["none", "required"] },
    federation: { enum: ["disabled", "enabled"] },
    federation_pubkey: nullable({ type: "string" }),
    federation_version: nullable({ type: "string" }),
    federation_endpoints: nullable({
      type: "object",
      required: ["peers", "facts"],
      properties: { peers: { type: "string" }, facts: { type: "string" }, push: nullable({ type: "string" }) },
    }),
    namespaces: { type: "array", items: { type: "string" } },
    spec: nullable({ type: "string" }),
  },
};

/** `Conflict`. */
export const SDK_CONFLICT = {
  type: "object",
  required: ["conflict_id", "fact_a", "fact_b", "status", "detected_at"],
  properties: {
    conflict_id: { type: "string" },
    fact_a: SDK_FACT,
    fact_b: SDK_FACT,
    status: { enum: ["unresolved", "resolved"] },
    resolved_by: nullable({ type: "string" }),
    detected_at: { type: "string" },
  },
};

/** `ConflictPage`. */
export const SDK_CONFLICT_PAGE = {
  type: "object",
  required: ["conflicts"],
  properties: {
    conflicts: { type: "array", items: SDK_CONFLICT },
    cursor: nullable({ type: "string" }),
    has_more: { type: "boolean" },
  },
};

/** `ConflictResolution`. */
export const SDK_CONFLICT_RESOLUTION = {
  type: "object",
  required: ["resolution_fact_id", "conflict_status"],
  properties: {
    resolution_fact_id: { type: "string" },
    conflict_status: { const: "resolved" },
  },
};
