/**
 * `stigmem doctor`: checks a node's configuration and data folder (see
 * doctor-checks.ts) and says what to fix. Exit 1 when a check failed (the
 * node cannot work as configured), 0 otherwise, warnings included.
 *
 * @module
 */
import { VERSION } from "../version.js";
import { ExitWith } from "./cli-errors.js";
import { runChecks, type CheckStatus, type Finding } from "./doctor-checks.js";
import { colorEnabled, painter, printJson, type Style } from "./terminal.js";

/** Runs the checks and prints them; exit 1 when one failed. */
export async function runDoctor(opts: { data?: string; db?: string; json?: boolean }): Promise<void> {
  const findings = await runChecks({ env: process.env, flags: { data: opts.data, db: opts.db }, now: new Date() });
  const status = overall(findings);
  if (opts.json === true) printJson({ status, version: VERSION, findings });
  else process.stdout.write(render(findings, status, colorEnabled(process.stdout)));
  if (status === "fail") throw new ExitWith(1);
}

/** fail if any check failed, warn if any warned, else ok. */
export function overall(findings: readonly Finding[]): "ok" | "warn" | "fail" {
  if (findings.some((f) => f.status === "fail")) return "fail";
  return findings.some((f) => f.status === "warn") ? "warn" : "ok";
}

const MARK: Readonly<Record<CheckStatus, [string, Style]>> = {
  ok: ["ok  ", "green"],
  info: ["info", "cyan"],
  warn: ["warn", "yellow"],
  fail: ["FAIL", "red"],
  skip: ["skip", "dim"],
};

/** The findings for a person: one line each, the fix indented under it. */
export function render(findings: readonly Finding[], status: string, color: boolean): string {
  const paint = painter(color);
  const width = Math.max(...findings.map((f) => f.id.length));
  const lines = findings.map((f) => {
    const [mark, style] = MARK[f.status];
    const line = `${paint(style, mark)}  ${f.id.padEnd(width)}  ${f.message}`;
    return f.fix === undefined ? line : `${line}\n${" ".repeat(width + 8)}${paint("bold", "fix:")} ${f.fix}`;
  });
  const verdict =
    status === "fail" ? paint("red", "the node cannot work as configured") : status === "warn" ? paint("yellow", "works, with warnings") : paint("green", "all good");
  return `${lines.join("\n")}\n\nstigmem doctor: ${verdict}\n`;
}
