/**
 * What else the machine ran while a benchmark measured: the CPU time every
 * other process used, sampled from /proc (Linux) through the window and
 * grouped by command, plus the machine's own counters (which also count
 * processes too short-lived to be sampled, and the time the hypervisor gave
 * to other machines), so a result on a shared machine can say what it
 * competed with. Elsewhere the report says nothing was measurable.
 *
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";

/** CPU seconds used so far by each process, and by the whole machine. */
interface CpuSnapshot {
  readonly processes: Map<number, { seconds: number; command: string }>;
  /** All CPUs' busy seconds (user, nice, system, irq, softirq) and the seconds the hypervisor took from them (steal). */
  readonly machine: { busy: number; steal: number } | undefined;
}

/** Clock ticks per second of /proc's counters (USER_HZ, 100 on Linux). */
const TICKS = 100;

/** Every process's CPU seconds now (empty without /proc). */
function cpuSnapshot(): CpuSnapshot {
  const out = new Map<number, { seconds: number; command: string }>();
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  } catch {
    return { processes: out, machine: undefined };
  }
  for (const p of pids) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // Fields 14 and 15 of stat (utime, stime) are 12 and 13 after the command.
      const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS;
      out.set(Number(p), { seconds, command: commandOf(Number(p), stat) });
    } catch {
      // The process ended meanwhile.
    }
  }
  return { processes: out, machine: machineCpu() };
}

/** The first line of /proc/stat: every CPU's time by kind, in ticks. */
function machineCpu(): CpuSnapshot["machine"] {
  try {
    const [user, nice, system, , , irq, softirq, steal] = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    return { busy: (user! + nice! + system! + irq! + softirq!) / TICKS, steal: (steal ?? 0) / TICKS };
  } catch {
    return undefined;
  }
}

/** Options of node (and of the programs it starts) whose next argument is their value, not the script. */
const TAKES_VALUE = new Set(["--require", "-r", "--import", "--loader", "--conditions", "-C", "--cpu-prof-dir"]);

/** A short, readable name: the program and its script (with the worktree it runs from, under /work). */
function commandOf(pid: number, stat: string): string {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter((a) => a !== "");
    if (args.length === 0) return stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const prog = args[0]!.split("/").at(-1)!;
    // The first argument that is neither an option nor the value of one that takes a file (node --require x).
    const arg = args.slice(1).find((a, i, rest) => !a.startsWith("-") && !TAKES_VALUE.has(rest[i - 1] ?? ""));
    if (arg === undefined) return prog;
    const tree = /\/work\/([^/]+)\//.exec(arg)?.[1];
    return `${prog} ${tree === undefined ? "" : `${tree}:`}${arg.split("/").at(-1)!}`.slice(0, 60);
  } catch {
    return "?";
  }
}

export interface OtherLoad {
  /** CPU seconds all other processes used in the window. */
  readonly seconds: number;
  /** CPU seconds the hypervisor gave to other machines instead (steal). */
  readonly steal: number;
  /** The window's wall seconds times the cores: what the machine could give. */
  readonly capacity: number;
  /** The largest consumers by command, most first. */
  readonly top: { command: string; seconds: number }[];
  /** Mean 1-minute load average over the samples. */
  readonly loadAverage: number;
}

/** Follows every process's CPU time from construction to {@link stop}, sampling every `everyMs`. */
export class CpuSampler {
  private readonly first: CpuSnapshot;
  private last: CpuSnapshot;
  private readonly used = new Map<number, { seconds: number; command: string }>();
  private readonly loads: number[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(everyMs = 1_000) {
    this.first = cpuSnapshot();
    this.last = this.first;
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  /** Ends the window: what every process but `exclude` (which used `excludedSeconds`) used over `wallSeconds`. */
  stop(exclude: ReadonlySet<number>, excludedSeconds: number, wallSeconds: number): OtherLoad {
    clearInterval(this.timer);
    this.sample();
    const byCommand = new Map<string, number>();
    let total = 0;
    for (const [pid, u] of this.used) {
      if (exclude.has(pid)) continue;
      total += u.seconds;
      byCommand.set(u.command, (byCommand.get(u.command) ?? 0) + u.seconds);
    }
    let steal = 0;
    const [a, b] = [this.first.machine, this.last.machine];
    if (a !== undefined && b !== undefined) {
      total = Math.max(total, b.busy - a.busy - excludedSeconds);
      steal = b.steal - a.steal;
    }
    const top = [...byCommand]
      .map(([command, seconds]) => ({ command, seconds }))
      .filter((t) => t.seconds >= 0.5)
      .sort((x, y) => y.seconds - x.seconds)
      .slice(0, 6);
    const loadAverage = this.loads.length === 0 ? os.loadavg()[0]! : this.loads.reduce((x, y) => x + y, 0) / this.loads.length;
    return { seconds: total, steal, capacity: wallSeconds * os.cpus().length, top, loadAverage };
  }

  /** Adds what each process used since the last sample; a process first seen now counts from its start (it began in the window). */
  private sample(): void {
    const now = cpuSnapshot();
    for (const [pid, p] of now.processes) {
      const known = this.last.processes.get(pid);
      const add = known === undefined ? (this.first.processes.has(pid) ? 0 : p.seconds) : p.seconds - known.seconds;
      if (add <= 0) continue;
      const u = this.used.get(pid);
      this.used.set(pid, { seconds: (u?.seconds ?? 0) + add, command: p.command });
    }
    this.last = now;
    this.loads.push(os.loadavg()[0]!);
  }
}
