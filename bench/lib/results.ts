/**
 * Writes one benchmark's section of bench/RESULTS.md, between its markers,
 * keeping the file's header and the other sections as they are.
 *
 * @module
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const PLACEHOLDER = /^_No benchmarks yet[^\n]*_\n?/m;

/** Replaces (or appends) the section named `id`; `body` is Markdown without the markers. */
export function writeSection(file: string, id: string, body: string): void {
  const start = `<!-- bench:${id}:start -->`;
  const end = `<!-- bench:${id}:end -->`;
  const block = `${start}\n${body.trim()}\n${end}\n`;
  let text = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmark results\n";
  // The header's "no benchmarks yet" line stops being true with the first section.
  text = text.replace(PLACEHOLDER, "");
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i >= 0 && j > i) {
    text = text.slice(0, i) + block + text.slice(j + end.length).replace(/^\n/, "");
  } else {
    text = `${text.replace(/\n*$/, "\n\n")}${block}`;
  }
  writeFileSync(file, text);
}
