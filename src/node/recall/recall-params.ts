/**
 * Validates a recall request (protocol.md §9) given as a {@link RecallDraft}:
 * the fields as either transport received them, under their camelCase
 * names. Field problems are 422s listing every bad field; an unknown scope
 * is 400 `invalid_scope`, a depth above 3 is 400 `graph_depth_exceeded`,
 * and `asOf` is 501 until time travel lands.
 *
 * @module
 */
import {
  DEFAULT_RECALL_DEPTH,
  DEFAULT_TOKEN_BUDGET,
  MAX_DEPTH,
  MAX_LIMIT,
  MAX_QUERY_BYTES,
  MAX_TOKEN_BUDGET,
  MIN_DEPTH,
  MIN_TOKEN_BUDGET,
} from "../../core/limits.js";
import { normalizeEntityUri } from "../../core/normalize-uri.js";
import { DEFAULT_WEIGHTS, SIGNAL_NAMES, type SignalName, type Weights } from "../../core/recall/scoring.js";
import { DEFAULT_SCOPE, isScope, type Scope } from "../../core/scope.js";
import { AppError } from "../app-error.js";
import { isRecord, optionalString, Violations, type Loc } from "../validation.js";

/** A validated recall. */
export interface RecallParams {
  query: string;
  scope: Scope;
  /** Whether the caller named the scope (an unusable named scope is 403; the default is filtered silently). */
  scopeExplicit: boolean;
  tokenBudget: number;
  depth: number;
  weights: Weights;
  minConfidence: number;
  includeNeighbors: boolean;
  /** Candidates per channel. */
  limit: number;
  /** Only facts of this entity (normalized). Ours. */
  entity: string | undefined;
  /** Only facts with this relation. Ours. */
  relation: string | undefined;
  lambdaMmr: number;
  preferCards: boolean;
}

/** A recall as received, unchecked. */
export interface RecallDraft {
  readonly query?: unknown;
  readonly scope?: unknown;
  readonly tokenBudget?: unknown;
  readonly depth?: unknown;
  /** `{lexical, semantic, graph, sourceTrust, recency}`, each optional. */
  readonly weights?: unknown;
  readonly minConfidence?: unknown;
  readonly includeNeighbors?: unknown;
  readonly limit?: unknown;
  readonly asOf?: unknown;
  readonly entity?: unknown;
  readonly relation?: unknown;
  readonly lambdaMmr?: unknown;
  readonly preferCards?: unknown;
}

/** The draft's name of each weight. */
const WEIGHT_FIELDS: Readonly<Record<SignalName, string>> = {
  lexical: "lexical",
  semantic: "semantic",
  graph: "graph",
  source_trust: "sourceTrust",
  recency: "recency",
};

/** Default MMR trade-off (§9, ours). */
export const DEFAULT_LAMBDA_MMR = 0.7;
/** Default recall `min_confidence` (§9). */
export const DEFAULT_RECALL_MIN_CONFIDENCE = 0.1;
/** Default candidates per channel (§9). */
export const DEFAULT_RECALL_LIMIT = 100;

const LOC: Loc = ["body"];

