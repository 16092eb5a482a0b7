/**
 * How the CLI writes for people and for scripts: colour only on a terminal
 * that wants it (NO_COLOR, FORCE_COLOR and TERM=dumb respected), and
 * `--json` output as one JSON document per command on stdout.
 *
 * @module
 */

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Whether to colour what goes to `stream`: never with NO_COLOR set
 * (https://no-color.org) or FORCE_COLOR=0, always with FORCE_COLOR set,
 * otherwise only on a terminal that is not `dumb`.
 */
export function colorEnabled(stream: { readonly isTTY?: boolean }, env: Env = process.env): boolean {
  if ((env.NO_COLOR ?? "") !== "" || env.FORCE_COLOR === "0" || env.FORCE_COLOR === "false") return false;
  if (env.FORCE_COLOR !== undefined) return true;
  return stream.isTTY === true && env.TERM !== "dumb";
}

/** The ANSI styles the CLI uses. */
export type Style = "bold" | "dim" | "red" | "green" | "yellow" | "cyan";

const SGR: Readonly<Record<Style, [number, number]>> = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
};

/** A painter that styles text when `enabled` and returns it unchanged otherwise. */
export function painter(enabled: boolean): (style: Style, text: string) => string {
  return enabled ? (style, text) => `\x1b[${SGR[style][0]}m${text}\x1b[${SGR[style][1]}m` : (_style, text) => text;
}

/** Writes `value` as the command's JSON result on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
