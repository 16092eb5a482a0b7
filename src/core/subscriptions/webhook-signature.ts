/**
 * @module core/subscriptions/webhook-signature
 *
 * How a webhook delivery is signed (docs/subscriptions.md has the receiver's
 * recipe). The node sends two headers with every delivery:
 *
 * ```
 *  X-Stigmem-Timestamp: 1767225600                 (Unix seconds when signed)
 *  X-Stigmem-Signature: sha256=<64 hex digits>
 * ```
 *
 * where the signature is `HMAC-SHA256(key = UTF-8 of the subscription's
 * webhook_secret, message = "<timestamp>." + raw body bytes)`. The
 * timestamp is inside the MAC, so a captured delivery cannot be replayed
 * later with a fresh timestamp; a receiver refuses timestamps more than
 * {@link SIGNATURE_TOLERANCE_S} from its clock and compares in constant time.
 */
import { createHmac, randomBytes } from "node:crypto";

/** Header carrying `sha256=<hex>`. */
export const SIGNATURE_HEADER = "x-stigmem-signature";
/** Header carrying the signing time in Unix seconds. */
export const TIMESTAMP_HEADER = "x-stigmem-timestamp";
/** Prefix of generated secrets, so they are recognisable in a leak scan. */
export const WEBHOOK_SECRET_PREFIX = "whsec_";

/** A fresh webhook secret: `whsec_` + base64url(32 random bytes). */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(32).toString("base64url");
}

/**
 * The `X-Stigmem-Signature` value of `body` signed at `timestampS`.
 *
 * @example
 * signWebhook("whsec_x", 1767225600, '{"a":1}'); // "sha256=…" (64 hex digits)
 */
export function signWebhook(secret: string, timestampS: number, body: string | Uint8Array): string {
  const mac = createHmac("sha256", Buffer.from(secret, "utf8"));
  mac.update(`${timestampS}.`, "utf8");
  mac.update(body);
  return `sha256=${mac.digest("hex")}`;
}