/** Validates `raw`: a {@link RecallDraft}, or anything else for validation to refuse. */
export function parseRecallParams(raw: unknown): RecallParams {
  const v = new Violations();
  if (!isRecord(raw)) {
    v.add(LOC, "Input should be a valid dictionary", "dict_type");
    v.throwIfAny();
  }
  const body = raw as Record<string, unknown>;

  let query: string | undefined;
  if (body.query === undefined || body.query === null) v.add([...LOC, "query"], "Field required", "missing");
  else if (typeof body.query !== "string") v.add([...LOC, "query"], "Input should be a valid string", "string_type");
  else if (body.query.length === 0) v.add([...LOC, "query"], "String should have at least 1 character", "string_too_short");
  else query = body.query;
  // Refused before anything else is looked at: recall's work grows with the query.
  // A string has at least as many UTF-8 bytes as UTF-16 units, so long ones are not measured.
  if (query !== undefined && (query.length > MAX_QUERY_BYTES || Buffer.byteLength(query) > MAX_QUERY_BYTES)) {
    throw new AppError("query_too_long", `query must be at most ${MAX_QUERY_BYTES} UTF-8 bytes`, {
      details: { max_bytes: MAX_QUERY_BYTES },
    });
  }

  const scopeRaw = optionalString(v, body, "scope", LOC);
  const tokenBudget = int(v, body, "tokenBudget", DEFAULT_TOKEN_BUDGET, MIN_TOKEN_BUDGET, MAX_TOKEN_BUDGET);
  // Above the cap is a protocol error of its own (400), below it a field error (422).
  const depth = int(v, body, "depth", DEFAULT_RECALL_DEPTH, MIN_DEPTH, Number.MAX_SAFE_INTEGER);
  const minConfidence = num(v, body, "minConfidence", DEFAULT_RECALL_MIN_CONFIDENCE, 0, 1);
  const includeNeighbors = bool(v, body, "includeNeighbors", true);
  const limit = int(v, body, "limit", DEFAULT_RECALL_LIMIT, 1, MAX_LIMIT);
  const entityRaw = optionalString(v, body, "entity", LOC);
  const relation = optionalString(v, body, "relation", LOC);
  const lambdaMmr = num(v, body, "lambdaMmr", DEFAULT_LAMBDA_MMR, 0, 1);
  const preferCards = bool(v, body, "preferCards", false);
  const asOf = optionalString(v, body, "asOf", LOC);

  let weights: Weights = DEFAULT_WEIGHTS;
  if (body.weights !== undefined && body.weights !== null) {
    if (!isRecord(body.weights)) {
      v.add([...LOC, "weights"], "Input should be a valid dictionary", "dict_type");
    } else {
      const w = body.weights;
      const out = { ...DEFAULT_WEIGHTS };
      for (const name of SIGNAL_NAMES) out[name] = num(v, w, WEIGHT_FIELDS[name], DEFAULT_WEIGHTS[name], 0, 1, [...LOC, "weights"]);
      weights = Object.freeze(out);
    }
  }
  v.throwIfAny();

  if (asOf !== undefined) {
    throw new AppError("time_travel_plugin_not_loaded", "as_of recall is not available on this node yet");
  }
  if (scopeRaw !== undefined && !isScope(scopeRaw)) {
    throw new AppError("invalid_scope", `scope must be one of local, team, company, public (got "${scopeRaw}")`, {
      details: { scope: scopeRaw },
    });
  }
  if (depth > MAX_DEPTH) {
    throw new AppError("graph_depth_exceeded", `depth must be at most ${MAX_DEPTH}`, {
      details: { depth, max_depth: MAX_DEPTH },
    });
  }
  let entity: string | undefined;
  if (entityRaw !== undefined) {
    try {
      entity = normalizeEntityUri(entityRaw, "entity");
    } catch (e) {
      throw new AppError("invalid_entity_uri", (e as Error).message, { details: { field: "entity" } });
    }
  }
  return {
    query: query!,
    scope: (scopeRaw) ?? DEFAULT_SCOPE,
    scopeExplicit: scopeRaw !== undefined,
    tokenBudget,
    depth,
    weights,
    minConfidence,
    includeNeighbors,
    limit,
    entity,
    relation,
    lambdaMmr,
    preferCards,
  };
}

function bool(v: Violations, obj: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const x = obj[key];
  if (x === undefined || x === null) return fallback;
  if (typeof x === "boolean") return x;
  v.add([...LOC, key], "Input should be a valid boolean", "bool_type");
  return fallback;
}

function int(v: Violations, obj: Record<string, unknown>, key: string, fallback: number, min: number, max: number): number {
  const x = obj[key];
  if (x === undefined || x === null) return fallback;
  // JSON 4.0 is an integer to pydantic; 4.5 is not.
  if (typeof x !== "number" || !Number.isInteger(x)) {
    v.add([...LOC, key], "Input should be a valid integer", "int_type");
    return fallback;
  }
  return range(v, [...LOC, key], x, fallback, min, max);
}

function num(
  v: Violations,
  obj: Record<string, unknown>,
  key: string,
  fallback: number,
  min: number,
  max: number,
  loc: Loc = LOC,
): number {
  const x = obj[key];
  if (x === undefined || x === null) return fallback;
  if (typeof x !== "number" || !Number.isFinite(x)) {
    v.add([...loc, key], "Input should be a valid number", "float_type");
    return fallback;
  }
  return range(v, [...loc, key], x, fallback, min, max);
}

function range(v: Violations, loc: Loc, x: number, fallback: number, min: number, max: number): number {
  if (x < min) {
    v.add(loc, `Input should be greater than or equal to ${min}`, "greater_than_equal");
    return fallback;
  }
  if (x > max) {
    v.add(loc, `Input should be less than or equal to ${max}`, "less_than_equal");
    return fallback;
  }
  return x;
}
