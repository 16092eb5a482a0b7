/**
 * How a command ends other than with success: a usage mistake (one line on
 * stderr naming the culprit, exit 2) or an exit code of its own choosing
 * after it has printed what it had to say (`doctor` finding a failure,
 * `serve` failing to shut down cleanly).
 *
 * @module
 */

/** Bad usage of a command; `culprit` names the command, flag or argument at fault. */
export class UsageError extends Error {
  override readonly name = "UsageError";
  constructor(
    readonly culprit: string,
    message: string,
  ) {
    super(`${culprit}: ${message}`);
  }
}

/** Ends the command with `code`, printing nothing more (the command already reported). */
export class ExitWith extends Error {
  override readonly name = "ExitWith";
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
