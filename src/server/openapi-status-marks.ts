/**
 * Marks the operations this node does not implement yet in the text of
 * `openapi/stigmem.yaml`: `x-stigmem-status: planned` beside the
 * `operationId`, and a first sentence in the description, which `/docs`
 * shows. Marks of operations that have since landed are removed. The edit
 * is on lines, not through a YAML round trip, so nothing else in the
 * hand-written file changes.
 *
 * @module
 */

/** The extension line's value. */
export const PLANNED_STATUS = "planned";
/** The sentence opening a planned operation's description. */
export const PLANNED_SENTENCE =
  "**Planned: not implemented by this node yet.** It answers `501 not_implemented` until the feature lands.";

const STATUS_LINE = /^(\s*)x-stigmem-status: planned$/;
const OPERATION_ID = /^(\s*)operationId: (\S+)$/;

/**
 * Returns `yaml` with exactly the operations in `planned` marked.
 * @throws Error when a planned operation's description has a form this edit does not handle.
 */
export function markPlannedOperations(yaml: string, planned: ReadonlySet<string>): string {
  const lines = unmark(yaml.split("\n"));
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    out.push(line);
    const m = OPERATION_ID.exec(line);
    if (m === null || !planned.has(m[2]!)) continue;
    const indent = m[1]!;
    out.push(`${indent}x-stigmem-status: ${PLANNED_STATUS}`);
    // The description is a sibling key of operationId, before the next key at a smaller indent.
    for (let j = i + 1; j < lines.length && indentOf(lines[j]!) >= indent.length; j++) {
      const d = lines[j]!;
      if (indentOf(d) !== indent.length || !d.trimStart().startsWith("description:")) continue;
      const value = d.trimStart().slice("description:".length).trim();
      const inner = `${indent}  `;
      if (value === "|" || value === "|-" || value === ">" || value === ">-") {
        lines.splice(j + 1, 0, `${inner}${PLANNED_SENTENCE}`, "");
      } else if (value !== "" && !/^["'&*!|>@`%{[]/.test(value) && indentOf(lines[j + 1] ?? "") <= indent.length) {
        lines.splice(j, 1, `${indent}description: |`, `${inner}${PLANNED_SENTENCE}`, "", `${inner}${value}`);
      } else {
        throw new Error(`operation ${m[2]}: its description is not a block or one-line plain scalar; mark it by hand`);
      }
      break;
    }
  }
  return out.join("\n");
}

/** Removes every mark (status lines, and the sentence with the blank line after it). */
function unmark(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (STATUS_LINE.test(line)) continue;
    if (line.trim() === PLANNED_SENTENCE) {
      if ((lines[i + 1] ?? "x").trim() === "") i++;
      continue;
    }
    out.push(line);
  }
  return out;
}

function indentOf(line: string): number {
  return line.trim() === "" ? Number.POSITIVE_INFINITY : line.length - line.trimStart().length;
}
