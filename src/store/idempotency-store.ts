/**
 * Batch idempotency keys (protocol.md §7): a key is kept 24 h with the hash
 * of the request body and the response; the same key with the same body
 * replays the response, with another body it is refused.
 *
 * @module
 */
import type { Db } from "./database.js";

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export interface StoredResponse {
  body_hash: string;
  response: string;
}

export class IdempotencyStore {
  private readonly getStmt;
  private readonly putStmt;
  private readonly purgeStmt;

  constructor(db: Db) {
    this.getStmt = db.prepare<[string, string, number], StoredResponse>(
      "SELECT body_hash, response FROM idempotency_keys WHERE key = ? AND actor = ? AND created_ms > ?",
    );
    this.putStmt = db.prepare(
      "INSERT OR REPLACE INTO idempotency_keys (key, actor, body_hash, response, created_ms) VALUES (?, ?, ?, ?, ?)",
    );
    this.purgeStmt = db.prepare("DELETE FROM idempotency_keys WHERE created_ms <= ?");
  }

  /** The unexpired record of `key` for `actor`. */
  get(key: string, actor: string, nowMs: number): StoredResponse | undefined {
    return this.getStmt.get(key, actor, nowMs - IDEMPOTENCY_TTL_MS);
  }

  put(key: string, actor: string, bodyHash: string, response: string, nowMs: number): void {
    this.purgeStmt.run(nowMs - IDEMPOTENCY_TTL_MS);
    this.putStmt.run(key, actor, bodyHash, response, nowMs);
  }
}
