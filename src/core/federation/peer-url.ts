/**
 * @module core/federation/peer-url
 *
 * Which `node_url` a peer may declare (protocol.md §10): an absolute
 * http(s) URL with no credentials, query or fragment, in printable ASCII
 * (the declaration is signed over its exact text), and https unless the host
 * is loopback. Where the handshake fetches the declarer's discovery document
 * is derived here too, so the check and the fetch agree on one URL.
 */
import { classifyIp } from "./ip-class.js";
import { failed, passed, type Checked } from "./check-result.js";

/** Longest node_url accepted, in characters (all ASCII). */
export const MAX_NODE_URL_LENGTH = 2_048;

/** Path of the discovery document under a node URL (§10 handshake step 3). */
export const DISCOVERY_PATH = "/.well-known/stigmem";

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** A node URL that passed {@link checkPeerUrl}. */
export interface PeerUrl {
  /** The URL text exactly as declared (and signed). */
  readonly text: string;
  /** Host name as the URL parser canonicalized it; IPv6 without brackets. */
  readonly hostname: string;
  /** `{node_url without trailing "/"}/.well-known/stigmem`. */
  readonly discoveryUrl: string;
  /** True when the host is loopback by name (`localhost`, `*.localhost`) or address. */
  readonly loopback: boolean;
}

/** True for `localhost`, `*.localhost` (RFC 6761) and loopback IP literals. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/\.$/, "");
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  const bare = h.startsWith("[") && h.endsWith("]") ? h.slice(1, -1) : h;
  return classifyIp(bare)?.kind === "loopback";
}

/**
 * Validates a declared node URL.
 *
 * @param opts.allowPlainHttp - accept `http:` for any host (tests, a LAN
 *   demo); by default `http:` is accepted only for loopback hosts (§10
 *   "Peers not on loopback must use https").
 * @returns the parsed URL, or `invalid_node_url` naming why.
 * @example
 * checkPeerUrl("https://a.example/").value.discoveryUrl; // "https://a.example/.well-known/stigmem"
 */
export function checkPeerUrl(
  text: string,
  opts: { readonly allowPlainHttp?: boolean } = {},
): Checked<PeerUrl, "invalid_node_url"> {
  const bad = (why: string): Checked<PeerUrl, "invalid_node_url"> => failed("invalid_node_url", why, "node_url");
  if (text.length === 0 || text.length > MAX_NODE_URL_LENGTH) return bad(`node_url must be 1–${MAX_NODE_URL_LENGTH} characters`);
  if (!PRINTABLE_ASCII.test(text) || text.includes(" ")) return bad("node_url must be printable ASCII without spaces");
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return bad("node_url is not an absolute URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return bad("node_url must be http or https");
  if (url.username !== "" || url.password !== "") return bad("node_url must not carry credentials");
  if (url.search !== "" || url.hash !== "" || text.includes("?") || text.includes("#")) {
    return bad("node_url must not have a query or fragment");
  }
  const hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const loopback = isLoopbackHost(hostname);
  if (url.protocol === "http:" && !loopback && opts.allowPlainHttp !== true) {
    return bad("node_url must use https unless the host is loopback");
  }
  const base = `${url.origin}${url.pathname}`.replace(/\/+$/, "");
  return passed({ text, hostname, discoveryUrl: `${base}${DISCOVERY_PATH}`, loopback });
}
