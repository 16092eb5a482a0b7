/**
 * Audits `permission_denied` (protocol.md §11): who was refused, what they
 * lacked (a permission or a scope) and which operation they called. Called
 * from the one error exit of each transport, so every refusal from any use
 * case is recorded without each use case remembering to.
 *
 * @module
 */
import { type ErrCode, isAppError } from "../app-error.js";
import type { Principal } from "../principal.js";
import type { NodeContext } from "../node-context.js";

/** Codes that mean "the caller lacks a permission or scope"; each is audited as `permission_denied`. */
export const AUDITED_DENIALS: ReadonlySet<ErrCode> = new Set<ErrCode>([
  "permission_denied",
  "scope_not_allowed",
  "instruction_write_required",
  "grant_exceeds_caller",
]);

/** The call that was refused. */
export interface DeniedCall {
  readonly transport: "rest" | "connect";
  /** REST operationId, or Connect `Service/Method`. */
  readonly operation: string;
}

/**
 * Appends a `permission_denied` entry when `error` is a denial; otherwise
 * does nothing. The entry commits before the caller sees the error. An audit
 * failure is logged, not thrown: the request is refused either way.
 */
export function auditDenial(node: NodeContext, caller: Principal, error: unknown, call: DeniedCall): void {
  if (!isAppError(error) || !AUDITED_DENIALS.has(error.code)) return;
  const d = error.details;
  const required =
    typeof d.required_permission === "string"
      ? d.required_permission
      : error.code === "instruction_write_required"
        ? "instruction:write"
        : null;
  const scope = typeof d.scope === "string" ? d.scope : null;
  try {
    node.keys.audit.appendNow({
      eventType: "permission_denied",
      actor: caller.entityUri,
      outcome: "denied",
      scope,
      detail: {
        code: error.code,
        operation: call.operation,
        transport: call.transport,
        required_permission: required,
        required_scope: scope,
        key_id: caller.keyId,
        ...(error.code === "grant_exceeds_caller"
          ? { exceeding_permissions: d.exceeding_permissions, exceeding_scopes: d.exceeding_scopes }
          : {}),
      },
    });
  } catch (e) {
    node.log.error({ err: e, operation: call.operation }, "could not audit permission_denied");
  }
}
