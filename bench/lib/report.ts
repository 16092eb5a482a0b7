/**
 * What every benchmark prints the same way: target verdicts, aligned text
 * tables, and the exit code and error line of its `main`.
 *
 * @module
 */

export function verdict(ok: boolean): string {
  return ok ? "met" : "MISSED";
}

/** Rows as columns padded to their widest cell, the header underlined; missing cells are empty. */
export function textTable(header: readonly string[], rows: readonly (readonly (string | undefined)[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? "").length)));
  const line = (r: readonly (string | undefined)[]) => widths.map((w, c) => (r[c] ?? "").padEnd(w)).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Runs a benchmark's `main` with the process arguments; a failure prints one line prefixed with `name`. */
export function runBench(name: string, main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`${name}: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
