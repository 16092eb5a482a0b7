/**
 * The permission checks of a fact write (protocol.md §2, §8), in one place
 * for single writes, batches and resolutions.
 *
 * @module
 */
import { AppError } from "../app-error.js";
import { hasPermission, requirePermission, requireScope, type Principal } from "../principal.js";
import type { AssertInput } from "./assert-input.js";

/** @throws AppError permission_denied, scope_not_allowed, instruction_write_required or garden_not_found. */
export function authorizeWrite(principal: Principal, input: AssertInput): void {
  requirePermission(principal, "write");
  requireScope(principal, input.scope);
  if (input.interpretAs === "instruction" && !hasPermission(principal, "instruction:write")) {
    throw new AppError("instruction_write_required", 'writing an instruction value needs the "instruction:write" permission');
  }
  // Gardens are not served by this node yet, so no garden can be named.
  if (input.gardenId !== null) {
    throw new AppError("garden_not_found", `garden ${input.gardenId} does not exist`, {
      details: { garden_id: input.gardenId },
    });
  }
}
