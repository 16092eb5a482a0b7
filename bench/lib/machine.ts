/**
 * What the figures were measured on.
 *
 * @module
 */
import { execFileSync } from "node:child_process";
import os from "node:os";
import { fmtBytes } from "./stats.js";

export interface Machine {
  cpu: string;
  cores: number;
  ramBytes: number;
  os: string;
  node: string;
  commit: string;
}

export function describeMachine(root: string): Machine {
  const cpus = os.cpus();
  return {
    cpu: (cpus[0]?.model ?? "unknown CPU").replace(/\s+/g, " ").trim(),
    cores: cpus.length,
    ramBytes: os.totalmem(),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    commit: gitCommit(root),
  };
}

/** The machine as the results name it: CPU, cores, RAM, OS, Node and, when known, SQLite. */
export function machineLine(m: Machine, sqlite?: string): string {
  return `${m.cpu}, ${m.cores} logical cores, ${fmtBytes(m.ramBytes)} RAM, ${m.os}, Node ${m.node}${sqlite === undefined ? "" : `, SQLite ${sqlite}`}`;
}

function gitCommit(root: string): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    return dirty === "" ? head : `${head} + uncommitted changes`;
  } catch {
    return "unknown (not a git checkout)";
  }
}
