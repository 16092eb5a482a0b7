/**
 * CPU time a process has used, read from `/proc/<pid>/stat` (Linux). On a
 * machine shared with other work, wall-clock throughput moves with the load;
 * the CPU seconds the node spends on a fixed workload move far less, so the
 * benchmarks report both and paired comparisons can lean on the second.
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** Clock ticks per second of the `/proc` times (`getconf CLK_TCK`, 100 on Linux x86-64). */
const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** User + system CPU seconds of `pid` (all its threads) so far; NaN where /proc is not available. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesized command name; utime and stime are the 14th and 15th fields overall.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}
