/**
 * Pulls from a reference node (protocol.md §10 "Pull client", and
 * spec/federation-interop.md): `GET {node_url}/v1/federation/facts` with a
 * fresh 60 s peer token per request, page after page until `has_more` is
 * false (the reference's own puller takes one page per 30 s); then the
 * puller waits {@link REFERENCE_POLL_MS} and asks again. The cursor sent
 * back is `referenceNextCursor`'s, which works around the reference's
 * text-compared HLC cursor.
 *
 * Failures are classified for the puller: 429 (with its Retry-After), 5xx,
 * timeouts, network errors and "peer not registered / approved" (yet) are
 * transient; other 401/403 and 4xx are permanent (retried at the 300 s
 * cap, so fixing it there heals it).
 *
 * @module
 */
import { REQUEST_TOKEN_TTL_MS } from "../../core/federation/peer-token.js";
import { referenceNextCursor } from "../../core/federation/reference-cursor.js";
import { PullError, type PullFrame, type PullSource, type TokenMinter } from "../../node/federation/pull-source.js";
import type { Peer as PeerRecord } from "../../node/federation/peer.js";

/** Pause after the end of a reference peer's backlog (§10: "then sleep 5 s"). */
export const REFERENCE_POLL_MS = 5_000;
/** Facts per request: the reference's largest page. */
export const REFERENCE_PAGE_SIZE = 500;
/** Deadline of one request. */
export const REFERENCE_REQUEST_TIMEOUT_MS = 30_000;

interface ReferencePage {
  facts: unknown[];
  cursor: string | null;
  has_more: boolean;
}

function classify(status: number, retryAfter: string | null, detail: string): PullError {
  if (status === 429) {
    const s = Number(retryAfter);
    return new PullError(
      { kind: "transient", transient: "rate_limited", ...(Number.isFinite(s) && s > 0 ? { retryAfterMs: s * 1000 } : {}) },
      `429 ${detail}`,
    );
  }
  if (status >= 500) return new PullError({ kind: "transient", transient: "server" }, `${status} ${detail}`);
  // Not registered or not approved there yet: the handshake's other half is under way.
  if (status === 401 && /peer[ _]not[ _](registered|approved)/.test(detail)) {
    return new PullError({ kind: "transient", transient: "protocol" }, `${status} ${detail}`);
  }
  return new PullError({ kind: "permanent", code: status === 401 || status === 403 ? `refused_${status}` : `http_${status}` }, `${status} ${detail}`);
}

function isPage(x: unknown): x is ReferencePage {
  if (typeof x !== "object" || x === null) return false;
  const b = x as Record<string, unknown>;
  return Array.isArray(b.facts) && (b.cursor === null || b.cursor === undefined || typeof b.cursor === "string") && typeof b.has_more === "boolean";
}

/** The source of a reference peer. */
export function referencePullSource(peer: PeerRecord, mintToken: TokenMinter, opts: { pollIntervalMs?: number } = {}): PullSource {
  const base = peer.nodeUrl.replace(/\/+$/, "");
  return {
    pollIntervalMs: opts.pollIntervalMs ?? REFERENCE_POLL_MS,
    async *open(cursor: string | null, signal: AbortSignal): AsyncGenerator<PullFrame> {
      let sent = cursor;
      for (;;) {
        const token = await mintToken(REQUEST_TOKEN_TTL_MS);
        const q = new URLSearchParams({ limit: String(REFERENCE_PAGE_SIZE) });
        if (sent !== null) q.set("cursor", sent);
        let res: Response;
        try {
          res = await fetch(`${base}/v1/federation/facts?${q.toString()}`, {
            headers: { authorization: `Bearer ${token}`, accept: "application/json" },
            redirect: "error",
            signal: AbortSignal.any([signal, AbortSignal.timeout(REFERENCE_REQUEST_TIMEOUT_MS)]),
          });
        } catch (e) {
          const timeout = (e as Error).name === "TimeoutError";
          throw new PullError({ kind: "transient", transient: timeout ? "timeout" : "network" }, (e as Error).message);
        }
        const text = await res.text().catch((e: unknown) => {
          throw new PullError({ kind: "transient", transient: "network" }, (e as Error).message);
        });
        if (res.status !== 200) throw classify(res.status, res.headers.get("retry-after"), text.slice(0, 300));
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          throw new PullError({ kind: "transient", transient: "protocol" }, "the page is not JSON");
        }
        if (!isPage(body)) throw new PullError({ kind: "transient", transient: "protocol" }, "the page is not {facts, cursor, has_more}");
        const page = { facts: body.facts, cursor: body.cursor ?? null, has_more: body.has_more };
        const next = referenceNextCursor(page as { facts: { hlc?: unknown }[]; cursor: string | null; has_more: boolean }, sent);
        yield { kind: "page", facts: page.facts, cursor: next, caughtUp: !page.has_more };
        sent = next;
        if (!page.has_more) return;
      }
    },
  };
}
