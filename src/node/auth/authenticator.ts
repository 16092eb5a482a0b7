/**
 * Turns the credentials of a request into a {@link Principal}, the one place
 * that decides who is calling (protocol.md §8). Both transports call it
 * before any handler runs.
 *
 * @module
 */
import { AppError } from "../app-error.js";
import { ANON_TRUSTED, ANONYMOUS, type Principal } from "../principal.js";
import type { StigmemNode } from "../stigmem-node.js";

/** Where a request came from, for auditing failed attempts. */
export interface RequestOrigin {
  readonly ip: string;
}

export class Authenticator {
  constructor(private readonly node: StigmemNode) {}

  /**
   * The principal of a request to a protected operation.
   * @throws AppError auth_required when auth is on and no credentials were sent.
   */
  authenticate(authorization: string | undefined, _origin: RequestOrigin): Principal {
    if (!this.node.config.authRequired) return ANON_TRUSTED;
    if (authorization === undefined || authorization.trim() === "") {
      throw new AppError("auth_required", "this operation needs an API key: send Authorization: Bearer <key>");
    }
    throw new AppError("invalid_api_key", "the API key is not valid");
  }

  /** The principal of a request to an open operation: never fails. */
  authenticateOpen(authorization: string | undefined, origin: RequestOrigin): Principal {
    if (!this.node.config.authRequired) return ANON_TRUSTED;
    if (authorization === undefined) return ANONYMOUS;
    try {
      return this.authenticate(authorization, origin);
    } catch {
      return ANONYMOUS;
    }
  }
}
