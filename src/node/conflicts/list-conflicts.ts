/**
 * `GET /v1/conflicts` (+ `/{id}`) and their Connect twins. A conflict is
 * shown only to callers who may read both of its facts, in any state
 * (protocol.md §6), by the read rules.
 *
 * @module
 */
import { DEFAULT_LIMIT, MAX_LIMIT } from "../../core/limits.js";
import { AppError } from "../app-error.js";
import { readPolicyFor } from "../access/read-policy.js";
import { accessCondition } from "../access/read-rules.js";
import type { Principal } from "../principal.js";
import type { NodeContext } from "../node-context.js";
import { Violations } from "../validation.js";
import { toConflict, type Conflict } from "./conflict.js";

export interface ConflictList {
  readonly conflicts: Conflict[];
  readonly cursor: string | null;
  readonly hasMore: boolean;
  /** Every record the caller may see under the filter. */
  readonly total: number;
}

/** A listing's parameters as received (REST strings or typed Connect values). */
export interface ConflictQueryDraft {
  readonly status?: unknown;
  readonly cursor?: unknown;
  readonly limit?: unknown;
}

export function listConflicts(node: NodeContext, principal: Principal, raw: ConflictQueryDraft): ConflictList {
  const policy = readPolicyFor(principal);
  const v = new Violations();
  const status = raw.status === undefined || raw.status === null || raw.status === "" ? undefined : raw.status;
  if (status !== undefined && status !== "unresolved" && status !== "resolved") {
    v.add(["query", "status"], "Input should be 'unresolved' or 'resolved'", "enum");
  }
  const limitRaw = raw.limit === undefined || raw.limit === null || raw.limit === "" ? DEFAULT_LIMIT : Number(raw.limit);
  if (!Number.isInteger(limitRaw) || limitRaw < 1 || limitRaw > MAX_LIMIT) {
    v.add(["query", "limit"], `Input should be an integer between 1 and ${MAX_LIMIT}`, "int_parsing");
  }
  const cursorRaw = raw.cursor === undefined || raw.cursor === null || raw.cursor === "" ? undefined : raw.cursor;
  if (cursorRaw !== undefined && typeof cursorRaw !== "string") v.add(["query", "cursor"], "Input should be a valid string", "string_type");
  const cursor = typeof cursorRaw === "string" ? cursorRaw : undefined;
  v.throwIfAny();
  let beforeSeq: number | undefined;
  if (cursor !== undefined) {
    beforeSeq = /^c[1-9]\d{0,15}$/.test(cursor) ? Number(cursor.slice(1)) : Number.NaN;
    if (!Number.isSafeInteger(beforeSeq)) throw new AppError("invalid_cursor", "cursor is not one this node issued");
  }
  const page = node.stores.conflicts.list({
    status: status as "unresolved" | "resolved" | undefined,
    readable: accessCondition(policy),
    beforeSeq,
    limit: limitRaw,
  });
  const now = Date.now();
  const last = page.rows.at(-1);
  return {
    conflicts: page.rows.map((r) => toConflict(node, r, now)),
    cursor: page.hasMore && last !== undefined ? `c${last.seq}` : null,
    hasMore: page.hasMore,
    total: page.total,
  };
}

export function getConflict(node: NodeContext, principal: Principal, id: string): Conflict {
  const row = node.stores.conflicts.readableById(id, accessCondition(readPolicyFor(principal)));
  if (row === undefined) throw new AppError("not_found", `no conflict ${id}`);
  return toConflict(node, row, Date.now());
}
