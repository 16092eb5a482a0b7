/**
 * Structured JSON logging (pino). Credentials never reach the log: the
 * request serializer keeps only method, url and request id, and any
 * authorization-like field that slips into a log object is redacted.
 *
 * @module
 */
import { pino, type Logger } from "pino";
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

/**
 * Creates the process logger writing JSON lines to `destination`. By default
 * that is stdout, written asynchronously: lines logged while a write is in
 * flight go out together in the next one, so one log line per request no
 * longer costs a synchronous write each, and a quiet node still writes each
 * line at once. `stigmem serve` flushes before it exits.
 */
export function createLogger(
  level: LogLevel,
  destination: pino.DestinationStream = pino.destination({ dest: 1, sync: false }),
): Logger {
  return pino(
    {
      level,
      base: { service: "stigmem" },
      redact: { paths: REDACT, censor: "[redacted]" },
      serializers: {
        req: (req: { id?: string; method?: string; url?: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
    },
    destination,
  );
}
