/**
 * Progress of `stigmem import` and `stigmem export` on stderr: the bar of
 * src/embed/progress.ts (redrawn on a terminal, a line per 10 % otherwise)
 * with the count, the rate over the whole run so far and the time left at
 * that rate.
 *
 * @module
 */
import { stderrProgress } from "../embed/progress.js";

/** Reports `done` of `total` rows with rate and ETA; `finish` closes the bar. */
export interface RateProgress {
  update(done: number, total: number): void;
  finish(message: string): void;
}

/** A bar labelled `label`, counting `unit`s, timed from now. */
export function rateProgress(label: string, unit: string, now: () => number = () => performance.now()): RateProgress {
  const bar = stderrProgress(label);
  const started = now();
  return {
    update(done, total) {
      const seconds = (now() - started) / 1000;
      const rate = seconds > 0.2 ? done / seconds : 0;
      const eta = rate > 0 && total > done ? ` ETA ${formatDuration((total - done) / rate)}` : "";
      bar.update(done, total, `${count(done)}/${count(total)} ${unit}${rate > 0 ? `  ${count(Math.round(rate))}/s` : ""}${eta}`);
    },
    finish: (message) => bar.finish(message),
  };
}

/** 1,234,567 */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** `42 s`, `3 min 05 s`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s`;
}
