/**
 * Structured logging (pino): JSON lines for machines, or a readable line
 * per entry on a terminal (pino-pretty). Credentials never reach the log:
 * the request serializer keeps only method, url and request id, and any
 * authorization-like field that slips into a log object is redacted.
 *
 * @module
 */
import { pino, type Logger } from "pino";
import pinoPretty from "pino-pretty";
import type { LogLevel } from "../config.js";

export type { Logger };

/** Paths redacted wherever they appear in a logged object. */
const REDACT = [
  "req.headers.authorization",
  "req.headers.cookie",
  "headers.authorization",
  "authorization",
  "raw_key",
  "*.raw_key",
  "api_key",
  "*.api_key",
  "token",
  "*.token",
  "bootstrapKey",
  "*.bootstrapKey",
  "embedApiKey",
  "*.embedApiKey",
];

/** Longest time a logged line waits in the buffer. */
export const LOG_FLUSH_MS = 200;

/**
 * Creates the process logger writing JSON lines to `destination`. By default
 * that is stdout, written asynchronously and in 4 KiB writes: under load one
 * log line per request cost a write system call each (~8 % of a busy node's
 * CPU). A quiet node's lines still appear within {@link LOG_FLUSH_MS}, and
 * `stigmem serve` flushes before it exits; a hard crash can lose at most that
 * last fraction of a second of lines.
 */
export function createLogger(
  level: LogLevel,
  destination: pino.DestinationStream = pino.destination({
    dest: 1,
    sync: false,
    minLength: 4096,
    periodicFlush: LOG_FLUSH_MS,
  }),
): Logger {
  return pino(options(level), destination);
}

/**
 * A logger for a person at a terminal: one readable line per entry on
 * stdout (time, level, message, then the fields), coloured when `colorize`.
 * Same levels, fields and redaction as the JSON logger.
 */
export function createPrettyLogger(level: LogLevel, colorize: boolean): Logger {
  const stream = pinoPretty({
    colorize,
    singleLine: true,
    translateTime: "SYS:HH:MM:ss.l",
    ignore: "pid,hostname,service",
    destination: 1,
  });
  return pino(options(level), stream);
}


function options(level: LogLevel): pino.LoggerOptions {
  return {
    level,
    base: { service: "stigmem" },
    redact: { paths: REDACT, censor: "[redacted]" },
    serializers: {
      req: (req: { id?: string; method?: string; url?: string }) => ({ id: req.id, method: req.method, url: req.url }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
  };
}
