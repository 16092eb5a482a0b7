/**
 * @module core/export/export-file-error
 *
 * The one error of reading an export file: which line, which field, what is
 * wrong. A bulk import refuses a file at its first bad line, and the person
 * running it needs exactly that to fix or re-export the file. Plain data (a
 * name and fields, no prototype checks) so it survives a worker boundary.
 */

/** A line of an export file that cannot be imported. */
export class ExportFileError extends Error {
  override readonly name = "ExportFileError" as const;

  /**
   * @param line 1-based line number in the file (0 when the file as a whole is at fault)
   * @param field the JSON field at fault, when one is
   */
  constructor(
    readonly line: number,
    readonly field: string | undefined,
    /** What is wrong, without the line and field. */
    readonly detail: string,
  ) {
    super(`${line > 0 ? `line ${line}: ` : ""}${field === undefined ? "" : `${field}: `}${detail}`);
  }
}

/** True for an {@link ExportFileError}, also one rebuilt from a worker's message (checked by name). */
export function isExportFileError(e: unknown): e is ExportFileError {
  return typeof e === "object" && e !== null && (e as { name?: unknown }).name === "ExportFileError";
}
