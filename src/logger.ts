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
