/**
 * @module core/subscriptions/webhook-url
 *
 * Which `delivery_address` a webhook subscription may name (protocol.md §7:
 * https only, SSRF guard): an absolute http(s) URL without credentials or
 * fragment, at most 2,048 printable ASCII characters. `https` is required;
 * plain `http` only where the operator allowed private targets
 * (`STIGMEM_WEBHOOK_ALLOW_PRIVATE`: tests, a private network), since a
 * delivery carries fact content. Where the host's addresses may point is
 * checked apart, against DNS, at creation and again at every delivery
 * (node/subscriptions/webhook-post.ts).
 */
import { failed, passed, type Checked } from "../federation/check-result.js";

/** Longest delivery address accepted, in characters. */
export const MAX_WEBHOOK_URL_LENGTH = 2_048;

const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

/** A delivery address that passed {@link checkWebhookUrl}. */
export interface WebhookUrl {
  /** The address as given. */
  readonly text: string;
  readonly protocol: "http:" | "https:";
  /** Host name as the URL parser canonicalized it; IPv6 without brackets. */
  readonly hostname: string;
  /** The port to connect to (the scheme's default when the URL names none). */
  readonly port: number;
  /** Path and query, as sent in the request line. */
  readonly path: string;
}

/** Why an address is refused: its shape or scheme. */
export type WebhookUrlCode = "url_invalid" | "url_scheme";

/**
 * Validates a webhook delivery address.
 *
 * @example
 * checkWebhookUrl("https://hooks.example/in", { allowPlainHttp: false }).ok; // true
 * checkWebhookUrl("ftp://hooks.example/in", { allowPlainHttp: true }).ok; // false (url_scheme)
 */
export function checkWebhookUrl(text: string, opts: { readonly allowPlainHttp: boolean }): Checked<WebhookUrl, WebhookUrlCode> {
  const bad = (code: WebhookUrlCode, why: string): Checked<WebhookUrl, WebhookUrlCode> => failed(code, why, "delivery_address");
  if (text.length > MAX_WEBHOOK_URL_LENGTH) return bad("url_invalid", `the webhook URL is longer than ${MAX_WEBHOOK_URL_LENGTH} characters`);
  if (!PRINTABLE_ASCII.test(text)) return bad("url_invalid", "the webhook URL must be printable ASCII without spaces");
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return bad("url_invalid", "the webhook URL is not an absolute URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return bad("url_scheme", "the webhook URL must use https");
  if (url.protocol === "http:" && !opts.allowPlainHttp) return bad("url_scheme", "the webhook URL must use https");
  if (url.username !== "" || url.password !== "") return bad("url_invalid", "the webhook URL must not carry credentials");
  if (url.hash !== "" || text.includes("#")) return bad("url_invalid", "the webhook URL must not have a fragment");
  const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  if (hostname === "") return bad("url_invalid", "the webhook URL has no host");
  const port = url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port);
  return passed({ text, protocol: url.protocol, hostname, port, path: `${url.pathname}${url.search}` });
}
