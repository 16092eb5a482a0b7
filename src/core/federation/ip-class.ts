/**
 * @module core/federation/ip-class
 *
 * What kind of address an IP literal is, for the SSRF guard of the peer
 * handshake (protocol.md §10: the discovery fetch must not reach loopback,
 * private or link-local hosts unless the operator allows it). Pure and
 * table-tested; `src/federation/ssrf-guard.ts` applies it to every address
 * a hostname resolves to.
 *
 * Conservative on purpose: an IPv6 address is public only inside global
 * unicast 2000::/3 and outside the special ranges below, and addresses that
 * carry an IPv4 address (mapped, compatible, NAT64 64:ff9b::/96, 6to4
 * 2002::/16) are judged by that IPv4 address, so `::ffff:127.0.0.1` or
 * `64:ff9b::10.0.0.1` cannot sneak past the guard.
 */

/** The address classes the guard distinguishes; only `public` may be fetched by default. */
export const IP_KINDS = [
  "public",
  "loopback",
  "private",
  "cgnat",
  "link_local",
  "unique_local",
  "unspecified",
  "multicast",
  "broadcast",
  "documentation",
  "reserved",
] as const;

/** One of {@link IP_KINDS}. */
export type IpKind = (typeof IP_KINDS)[number];

/** How an IPv6 address carries an IPv4 address it was judged by. */
export type Ipv4Carrier = "mapped" | "compatible" | "nat64" | "6to4";

/** The class of one address. */
export interface IpClass {
  readonly family: 4 | 6;
  readonly kind: IpKind;
  /** For IPv6 addresses judged by an embedded IPv4 address: that address, dotted. */
  readonly embeddedV4?: string;
  /** How {@link embeddedV4} is carried. */
  readonly via?: Ipv4Carrier;
}

const DEC_OCTET = /^(?:0|[1-9]\d{0,2})$/;

/**
 * Parses dotted-quad IPv4 (`a.b.c.d`, decimal, no leading zeros: the form
 * resolvers and the WHATWG URL parser produce) into its 4 bytes.
 */
export function parseIpv4(text: string): number[] | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const p of parts) {
    if (!DEC_OCTET.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    bytes.push(n);
  }
  return bytes;
}

const HEXTET = /^[0-9a-fA-F]{1,4}$/;

function parseHextets(groups: string[]): number[] | undefined {
  const out: number[] = [];
  for (const g of groups) {
    if (!HEXTET.test(g)) return undefined;
    out.push(parseInt(g, 16));
  }
  return out;
}

/**
 * Parses IPv6 text (RFC 4291 §2.2: `::` compression, a dotted IPv4 tail, an
 * optional `%zone`, no brackets) into its 16 bytes.
 */
