/**
 * Progress on stderr for the one-time vocabulary derivation and for
 * `stigmem embed backfill`: a redrawn bar on a terminal, a line per 10%
 * otherwise (logs, CI), so both stay readable.
 *
 * @module
 */

export interface Progress {
  /** Reports `done` of `total`; `extra` is appended (e.g. a rate). */
  update(done: number, total: number, extra?: string): void;
  /** Ends the bar with a closing line. */
  finish(message: string): void;
}

const WIDTH = 24;

export function stderrProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = stream.isTTY === true;
  let lastStep = -1;
  let drawn = false;
  return {
    update(done, total, extra = "") {
      const fraction = total > 0 ? Math.min(1, done / total) : 1;
      const pct = Math.floor(fraction * 100);
      if (tty) {
        const filled = Math.round(fraction * WIDTH);
        stream.write(`\r${label} [${"#".repeat(filled)}${".".repeat(WIDTH - filled)}] ${String(pct).padStart(3)}% ${extra}\x1b[K`);
        drawn = true;
      } else if (Math.floor(pct / 10) !== lastStep) {
        lastStep = Math.floor(pct / 10);
        stream.write(`${label}: ${pct}% ${extra}\n`);
      }
    },
    finish(message) {
      stream.write(`${tty && drawn ? "\r\x1b[K" : ""}${label}: ${message}\n`);
    },
  };
}
