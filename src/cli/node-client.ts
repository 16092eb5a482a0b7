/**
 * How a client command reaches a node: the URL, key and transport from the
 * flags or their STIGMEM_* twins, an `@stigmem/sdk` client over them, and
 * one line on stderr for a failed call — the command, the node's stable
 * error code and its message, plus what to try — ending the command with
 * exit code 1. A bad URL or transport is a usage error (exit 2) before any
 * call is made.
 *
 * @module
 */
import { createClient, isStigmemError, type StigmemClient, type StigmemError, type TransportKind } from "@stigmem/sdk";
import { ExitWith, UsageError } from "./cli-errors.js";
import { TRANSPORTS, type ConnectionOptions } from "./client-options.js";

type Env = Readonly<Record<string, string | undefined>>;

/** Where `stigmem serve` listens by default. */
export const DEFAULT_URL = "http://127.0.0.1:8765";

/** The node a command talks to. */
export interface NodeTarget {
  readonly baseUrl: string;
  readonly apiKey: string | undefined;
  readonly transport: TransportKind;
}

/** The target from the flags, else the environment, else the defaults. */
export function resolveTarget(opts: ConnectionOptions, env: Env = process.env): NodeTarget {
  const url = opts.url ?? nonEmpty(env.STIGMEM_URL) ?? DEFAULT_URL;
  const culprit = opts.url !== undefined ? "--url" : "STIGMEM_URL";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(culprit, `not a URL: "${url}" (e.g. ${DEFAULT_URL})`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new UsageError(culprit, `must be an http or https URL (got "${url}")`);
  const transport = opts.transport ?? nonEmpty(env.STIGMEM_TRANSPORT) ?? "rest";
  if (!(TRANSPORTS as readonly string[]).includes(transport)) {
    throw new UsageError("STIGMEM_TRANSPORT", `must be one of ${TRANSPORTS.join(", ")} (got "${transport}")`);
  }
  return { baseUrl: url.replace(/\/+$/, ""), apiKey: opts.key ?? nonEmpty(env.STIGMEM_API_KEY), transport: transport as TransportKind };
}

/**
 * Runs `work` with a client of the target; a failed call is reported as
 * `stigmem: <command>: <code>: <message>` and ends the command with exit 1.
 */
export async function withNode<T>(command: string, opts: ConnectionOptions, work: (client: StigmemClient) => Promise<T>): Promise<T> {
  const target = resolveTarget(opts);
  try {
    return await work(createClient(target));
  } catch (e) {
    if (!isStigmemError(e)) throw e;
    process.stderr.write(`stigmem: ${command}: ${describeFailure(e, target)}\n`);
    throw new ExitWith(1);
  }
}

/** The failure as one line: code, message, the offending fields, and what to try. */
export function describeFailure(e: StigmemError, target: NodeTarget): string {
  // No answer at all (a refused connection, an unknown host), as opposed to a node answering 503.
  const network = e.name === "UnavailableError" && e.httpStatus === undefined ? rootCause(e) : "";
  if (network !== "") return `${e.code}: no answer from ${target.baseUrl} (${network}); is a node running there? (--url or STIGMEM_URL)`;
  const fields = "fields" in e && Array.isArray(e.fields) ? (e.fields as { field: string; message: string }[]) : [];
  // A single problem is often the whole message already; name the fields only when they add to it.
  const extra = fields.map((f) => `${f.field}: ${f.message}`).filter((p) => p !== e.message);
  const problems = extra.length > 0 ? ` (${extra.join("; ")})` : "";
  return `${e.code}: ${e.message}${problems}${hint(e, target)}`;
}

function hint(e: StigmemError, target: NodeTarget): string {
  switch (e.name) {
    case "AuthError":
      return target.apiKey === undefined ? " — pass a key with STIGMEM_API_KEY or --key" : " — check the key (STIGMEM_API_KEY or --key)";
    default:
      return "";
  }
}

/** `ECONNREFUSED` and the like, buried in the `cause` chain; "" when there is none. */
function rootCause(e: unknown): string {
  for (let c: unknown = e; c instanceof Error; c = c.cause) {
    const code = (c as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return code;
  }
  return "";
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === "" ? undefined : v;
}
