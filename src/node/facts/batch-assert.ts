/**
 * `POST /v1/facts:batch` and `FactService.BatchAssertFacts` (protocol.md §7):
 * up to 500 writes in one transaction. With `atomic`, one bad item writes
 * nothing and the others report `batch_aborted`; otherwise each item
 * succeeds or fails alone (a savepoint each). An idempotency key replays the
 * first response for 24 h and refuses a different body.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { MAX_BATCH } from "../../core/limits.js";
import { AppError, isAppError, type ErrCode } from "../app-error.js";
import { AUDITED_DENIALS } from "../auth/denial-audit.js";
import { requirePermission, type Principal } from "../principal.js";
import type { NodeContext } from "../node-context.js";
import { isRecord, Violations } from "../validation.js";
import { parseAssertInput, type AssertInput } from "./assert-input.js";
import { authorizeWrite } from "./authorize-write.js";
import type { ApplyOutcome } from "./apply-fact.js";

export interface BatchItemResult {
  readonly index: number;
  readonly status: "accepted" | "rejected";
  readonly factId?: string;
  readonly cid?: string;
  readonly deduplicated: boolean;
  /** Stable error code of a rejected item (`batch_aborted` for the innocent items of a failed atomic batch). */
  readonly error?: string;
  readonly errorMessage?: string;
}

export interface BatchResult {
  readonly accepted: number;
  readonly rejected: number;
  readonly results: readonly BatchItemResult[];
}

/** A batch as received from either transport, unchecked: its items are {@link AssertDraft}s. */
export interface BatchDraft {
  readonly facts?: unknown;
  readonly atomic?: unknown;
  readonly idempotencyKey?: unknown;
}

type Parsed = { ok: true; input: AssertInput } | { ok: false; code: string; message: string };

export async function batchAssert(node: NodeContext, principal: Principal, body: BatchDraft): Promise<BatchResult> {
  requirePermission(principal, "write");
  const v = new Violations();
  if (!isRecord(body)) {
    v.add(["body"], "Input should be a valid dictionary", "dict_type");
    v.throwIfAny();
  }
  const req = body;
  const items = req.facts;
  if (!Array.isArray(items)) v.add(["body", "facts"], "Input should be a valid list", "list_type");
  else if (items.length > MAX_BATCH) {
    v.add(["body", "facts"], `List should have at most ${MAX_BATCH} items`, "too_long");
  }
  const atomic = req.atomic ?? false;
  if (typeof atomic !== "boolean") v.add(["body", "atomic"], "Input should be a valid boolean", "bool_type");
  const key = req.idempotencyKey ?? null;
  if (key !== null && (typeof key !== "string" || key.length === 0 || key.length > 256)) {
    v.add(["body", "idempotencyKey"], "Input should be a string of 1-256 characters", "string_type");
  }
  v.throwIfAny();

  const now = Date.now();
  const actor = principal.entityUri;
  const bodyHash = key === null ? "" : hashBody(req);
  const parsed: Parsed[] = (items as unknown[]).map((item, index) => {
    try {
      const input = parseAssertInput(item, ["body", "facts", index]);
      authorizeWrite(principal, input);
      return { ok: true, input };
    } catch (e) {
      if (!isAppError(e)) throw e;
      return { ok: false, code: e.code, message: e.message };
    }
  });

  return node.writes.submit((): BatchResult => {
    // Checked inside the write, so two concurrent requests with one key cannot both write.
    if (key !== null) {
      const previous = node.stores.idempotency.get(key as string, actor, now);
      if (previous !== undefined) {
        if (previous.body_hash !== bodyHash) {
          throw new AppError("idempotency_key_reused", "this idempotency key was used with a different request body", {
            details: { idempotency_key: key },
          });
        }
        return JSON.parse(previous.response) as BatchResult;
      }
    }
    const results = atomic === true ? writeAtomic(node, parsed, actor, now) : writeEach(node, parsed, actor, now);
    const accepted = results.filter((r) => r.status === "accepted");
    const result: BatchResult = { accepted: accepted.length, rejected: results.length - accepted.length, results };
    node.stores.audit.append(
      {
        eventType: "batch_write",
        actor,
        outcome: accepted.length > 0 || results.length === 0 ? "success" : "rejected",
        detail: {
          atomic: atomic === true,
          accepted: result.accepted,
          rejected: result.rejected,
          fact_ids: accepted.filter((r) => !r.deduplicated).map((r) => r.factId),
        },
      },
      now,
    );
    // Items refused for a missing permission or scope are audited like any other denial.
    parsed.forEach((p, index) => {
      if (!p.ok && AUDITED_DENIALS.has(p.code as ErrCode)) {
        node.stores.audit.append(
          {
            eventType: "permission_denied",
            actor,
            outcome: "denied",
            detail: { code: p.code, operation: "batchAssertFacts", item: index, key_id: principal.keyId },
          },
          now,
        );
      }
    });
    if (key !== null) node.stores.idempotency.put(key as string, actor, bodyHash, JSON.stringify(result), now);
    return result;
  });
}

