/**
 * Small key/value table for the node's own identity and state.
 *
 * @module
 */
import type { Db } from "./database.js";

/** Reads and writes rows of `node_meta`. */
export class NodeMetaStore {
  private readonly getStmt;
  private readonly insertStmt;
  private readonly upsertStmt;

  constructor(db: Db) {
    this.getStmt = db.prepare<[string], { value: string }>("SELECT value FROM node_meta WHERE key = ?");
    this.insertStmt = db.prepare("INSERT INTO node_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING");
    this.upsertStmt = db.prepare(
      "INSERT INTO node_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    );
  }

  get(key: string): string | undefined {
    return this.getStmt.get(key)?.value;
  }

  set(key: string, value: string): void {
    this.upsertStmt.run(key, value);
  }

  /**
   * Returns the stored value for `key`, storing `create()` first if there is
   * none. Two processes racing here both end up with the first writer's value.
   */
  getOrCreate(key: string, create: () => string): string {
    const existing = this.get(key);
    if (existing !== undefined) return existing;
    this.insertStmt.run(key, create());
    return this.get(key)!;
  }
}
