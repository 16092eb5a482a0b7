/**
 * Keeps the feed's epoch honest (protocol.md §10 "The feed"): a cursor a
 * peer holds is `(epoch, position)`, and the epoch must change whenever the
 * log can no longer continue what peers were served — the database file
 * replaced by an older copy (a restore from backup), or a data folder
 * created anew.
 *
 * A new database gets a new random epoch by itself. An older copy of the
 * same database carries the same epoch but fewer rows, and its next writes
 * would reuse positions peers already saw with other facts: silent loss. To
 * see that, the node keeps a high-water mark OUTSIDE the database, in
 * `<data dir>/feed-high-water`: `{epoch, position}`, the highest position
 * ever served to a peer. At start:
 *
 * ```
 *  no file                          → adopt the database's epoch, mark its head
 *  file epoch ≠ database epoch      → rotate (another database, or one restored across a rotation)
 *  file position > database head    → rotate (the database lost rows peers saw)
 *  otherwise                        → continue
 * ```
 *
 * The mark is raised before a page that passes it is sent (a few bytes,
 * written to a temporary file and renamed, off the event loop), so the file
 * never claims less than a peer saw. It is raised to the head of the log at
 * that moment, which is committed, so a backlog costs one write and a live
 * stream one per batch at most. A copy at least as new as everything
 * served is continued without a refetch: its positions hold the same facts.
 *
 * Not covered: restoring the mark file together with an older database
 * (e.g. the whole folder from a backup) — back up the database alone.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { rename, writeFile } from "node:fs/promises";
import path from "node:path";
import type { FeedStore } from "../../store/feed-store.js";

/** File name of the high-water mark, inside the data folder. */
export const HIGH_WATER_FILE = "feed-high-water";

/** Why the epoch was (or was not) rotated at start. */
export type EpochDecision = "adopted" | "continued" | "rotated_other_epoch" | "rotated_lost_rows";

interface Mark {
  readonly epoch: string;
  readonly position: number;
}

function readMark(file: string): Mark | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  const m = JSON.parse(text) as Partial<Mark>;
  if (typeof m.epoch !== "string" || !Number.isSafeInteger(m.position)) {
    throw new Error(`${file} is damaged: expected {"epoch": "...", "position": n}`);
  }
  return { epoch: m.epoch, position: m.position! };
}

function writeMark(file: string, mark: Mark): void {
  const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(mark)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** The feed's epoch and the mark of what was served under it. */
export class FeedEpoch {
  private marked: number;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    /** The epoch every cursor this node issues carries. */
    readonly epoch: string,
    marked: number,
    /** What the start-up check decided. */
    readonly decision: EpochDecision,
  ) {
    this.marked = marked;
  }

  /** Runs the start-up check (see the module comment) for the database behind `feed`. */
  static open(feed: FeedStore, dataDir: string): FeedEpoch {
    const file = path.join(dataDir, HIGH_WATER_FILE);
    const mark = readMark(file);
    const head = feed.headPosition();
    let epoch = feed.epoch();
    let decision: EpochDecision;
    if (mark === undefined) decision = "adopted";
    else if (mark.epoch !== epoch) decision = "rotated_other_epoch";
    else if (mark.position > head) decision = "rotated_lost_rows";
    else decision = "continued";
    if (decision.startsWith("rotated")) epoch = feed.rotateEpoch();
    const position = decision === "continued" ? Math.max(mark!.position, 0) : head;
    writeMark(file, { epoch, position });
    return new FeedEpoch(file, epoch, position, decision);
  }

  /**
   * Resolves once the mark covers `position` on disk, raising it to `head`
   * (the committed head of the log, ≥ `position`) if it did not.
   */
  async served(position: number, head: number): Promise<void> {
    if (position > this.marked) {
      const mark = { epoch: this.epoch, position: Math.max(position, head) };
      this.marked = mark.position;
      this.writing = this.writing.then(() => writeMarkAsync(this.file, mark));
    }
    await this.writing;
  }
}

async function writeMarkAsync(file: string, mark: Mark): Promise<void> {
  const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(tmp, `${JSON.stringify(mark)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}