/** One item through the write step; conflicts are audited there, the batch is audited once by the caller. */
function writeItem(node: NodeContext, input: AssertInput, actor: string, now: number): ApplyOutcome {
  return node.applier.apply(input, { kind: "local", actor }, now, { auditWrite: false });
}

/** Writes every item or none. */
function writeAtomic(node: NodeContext, parsed: Parsed[], actor: string, now: number): BatchItemResult[] {
  if (parsed.some((p) => !p.ok)) {
    return parsed.map((p, index) =>
      p.ok
        ? rejected(index, "batch_aborted", "another item of this atomic batch was rejected; nothing was written")
        : rejected(index, p.code, p.message),
    );
  }
  return parsed.map((p, index) => {
    const out = writeItem(node, (p as { input: AssertInput }).input, actor, now);
    return accepted(index, out.row.id, out.row.cid, out.deduplicated);
  });
}

/**
 * Writes each valid item independently. Items that passed validation almost
 * never fail, so all are first written under one savepoint; only if one
 * throws is that undone and every item retried in a savepoint of its own.
 */
function writeEach(node: NodeContext, parsed: Parsed[], actor: string, now: number): BatchItemResult[] {
  try {
    return node.writes.savepoint(() =>
      parsed.map((p, index) => {
        if (!p.ok) return rejected(index, p.code, p.message);
        const out = writeItem(node, p.input, actor, now);
        return accepted(index, out.row.id, out.row.cid, out.deduplicated);
      }),
    );
  } catch {
    return parsed.map((p, index) => {
      if (!p.ok) return rejected(index, p.code, p.message);
      try {
        // A savepoint per item: a failing item leaves the others intact.
        const out = node.writes.savepoint(() => writeItem(node, p.input, actor, now));
        return accepted(index, out.row.id, out.row.cid, out.deduplicated);
      } catch (e) {
        const err = AppError.from(e);
        // A failure of the store itself (busy, full, a bug) fails the whole batch, as it would a single write.
        if (err.code === "internal" || err.code === "unavailable" || err.code === "storage_full") throw e;
        return rejected(index, err.code, err.message);
      }
    });
  }
}

function accepted(index: number, factId: string, cid: string, deduplicated: boolean): BatchItemResult {
  return { index, status: "accepted", factId, cid, deduplicated };
}

function rejected(index: number, code: string, message: string): BatchItemResult {
  return { index, status: "rejected", deduplicated: false, error: code, errorMessage: message };
}

/** Hash of the request with object keys sorted, so key order does not make two bodies differ. */
function hashBody(body: unknown): string {
  const sorted = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(sorted)
      : isRecord(x)
        ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sorted(x[k])]))
        : x;
  return createHash("sha256").update(JSON.stringify(sorted(body))).digest("hex");
}
