/**
 * @module federation/fetch-discovery
 *
 * The handshake's fetch of a declarer's `/.well-known/stigmem` (protocol.md
 * §10 step 3), guarded: the node URL must pass `checkPeerUrl`, every address
 * of its host must pass the SSRF guard, the connection is pinned to those
 * addresses, the whole exchange has a 5 s deadline, redirects are refused
 * (a 3xx could point anywhere the guard did not check) and the body is
 * capped. The caller reads `federation_pubkey` from the document.
 */
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import { checkPeerUrl } from "../core/federation/peer-url.js";
import { pinnedLookup, resolvePeerHost, SsrfError, type Resolver } from "./ssrf-guard.js";

/** Deadline for the whole fetch, DNS included (§10). */
export const DISCOVERY_TIMEOUT_MS = 5_000;
/** Largest discovery document accepted. */
export const DISCOVERY_MAX_BYTES = 64 * 1024;

/** Why a discovery fetch failed; the handshake records the peer as rejected either way. */
export type DiscoveryErrorCode =
  | "invalid_node_url"
  | "address_not_allowed"
  | "dns_failed"
  | "timeout"
  | "redirect_refused"
  | "http_status"
  | "body_too_large"
  | "invalid_json"
  | "network";

/** A failed discovery fetch. */
export class DiscoveryError extends Error {
  override readonly name = "DiscoveryError" as const;
  constructor(
    readonly code: DiscoveryErrorCode,
    message: string,
    /** The HTTP status, for `http_status` and `redirect_refused`. */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Options of {@link fetchDiscovery}. */
export interface DiscoveryOptions {
  /** Allow loopback, private and link-local hosts (`STIGMEM_FEDERATION_ALLOW_PRIVATE`; tests and demos). */
  readonly allowPrivate: boolean;
  /** Allow `http:` for non-loopback hosts (see `checkPeerUrl`). */
  readonly allowPlainHttp?: boolean;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  /** Host resolver; the system's by default. */
  readonly resolve?: Resolver;
}

/** A fetched discovery document. */
export interface Discovery {
  /** The URL fetched. */
  readonly url: string;
  /** The address the connection actually reached (one of the checked ones). */
  readonly remoteAddress: string;
  /** The parsed JSON object. */
  readonly document: Readonly<Record<string, unknown>>;
}

/** Rejects with `timeout` when `signal` aborts first (DNS lookups cannot be cancelled, only abandoned). */
function raceAbort<T>(work: Promise<T>, signal: AbortSignal, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(new DiscoveryError("timeout", `no answer within ${ms} ms`));
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function readBody(res: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(res.headers["content-length"]);
    if (Number.isFinite(declared) && declared > maxBytes) {
      res.destroy();
      reject(new DiscoveryError("body_too_large", `the document is ${declared} bytes; the limit is ${maxBytes}`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    res.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        res.destroy();
        reject(new DiscoveryError("body_too_large", `the document exceeds ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    res.on("end", () => resolve(Buffer.concat(chunks)));
    res.on("error", (e) => reject(new DiscoveryError("network", `reading the document failed: ${e.message}`)));
    // A connection cut mid-body ends in "close" without "end"; settling twice is harmless.
    res.on("close", () => {
      if (!res.complete) reject(new DiscoveryError("network", "the connection closed before the document ended"));
    });
  });
}

function get(url: URL, addresses: Parameters<typeof pinnedLookup>[0], maxBytes: number, signal: AbortSignal): Promise<Discovery> {
  return new Promise((resolve, reject) => {
    const mod = url.protocol === "https:" ? https : http;
    const req = mod.request(url, {
      method: "GET",
      headers: { accept: "application/json" },
      // A fresh agent: a pooled socket could have been opened to an address this call did not check.
      agent: false,
      lookup: pinnedLookup(addresses),
      // Aborting destroys the socket, so a slow peer holds nothing once the deadline passed.
      signal,
    });
    req.on("error", (e: NodeJS.ErrnoException) => {
      if (signal.aborted) reject(new DiscoveryError("timeout", `no answer from ${url.host} in time`));
      else reject(new DiscoveryError("network", `${url.host}: ${e.code ?? e.message}`));
    });
    req.on("response", (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        res.destroy();
        reject(new DiscoveryError("redirect_refused", `the discovery URL answered ${status}; redirects are not followed`, status));
        return;
      }
      if (status !== 200) {
        res.destroy();
        reject(new DiscoveryError("http_status", `the discovery URL answered ${status}`, status));
        return;
      }
      const remoteAddress = res.socket.remoteAddress ?? "";
      readBody(res, maxBytes).then((body) => {
        let doc: unknown;
        try {
          doc = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
        } catch {
          reject(new DiscoveryError("invalid_json", "the discovery document is not JSON"));
          return;
        }
        if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
          reject(new DiscoveryError("invalid_json", "the discovery document is not a JSON object"));
          return;
        }
        resolve({ url: url.href, remoteAddress, document: doc as Record<string, unknown> });
      }, reject);
    });
    req.end();
  });
}

/**
 * Fetches `{node_url}/.well-known/stigmem` under the guard.
 *
 * @throws DiscoveryError with a code from {@link DiscoveryErrorCode}.
 * @example
 * const { document } = await fetchDiscovery("https://peer.example", { allowPrivate: false });
 * document.federation_pubkey; // compare with the declaration's key
 */
export async function fetchDiscovery(nodeUrl: string, opts: DiscoveryOptions): Promise<Discovery> {
  const checked = checkPeerUrl(nodeUrl, { allowPlainHttp: opts.allowPlainHttp === true });
  if (!checked.ok) throw new DiscoveryError("invalid_node_url", checked.message);
  const url = new URL(checked.value.discoveryUrl);
  const timeoutMs = opts.timeoutMs ?? DISCOVERY_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    const addresses = await raceAbort(
      resolvePeerHost(checked.value.hostname, {
        allowPrivate: opts.allowPrivate,
        ...(opts.resolve === undefined ? {} : { resolve: opts.resolve }),
      }),
      deadline,
      timeoutMs,
    );
    return await raceAbort(get(url, addresses, opts.maxBytes ?? DISCOVERY_MAX_BYTES, deadline), deadline, timeoutMs);
  } catch (e) {
    if (e instanceof SsrfError) throw new DiscoveryError(e.code, e.message);
    throw e;
  }
}
