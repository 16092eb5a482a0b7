/**
 * Plain-text tables for the client commands: columns padded to their
 * widest cell, numbers right-aligned, long cells cut with an ellipsis so a
 * row stays on one line, and the header styled only when colour is on.
 * Widths count code points, which is right for the text facts hold.
 *
 * @module
 */

/** One column: its header, alignment and the widest a cell may be. */
export interface Column {
  readonly header: string;
  readonly align?: "left" | "right";
  /** Cells longer than this are cut to it, ending in "…". */
  readonly max?: number;
}

const width = (s: string): number => [...s].length;

/** Cuts `s` to `max` code points, the last one an ellipsis. */
export function clip(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, Math.max(0, max - 1)).join("")}…`;
}

/**
 * The table as lines ending in a newline (no trailing blanks); `header`
 * styles the header row (bold on a terminal, unchanged otherwise).
 */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[], header: (s: string) => string = (s) => s): string {
  const cells = rows.map((row) => columns.map((c, i) => clip((row[i] ?? "").replace(/\s+/g, " "), c.max ?? Infinity)));
  const widths = columns.map((c, i) => Math.max(width(c.header), ...cells.map((r) => width(r[i]!))));
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => {
        const pad = " ".repeat(widths[i]! - width(v));
        return columns[i]!.align === "right" ? pad + v : i === values.length - 1 ? v : v + pad;
      })
      .join("  ");
  return [header(line(columns.map((c) => c.header))), ...cells.map(line)].map((l) => `${l.trimEnd()}\n`).join("");
}
