/**
 * Turns the credentials of a request into a {@link Principal}, the one place
 * that decides who is calling (protocol.md §8). Both transports call it
 * before any handler runs.
 *
 * A bearer key is hashed and looked up once, by its hash, through the
 * node's 60 s key cache. Unknown and revoked keys are `invalid_api_key`,
 * expired ones `api_key_expired`; each such failure is audited as
 * `auth_failed`, coalesced per IP per minute. A request with no key at all
 * is `auth_required` and is not audited (it is not an attempt to guess).
 *
 * @module
 */
import { formatTimestamp } from "../../core/timestamp.js";
import { AppError } from "../app-error.js";
import { ANON_TRUSTED, ANONYMOUS, type Principal } from "../principal.js";
import type { NodeContext } from "../node-context.js";
import { hashKey, keyPrincipal, rawKeyProblem } from "./api-key.js";
import { FailedAuthLog } from "./failed-auth-log.js";

/** Where a request came from, for auditing failed attempts. */
export interface RequestOrigin {
  readonly ip: string;
}

const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** Authenticates the requests of one node; holds its `auth_failed` coalescing state. */
export class Authenticator {
  private readonly failures: FailedAuthLog;

  constructor(private readonly node: NodeContext) {
    this.failures = new FailedAuthLog(node.keys.audit, node.keys.now);
  }

  /**
   * The principal of a request to a protected operation. In no-auth mode a
   * request without a key is `anon:trusted`, and a valid key still counts.
   * @throws AppError auth_required, invalid_api_key or api_key_expired.
   */
  authenticate(authorization: string | undefined, origin: RequestOrigin): Principal {
    const presented = authorization?.trim() ?? "";
    if (presented === "" || /^Bearer$/i.test(presented)) {
      if (!this.node.config.authRequired) return ANON_TRUSTED;
      throw new AppError("auth_required", "this operation needs an API key: send Authorization: Bearer <key>");
    }
    const token = BEARER.exec(presented)?.[1];
    // Not a bearer credential, or one that no key could match: refused without a lookup.
    if (token === undefined || rawKeyProblem(token) !== undefined) {
      throw this.fail(origin, "invalid_api_key", null, null);
    }
    const key = this.node.keys.lookup(hashKey(token));
    if (key === undefined || key.revokedAt !== null) {
      throw this.fail(origin, "invalid_api_key", key?.entityUri ?? null, key?.id ?? null);
    }
    if (key.expiresAt !== null && key.expiresAt <= this.nowText()) {
      throw this.fail(origin, "api_key_expired", key.entityUri, key.id);
    }
    return keyPrincipal(key);
  }

  /** The principal of a request to an open operation: never fails. */
  authenticateOpen(authorization: string | undefined, origin: RequestOrigin): Principal {
    const fallback = this.node.config.authRequired ? ANONYMOUS : ANON_TRUSTED;
    if (authorization === undefined) return fallback;
    try {
      return this.authenticate(authorization, origin);
    } catch {
      return fallback;
    }
  }

  /** Audits the failure (coalesced) and returns the error to throw. */
  private fail(
    origin: RequestOrigin,
    code: "invalid_api_key" | "api_key_expired",
    actor: string | null,
    keyId: string | null,
  ): AppError {
    this.failures.record({ ip: origin.ip, reason: code, actor: actor ?? ANONYMOUS.entityUri, keyId });
    return code === "api_key_expired"
      ? new AppError("api_key_expired", "the API key has expired")
      : new AppError("invalid_api_key", "the API key is not valid");
  }

  /** Now as stored-timestamp text: stored instants compare correctly as text. */
  private nowText(): string {
    return formatTimestamp(this.node.keys.now());
  }
}
