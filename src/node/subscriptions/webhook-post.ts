/**
 * One webhook delivery attempt on the wire: the SSRF guard again (the
 * host's addresses are resolved and checked now, not trusted from
 * creation), then a POST whose socket connects only to the addresses just
 * checked (DNS pinning defeats rebinding), signed as
 * core/subscriptions/webhook-signature.ts describes. No redirects are
 * followed (a 3xx is a failure); the answer's body is read up to 64 KiB
 * and dropped; 10 s bound the whole attempt.
 *
 * @module
 */
import http from "node:http";
import https from "node:https";
import { SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from "../../core/subscriptions/webhook-signature.js";
import { pinnedLookup } from "../../federation/ssrf-guard.js";
import { VERSION } from "../../version.js";
import { resolveWebhookTarget, WebhookTargetError } from "./webhook-target.js";

/** Longest a delivery attempt may take. */
export const DELIVERY_TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 64 * 1024;

/** What one attempt came to. */
export type PostOutcome =
  | { readonly kind: "answered"; readonly status: number }
  | { readonly kind: "refused"; readonly error: string }
  | { readonly kind: "failed"; readonly error: string };

/** POSTs `body` to `address`, signed with `secret`. Never throws. */
export async function postWebhook(req: {
  readonly address: string;
  readonly secret: string;
  readonly body: string;
  readonly eventId: string;
  readonly allowPrivate: boolean;
  readonly signal: AbortSignal;
}): Promise<PostOutcome> {
  let target;
  try {
    target = await resolveWebhookTarget(req.address, { allowPrivate: req.allowPrivate });
  } catch (e) {
    if (e instanceof WebhookTargetError) return { kind: "refused", error: `${e.code}: ${e.message}` };
    return { kind: "failed", error: (e as Error).message };
  }
  const timestamp = Math.floor(Date.now() / 1000);
  const body = Buffer.from(req.body, "utf8");
  const { url } = target;
  const client = url.protocol === "https:" ? https : http;
  return new Promise<PostOutcome>((resolve) => {
    const r = client.request(
      {
        method: "POST",
        host: url.hostname,
        port: url.port,
        path: url.path,
        lookup: pinnedLookup(target.addresses),
        // TLS verification and SNI stay on the name the subscriber gave.
        servername: url.protocol === "https:" ? url.hostname : undefined,
        headers: {
          "content-type": "application/json",
          "content-length": String(body.length),
          "user-agent": `stigmem-node/${VERSION}`,
          "x-stigmem-event-id": req.eventId,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signWebhook(req.secret, timestamp, body),
        },
        timeout: DELIVERY_TIMEOUT_MS,
        signal: AbortSignal.any([req.signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]),
        agent: false,
      },
      (res) => {
        let read = 0;
        res.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) res.destroy();
        });
        res.on("error", () => {});
        res.on("close", () => resolve({ kind: "answered", status: res.statusCode ?? 0 }));
      },
    );
    r.on("timeout", () => r.destroy(new Error("the receiver did not answer in time")));
    r.on("error", (e: NodeJS.ErrnoException) => resolve({ kind: "failed", error: e.code ?? e.message }));
    r.end(body);
  });
}