export function parseIpv6(text: string): number[] | undefined {
  const zone = text.indexOf("%");
  if (zone === text.length - 1) return undefined;
  let s = zone >= 0 ? text.slice(0, zone) : text;
  let tail: number[] = [];
  const lastColon = s.lastIndexOf(":");
  if (lastColon >= 0 && s.includes(".", lastColon)) {
    const v4 = parseIpv4(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    // Keep "::" whole ("::1.2.3.4", "1::1.2.3.4"); otherwise drop the colon before the IPv4 part.
    s = s.slice(0, lastColon + 1);
    if (!s.endsWith("::")) s = s.slice(0, -1);
  }
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const split = (h: string): string[] => (h === "" ? [] : h.split(":"));
  const head = parseHextets(split(halves[0]!));
  const rest = halves.length === 2 ? parseHextets(split(halves[1]!)) : [];
  if (head === undefined || rest === undefined) return undefined;
  const explicit = head.length + rest.length + tail.length;
  let groups: number[];
  if (halves.length === 2) {
    // "::" stands for at least one zero group.
    if (explicit > 7) return undefined;
    groups = [...head, ...new Array<number>(8 - explicit).fill(0), ...rest, ...tail];
  } else {
    if (explicit !== 8) return undefined;
    groups = [...head, ...tail];
  }
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

/** IPv4 special ranges, first match wins: [network, prefix length, kind]. */
const V4_RANGES: ReadonlyArray<readonly [string, number, IpKind]> = [
  ["0.0.0.0", 32, "unspecified"],
  ["255.255.255.255", 32, "broadcast"],
  ["0.0.0.0", 8, "reserved"], // "this network" (RFC 791)
  ["10.0.0.0", 8, "private"], // RFC 1918
  ["100.64.0.0", 10, "cgnat"], // RFC 6598 shared address space
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link_local"], // includes cloud metadata 169.254.169.254
  ["172.16.0.0", 12, "private"], // RFC 1918
  ["192.0.0.0", 24, "reserved"], // IETF protocol assignments (RFC 6890)
  ["192.0.2.0", 24, "documentation"], // TEST-NET-1
  ["192.88.99.0", 24, "reserved"], // 6to4 relay anycast (RFC 7526)
  ["192.168.0.0", 16, "private"], // RFC 1918
  ["198.18.0.0", 15, "reserved"], // benchmarking (RFC 2544)
  ["198.51.100.0", 24, "documentation"], // TEST-NET-2
  ["203.0.113.0", 24, "documentation"], // TEST-NET-3
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"], // future use (RFC 1112)
];

const toU32 = (b: readonly number[]): number => ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;

const V4_TABLE = V4_RANGES.map(([net, len, kind]) => {
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return { net: (toU32(parseIpv4(net)!) & mask) >>> 0, mask, kind };
});

function classifyV4Bytes(b: readonly number[]): IpKind {
  const x = toU32(b);
  for (const r of V4_TABLE) if (((x & r.mask) >>> 0) === r.net) return r.kind;
  return "public";
}

/** True when the first `bits` bits of `b` equal those of `prefix` (bytes). */
function hasPrefix(b: readonly number[], prefix: readonly number[], bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const byte = i >> 3;
    const mask = 0x80 >> (i & 7);
    if (((b[byte] ?? 0) & mask) !== ((prefix[byte] ?? 0) & mask)) return false;
  }
  return true;
}

const v6 = (text: string): number[] => parseIpv6(text)!;

/** IPv6 special ranges that do not carry an IPv4 address, first match wins. */
const V6_RANGES: ReadonlyArray<readonly [number[], number, IpKind]> = [
  [v6("64:ff9b:1::"), 48, "reserved"], // local-use NAT64 (RFC 8215)
  [v6("100::"), 64, "reserved"], // discard-only (RFC 6666)
  [v6("2001:db8::"), 32, "documentation"],
  [v6("3fff::"), 20, "documentation"], // RFC 9637
  [v6("2001::"), 23, "reserved"], // IETF protocol assignments, incl. Teredo 2001::/32
  [v6("fc00::"), 7, "unique_local"],
  [v6("fe80::"), 10, "link_local"],
  [v6("fec0::"), 10, "private"], // deprecated site-local
  [v6("ff00::"), 8, "multicast"],
];

function dotted(b: readonly number[]): string {
  return b.join(".");
}

/** Judges an IPv6 address by the IPv4 address it carries: public only when that one is. */
function viaV4(v4: readonly number[], via: Ipv4Carrier): IpClass {
  return { family: 6, kind: classifyV4Bytes(v4), embeddedV4: dotted(v4), via };
}

function classifyV6Bytes(b: readonly number[]): IpClass {
  const zero = (from: number, to: number): boolean => b.slice(from, to).every((x) => x === 0);
  if (zero(0, 16)) return { family: 6, kind: "unspecified" };
  if (zero(0, 15) && b[15] === 1) return { family: 6, kind: "loopback" };
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return viaV4(b.slice(12), "mapped");
  if (zero(0, 12)) return viaV4(b.slice(12), "compatible");
  if (hasPrefix(b, v6("64:ff9b::"), 96)) return viaV4(b.slice(12), "nat64");
  if (b[0] === 0x20 && b[1] === 0x02) return viaV4(b.slice(2, 6), "6to4");
  for (const [prefix, len, kind] of V6_RANGES) if (hasPrefix(b, prefix, len)) return { family: 6, kind };
  // Only global unicast 2000::/3 is routable on the internet; the rest is unallocated or special.
  return { family: 6, kind: (b[0]! & 0xe0) === 0x20 ? "public" : "reserved" };
}

/**
 * Classifies an IP literal (dotted IPv4, or IPv6 without brackets, zone
 * allowed), or returns `undefined` when `text` is not one (a hostname).
 *
 * @example
 * classifyIp("10.1.2.3"); // { family: 4, kind: "private" }
 * classifyIp("::ffff:127.0.0.1"); // { family: 6, kind: "loopback", embeddedV4: "127.0.0.1", via: "mapped" }
 */
export function classifyIp(text: string): IpClass | undefined {
  const b4 = parseIpv4(text);
  if (b4 !== undefined) return { family: 4, kind: classifyV4Bytes(b4) };
  const b6 = parseIpv6(text);
  return b6 === undefined ? undefined : classifyV6Bytes(b6);
}

/** True only for an IP literal of kind `public`; hostnames and garbage are not public. */
export function isPublicIp(text: string): boolean {
  return classifyIp(text)?.kind === "public";
}
