/**
 * The logging port every layer below the server writes to. The server
 * supplies the implementation (pino, `server/logger.ts`); `node/`, `store/`
 * and `embed/` depend only on this shape, so no lower layer imports the
 * server and a test can hand in any object that records lines.
 *
 * Each method takes a structured object first (fields such as `err`,
 * `peer`, `code`) and a human message second, pino's calling convention.
 * Credentials must never be put in the object; the server's logger also
 * redacts the usual fields in case one slips through.
 *
 * @module
 */

/** Writes one structured log line at a level. */
export type LogFn = (fields: object, message?: string) => void;

export interface Logger {
  readonly error: LogFn;
  readonly warn: LogFn;
  readonly info: LogFn;
  readonly debug: LogFn;
}

/**
 * Logs a request that failed. A server fault (REST 5xx other than 501, or
 * the Connect codes that map there) is an error, logged with its stack; a
 * refusal (4xx: bad input, denials; 501: not implemented yet) is routine
 * and logged at info without one, so expected answers do not page anyone.
 */
export function logRequestFailure(log: Pick<Logger, "info" | "error">, fault: boolean, code: string, error: unknown): void {
  if (fault) {
    log.error({ err: (error as { cause?: unknown }).cause ?? error, code }, "request failed");
  } else {
    log.info({ code, reason: error instanceof Error ? error.message : String(error) }, "request refused");
  }
}
