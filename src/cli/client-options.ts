/**
 * Flags the client commands (`facts`, `recall`, `conflicts`, `mcp`) share:
 * which node to talk to and how, and the parsers that turn a bad number or
 * scope into commander's one-line usage error (exit 2) before any call is
 * made. Light on purpose: the command files import it at start-up.
 *
 * @module
 */
import { InvalidArgumentError, Option, type Command } from "commander";
import { SCOPES } from "../core/scope.js";

/** The wires `@stigmem/sdk` speaks. */
export const TRANSPORTS = ["rest", "connect", "grpc", "grpc-web"] as const;

/** The connection flags, each with its environment twin. */
export interface ConnectionOptions {
  url?: string;
  key?: string;
  transport?: (typeof TRANSPORTS)[number];
}

/** Adds `--url`, `--key` and `--transport` to `cmd`. */
export function withConnection(cmd: Command): Command {
  return cmd
    .option("--url <url>", "the node's URL (STIGMEM_URL; default http://127.0.0.1:8765)")
    .option("--key <key>", "API key (STIGMEM_API_KEY, which is better: flags show up in ps)")
    .addOption(new Option("--transport <wire>", "how to talk to the node (STIGMEM_TRANSPORT; default rest)").choices(TRANSPORTS));
}

/** `--scope` with its choices. */
export function scopeOption(description: string): Option {
  return new Option("--scope <scope>", description).choices(SCOPES);
}

/** A parser for a whole number from `min` to `max`. */
export function wholeNumber(min: number, max: number): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < min || n > max) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    return n;
  };
}

/** A parser for a number from 0 to 1 (confidences). */
export function unitNumber(text: string): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError("must be a number from 0 to 1");
  return n;
}
