/**
 * @module federation/ssrf-guard
 *
 * Keeps the handshake's discovery fetch (protocol.md §10 step 3) from being
 * turned against the node's own network: a declaration names any URL it
 * likes, so before connecting we resolve the host, refuse it if ANY of its
 * addresses is loopback, private, link-local, CGNAT, ULA, reserved or
 * documentation space (unless the operator set
 * `STIGMEM_FEDERATION_ALLOW_PRIVATE=true`), and then connect only to the
 * addresses we checked.
 *
 * Pinning is what defeats DNS rebinding: a name that resolves to a public
 * address for the check and to 127.0.0.1 a moment later for the connect
 * would pass a check-then-fetch guard. {@link pinnedLookup} hands the
 * socket the checked addresses instead of letting it resolve again.
 *
 * Why node:http with a `lookup` rather than fetch: Node's global fetch
 * (bundled undici) takes a connection-level hook only through a dispatcher
 * from the separate `undici` package; `http.request`'s `lookup` option is
 * the same hook with no dependency, and it keeps TLS verification and SNI
 * on the original host name.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import type { LookupFunction } from "node:net";
import { classifyIp, type IpKind } from "../core/federation/ip-class.js";

/** One resolved address. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to all its addresses (injectable for tests). */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** The system resolver: every address `getaddrinfo` returns, in its order. */
export const systemResolver: Resolver = async (hostname) => {
  const all = await dnsLookup(hostname, { all: true, verbatim: true });
  return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** Why a host was refused. */
export type SsrfErrorCode = "address_not_allowed" | "dns_failed";

/** A refused or unresolvable peer host; the message names the address class, never secrets. */
export class SsrfError extends Error {
  override readonly name = "SsrfError" as const;
  constructor(
    readonly code: SsrfErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Classes no TCP peer can be, refused even when private addresses are allowed. */
const NEVER: ReadonlySet<IpKind> = new Set(["unspecified", "multicast", "broadcast"]);

function judge(address: string, allowPrivate: boolean): IpKind | undefined {
  const kind = classifyIp(address)?.kind ?? "reserved";
  if (NEVER.has(kind)) return kind;
  return kind === "public" || allowPrivate ? undefined : kind;
}

/**
 * Resolves `hostname` (a name or an IP literal without brackets) and checks
 * every address. A name with one private address among public ones is
 * refused: the connection could land on any of them.
 *
 * @returns the checked addresses, to pin the connection to.
 * @throws SsrfError `dns_failed` (no address) or `address_not_allowed`.
 */
export async function resolvePeerHost(
  hostname: string,
  opts: { readonly allowPrivate: boolean; readonly resolve?: Resolver },
): Promise<readonly ResolvedAddress[]> {
  const literal = classifyIp(hostname);
  let addresses: readonly ResolvedAddress[];
  if (literal !== undefined) {
    addresses = [{ address: hostname, family: literal.family }];
  } else {
    try {
      addresses = await (opts.resolve ?? systemResolver)(hostname);
    } catch (e) {
      throw new SsrfError("dns_failed", `cannot resolve ${hostname}: ${(e as NodeJS.ErrnoException).code ?? "error"}`);
    }
    if (addresses.length === 0) throw new SsrfError("dns_failed", `${hostname} has no address`);
  }
  for (const a of addresses) {
    const refused = judge(a.address, opts.allowPrivate);
    if (refused !== undefined) {
      const via = literal === undefined ? `${hostname} resolves to ${a.address}` : a.address;
      throw new SsrfError("address_not_allowed", `${via} is a ${refused.replace("_", "-")} address; peers must be public`);
    }
  }
  return addresses;
}

/**
 * A `lookup` for `http.request` / `net.connect` that answers with the given,
 * already checked addresses and never consults DNS. Handles both the single
 * (`all: false`) and the list form (`all: true`, which Node 20 uses for
 * happy-eyeballs connects).
 */
export function pinnedLookup(addresses: readonly ResolvedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
    if (wanted.length === 0) {
      const err: NodeJS.ErrnoException = new Error("no checked address of the requested family");
      err.code = "ENOTFOUND";
      callback(err, "", 0);
      return;
    }
    if (options.all === true) {
      (callback as unknown as (e: null, list: { address: string; family: number }[]) => void)(
        null,
        wanted.map((a) => ({ address: a.address, family: a.family })),
      );
    } else {
      callback(null, wanted[0]!.address, wanted[0]!.family);
    }
  };
}
