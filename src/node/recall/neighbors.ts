/**
 * `GET /v1/graph/neighbors` and `RecallService.GetNeighbors` (protocol.md
 * §7, §9): the entities reachable from one entity over `ref` edges of the
 * caller's readable current view, nearest first, paged.
 *
 * Order: hops, then entity (code point order). The walk is recomputed per
 * page (it is bounded: {@link MAX_NEIGHBORS} entities, {@link EDGE_CAP}
 * edges per entity and direction) and the cursor is a keyset position bound
 * to the filters, so a cursor reused with other filters is `invalid_cursor`.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { compareCodePoints } from "../../core/code-point-order.js";
import { canonicalJson } from "../../core/canonical-json.js";
import { MAX_DEPTH, MIN_DEPTH } from "../../core/limits.js";
import { normalizeEntityUri } from "../../core/normalize-uri.js";
import { relationGlob, walkGraph } from "../../core/recall/graph-walk.js";
import { isScope } from "../../core/scope.js";
import { AppError } from "../app-error.js";
import { readPolicyFor, requireReadableScope } from "../access/read-policy.js";
import { readCondition } from "../access/read-rules.js";
import type { Principal } from "../principal.js";
import type { NodeContext } from "../node-context.js";
import { QueryParams } from "../query-params.js";
import { edgeLookup } from "./graph-edges.js";

/** Most entities one walk reports (the seed not counted); `total_hint` is capped here too. */
export const MAX_NEIGHBORS = 1_000;
/** Most edges read per entity and direction. */
export const EDGE_CAP = 1_000;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 200;

export interface NeighborEntry {
  readonly entity: string;
  readonly relation: string;
  readonly hops: number;
  readonly confidence: number;
  readonly sourceTrust: number | null;
  /** Entities from the start to this one. */
  readonly path: readonly string[];
}

export interface NeighborsPage {
  readonly entity: string;
  readonly depth: number;
  readonly neighbors: readonly NeighborEntry[];
  readonly nextCursor: string | null;
  /** Entities reached in all (capped). */
  readonly totalHint: number;
}

/** A neighbors request as received: REST strings or typed Connect values, under camelCase names. */
export interface NeighborsDraft {
  readonly entity?: unknown;
  readonly scope?: unknown;
  readonly depth?: unknown;
  readonly relationFilter?: unknown;
  readonly minConfidence?: unknown;
  readonly minTrust?: unknown;
  readonly pageSize?: unknown;
  readonly cursor?: unknown;
}

export function getNeighbors(node: NodeContext, principal: Principal, raw: NeighborsDraft): NeighborsPage {
  const policy = readPolicyFor(principal);
  const q = new QueryParams(raw);
  const v = q.violations;
  const entityRaw = q.str("entity", true);
  const scope = q.str("scope", true);
  const depth = q.num("depth", 1, MIN_DEPTH, Number.MAX_SAFE_INTEGER, true);
  const relationFilter = q.str("relationFilter", false);
  const minConfidence = q.num("minConfidence", 0.1, 0, 1, false);
  const minTrust = q.num("minTrust", 0, 0, 1, false);
  const pageSize = q.num("pageSize", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE, true);
  const cursorText = q.str("cursor", false);
  v.throwIfAny();

  if (depth > MAX_DEPTH) {
    throw new AppError("graph_depth_exceeded", `depth must be at most ${MAX_DEPTH}`, {
      details: { depth, max_depth: MAX_DEPTH },
    });
  }
  if (!isScope(scope)) {
    throw new AppError("invalid_scope", `scope must be one of local, team, company, public (got "${scope}")`, {
      details: { scope },
    });
  }
  requireReadableScope(policy, scope);
  let entity: string;
  try {
    entity = normalizeEntityUri(entityRaw!, "entity");
  } catch (e) {
    throw new AppError("invalid_entity_uri", (e as Error).message, { details: { field: "entity" } });
  }

  const fh = createHash("sha256")
    .update(canonicalJson({ e: entity, s: scope, d: depth, r: relationFilter ?? null, c: String(minConfidence), t: String(minTrust) }))
    .digest("base64url")
    .slice(0, 16);
  const after = cursorText === undefined ? undefined : decodeNeighborCursor(cursorText, fh);

  const reached = walkGraph([entity], {
    depth,
    maxEntities: MAX_NEIGHBORS + 1,
    edgesOf: edgeLookup(node, {
      scope,
      readable: readCondition(policy, { kind: "current", nowMs: Date.now(), includeContradicted: true, minConfidence }),
      minTrust,
      relationMatch: relationFilter === undefined ? undefined : relationGlob(relationFilter),
      cap: EDGE_CAP,
    }),
  });
  const all = reached
    .filter((r) => r.via !== null)
    .sort((a, b) => a.hops - b.hops || compareCodePoints(a.entity, b.entity));
  const start = after === undefined ? 0 : all.findIndex((r) => r.hops > after.h || (r.hops === after.h && compareCodePoints(r.entity, after.e) > 0));
  const rest = start < 0 ? [] : all.slice(start);
  const page = rest.slice(0, pageSize);
  const last = page.at(-1);
  return {
    entity,
    depth,
    neighbors: page.map((r) => ({
      entity: r.entity,
      relation: r.via!.relation,
      hops: r.hops,
      confidence: r.via!.confidence,
      sourceTrust: r.via!.sourceTrust,
      path: [...r.path],
    })),
    nextCursor: rest.length > pageSize && last !== undefined ? encodeNeighborCursor({ h: last.hops, e: last.entity }, fh) : null,
    totalHint: all.length,
  };
}

interface NeighborCursor {
  h: number;
  e: string;
}

function encodeNeighborCursor(pos: NeighborCursor, fh: string): string {
  return Buffer.from(JSON.stringify({ v: 1, h: pos.h, e: pos.e, fh }), "utf8").toString("base64url");
}

function decodeNeighborCursor(text: string, fh: string): NeighborCursor {
  let body: Record<string, unknown>;
  try {
    if (!/^[A-Za-z0-9_-]{1,4096}$/.test(text)) throw new Error("not base64url");
    body = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    throw new AppError("invalid_cursor", "cursor is not one this node issued");
  }
  if (typeof body !== "object" || body === null || body.v !== 1 || !Number.isSafeInteger(body.h) || typeof body.e !== "string") {
    throw new AppError("invalid_cursor", "cursor is not one this node issued");
  }
  if (body.fh !== fh) throw new AppError("invalid_cursor", "cursor was issued for other filters");
  return { h: body.h as number, e: body.e };
}
