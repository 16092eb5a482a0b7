/**
 * Where a recall's time went, phase by phase, for the `Server-Timing`
 * response header: what a client (or `npm run bench:recall`) needs to tell
 * the node's work from the network's, and one phase from another.
 *
 * @module
 */

/** The phases of a recall, in pipeline order: its stages (see recall.ts) and the wait for the semantic search. */
export const RECALL_PHASES = ["structure", "candidates", "semantic-wait", "signals", "fuse", "diversify", "pack", "verify", "build"] as const;
export type RecallPhase = (typeof RECALL_PHASES)[number];

/** Milliseconds spent in each phase. */
export type RecallTimings = Readonly<Record<RecallPhase, number>>;

/** Laps of one recall: each {@link lap} ends the named phase where the previous lap ended. */
export class RecallClock {
  private last = performance.now();
  private readonly spent: Record<RecallPhase, number> = {
    structure: 0,
    candidates: 0,
    "semantic-wait": 0,
    signals: 0,
    fuse: 0,
    diversify: 0,
    pack: 0,
    verify: 0,
    build: 0,
  };

  /** Adds the time since the previous lap (or the clock's start) to `phase`. */
  lap(phase: RecallPhase): void {
    const now = performance.now();
    this.spent[phase] += now - this.last;
    this.last = now;
  }

  timings(): RecallTimings {
    return { ...this.spent };
  }
}

/**
 * The `Server-Timing` value (W3C Server Timing) of `t`, durations in ms to
 * the microsecond: `structure;dur=0.412, candidates;dur=2.104, …`.
 */
export function serverTiming(t: RecallTimings): string {
  return RECALL_PHASES.map((p) => `${p};dur=${t[p].toFixed(3)}`).join(", ");
}
