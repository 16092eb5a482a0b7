/**
 * Audits failed authentications as `auth_failed`, coalesced per IP per
 * minute (protocol.md §11): the first failure from an address in a clock
 * minute writes an entry, later ones in that minute are only counted in
 * memory. The next entry for that address carries the count, so a burst is
 * still visible in the durable log without letting it flood the chain.
 *
 * @module
 */
import type { AuditLog } from "../../store/audit-log.js";

/** One failed attempt. Never holds the presented secret. */
export interface AuthFailure {
  readonly ip: string;
  /** The error code the caller got: `invalid_api_key` or `api_key_expired`. */
  readonly reason: string;
  /** Entity of the key when one was found (expired or revoked), else null. */
  readonly actor: string | null;
  readonly keyId: string | null;
}

const WINDOW_MS = 60_000;
/** Above this many tracked addresses, windows that have ended are swept. */
const SWEEP_AT = 1_000;

/** Per-node coalescing state of `auth_failed` entries (memory only). */
export class FailedAuthLog {
  private readonly windows = new Map<string, { window: number; suppressed: number }>();

  constructor(
    private readonly audit: AuditLog,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records one failure; writes an audit entry if it is the first from its IP this minute. */
  record(f: AuthFailure): void {
    const now = this.now();
    const window = Math.floor(now / WINDOW_MS);
    const current = this.windows.get(f.ip);
    if (current !== undefined && current.window === window) {
      current.suppressed++;
      return;
    }
    if (this.windows.size >= SWEEP_AT) this.sweep(window);
    // Committed before the caller's 401 goes out (protocol.md §11, fail closed).
    this.audit.appendNow({
      eventType: "auth_failed",
      actor: f.actor,
      outcome: "denied",
      detail: {
        ip: f.ip,
        reason: f.reason,
        key_id: f.keyId,
        // Failures from this address after the previous entry, in its minute.
        suppressed_since_last: current?.suppressed ?? 0,
      },
    });
    this.windows.set(f.ip, { window, suppressed: 0 });
  }

  /** Failures from `ip` counted but not written in the current minute. */
  suppressed(ip: string): number {
    const current = this.windows.get(ip);
    return current !== undefined && current.window === Math.floor(this.now() / WINDOW_MS) ? current.suppressed : 0;
  }

  private sweep(window: number): void {
    for (const [ip, w] of this.windows) if (w.window !== window) this.windows.delete(ip);
  }
}
