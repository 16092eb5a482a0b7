/**
 * Where a webhook may be delivered (protocol.md §7 "Subscriptions", SSRF
 * guard): the address must pass core/subscriptions/webhook-url.ts, and its
 * host must resolve only to public addresses — checked when the
 * subscription is created AND again before every delivery, whose socket
 * then connects to exactly the addresses checked (DNS pinning), so a name
 * that rebinds to 127.0.0.1 after the check reaches nothing.
 * `STIGMEM_WEBHOOK_ALLOW_PRIVATE=1` lifts the address classes (and allows
 * plain http) for tests and private networks.
 *
 * @module
 */
import { checkWebhookUrl, type WebhookUrl } from "../../core/subscriptions/webhook-url.js";
import { resolvePeerHost, SsrfError, type ResolvedAddress, type Resolver } from "../../federation/ssrf-guard.js";

/** A delivery address and the addresses its host was checked to resolve to. */
export interface WebhookTarget {
  readonly url: WebhookUrl;
  readonly addresses: readonly ResolvedAddress[];
}

/** Why a target was refused. */
export type WebhookTargetCode = "url_invalid" | "url_scheme" | "address_not_allowed" | "dns_failed";

/** A refused webhook target; the message names the class of address, never a secret. */
export class WebhookTargetError extends Error {
  override readonly name = "WebhookTargetError" as const;
  constructor(
    readonly code: WebhookTargetCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Checks `text` and resolves its host.
 * @throws WebhookTargetError when the URL or any address of its host is refused.
 */
export async function resolveWebhookTarget(
  text: string,
  opts: { readonly allowPrivate: boolean; readonly resolve?: Resolver },
): Promise<WebhookTarget> {
  const url = checkWebhookUrl(text, { allowPlainHttp: opts.allowPrivate });
  if (!url.ok) throw new WebhookTargetError(url.code, url.message);
  try {
    const addresses = await resolvePeerHost(url.value.hostname, { allowPrivate: opts.allowPrivate, resolve: opts.resolve });
    return { url: url.value, addresses };
  } catch (e) {
    if (e instanceof SsrfError) throw new WebhookTargetError(e.code, e.message.replace(/; peers must be public$/, "; webhook targets must be public"));
    throw e;
  }
}
