/**
 * Address classes for the SSRF guard: every special IPv4 and IPv6 range on
 * both sides of its edges, the IPv6 forms that carry an IPv4 address, and
 * the parsers' refusals.
 */
import { describe, expect, it } from "vitest";
import { classifyIp, isPublicIp, parseIpv6, type IpKind } from "../../../src/core/federation/ip-class.js";

describe("IPv4", () => {
  it.each<[string, IpKind]>([
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "reserved"],
    ["1.1.1.1", "public"],
    ["9.255.255.255", "public"],
    ["10.0.0.0", "private"],
    ["10.255.255.255", "private"],
    ["11.0.0.0", "public"],
    ["100.63.255.255", "public"],
    ["100.64.0.0", "cgnat"],
    ["100.127.255.255", "cgnat"],
    ["100.128.0.0", "public"],
    ["126.255.255.255", "public"],
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["169.253.255.255", "public"],
    ["169.254.0.1", "link_local"],
    ["169.254.169.254", "link_local"],
    ["169.255.0.0", "public"],
    ["172.15.255.255", "public"],
    ["172.16.0.0", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.0", "public"],
    ["192.0.0.8", "reserved"],
    ["192.0.2.1", "documentation"],
    ["192.88.99.1", "reserved"],
    ["192.167.255.255", "public"],
    ["192.168.1.1", "private"],
    ["192.169.0.0", "public"],
    ["198.17.255.255", "public"],
    ["198.18.0.0", "reserved"],
    ["198.19.255.255", "reserved"],
    ["198.20.0.0", "public"],
    ["198.51.100.7", "documentation"],
    ["203.0.113.9", "documentation"],
    ["223.255.255.255", "public"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.255", "multicast"],
    ["240.0.0.1", "reserved"],
    ["255.255.255.254", "reserved"],
    ["255.255.255.255", "broadcast"],
  ])("%s is %s", (ip, kind) => {
    expect(classifyIp(ip)).toEqual({ family: 4, kind });
    expect(isPublicIp(ip)).toBe(kind === "public");
  });
});

describe("IPv6", () => {
  it.each<[string, IpKind]>([
    ["::", "unspecified"],
    ["0:0:0:0:0:0:0:0", "unspecified"],
    ["::1", "loopback"],
    ["0:0:0:0:0:0:0:1", "loopback"],
    ["2606:4700:4700::1111", "public"],
    ["2001:4860:4860::8888", "public"],
    ["2a00:1450:4001:82b::200e", "public"],
    ["3ffe::1", "public"],
    ["2001:db8::1", "documentation"],
    ["3fff:fff::1", "documentation"],
    ["3fff:1000::1", "public"],
    ["2001::1", "reserved"], // Teredo
    ["2001:1ff::1", "reserved"],
    ["2001:200::1", "public"],
    ["100::1", "reserved"],
    ["64:ff9b:1::a00:1", "reserved"],
    ["fc00::1", "unique_local"],
    ["fd12:3456:789a::1", "unique_local"],
    ["fe80::1", "link_local"],
    ["fe80::1%eth0", "link_local"],
    ["febf:ffff::1", "link_local"],
    ["fec0::1", "private"],
    ["ff02::1", "multicast"],
    ["4000::1", "reserved"],
    ["1fff::1", "reserved"],
    ["::ffff:0:0:1", "reserved"],
  ])("%s is %s", (ip, kind) => {
    const c = classifyIp(ip);
    expect(c?.family).toBe(6);
    expect(c?.kind).toBe(kind);
    expect(c?.embeddedV4).toBeUndefined();
  });

  it.each<[string, IpKind, string, string]>([
    ["::ffff:127.0.0.1", "loopback", "127.0.0.1", "mapped"],
    ["::ffff:7f00:1", "loopback", "127.0.0.1", "mapped"],
    ["::FFFF:10.1.2.3", "private", "10.1.2.3", "mapped"],
    ["0:0:0:0:0:ffff:169.254.169.254", "link_local", "169.254.169.254", "mapped"],
    ["::ffff:8.8.8.8", "public", "8.8.8.8", "mapped"],
    ["::127.0.0.1", "loopback", "127.0.0.1", "compatible"],
    ["::0.0.0.2", "reserved", "0.0.0.2", "compatible"],
    ["::8.8.8.8", "public", "8.8.8.8", "compatible"],
    ["64:ff9b::10.0.0.1", "private", "10.0.0.1", "nat64"],
    ["64:ff9b::7f00:1", "loopback", "127.0.0.1", "nat64"],
    ["64:ff9b::100.64.0.1", "cgnat", "100.64.0.1", "nat64"],
    ["64:ff9b::1.1.1.1", "public", "1.1.1.1", "nat64"],
    ["2002:c0a8:0101::1", "private", "192.168.1.1", "6to4"],
    ["2002:0808:0808::1", "public", "8.8.8.8", "6to4"],
  ])("%s carries %s (%s, %s)", (ip, kind, v4, via) => {
    expect(classifyIp(ip)).toEqual({ family: 6, kind, embeddedV4: v4, via });
  });
});

describe("parsing", () => {
  it("expands :: and the IPv4 tail to 16 bytes", () => {
    expect(parseIpv6("1::")).toEqual([0, 1, ...new Array<number>(14).fill(0)]);
    expect(parseIpv6("1:2:3:4:5:6:7::")).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0]);
    expect(parseIpv6("1:2:3:4:5:6:1.2.3.4")).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4]);
    expect(parseIpv6("1::1.2.3.4")).toEqual([0, 1, ...new Array<number>(10).fill(0), 1, 2, 3, 4]);
  });

  it.each([
    "",
    "localhost",
    "example.com",
    "1.2.3",
    "1.2.3.4.5",
    "256.0.0.1",
    "01.2.3.4",
    "1.2.3.-4",
    "0x7f.0.0.1",
    " 1.2.3.4",
    "1.2.3.4 ",
    ":",
    ":::",
    "1:::2",
    "1::2::3",
    "1:2:3:4:5:6:7",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7:8::",
    "12345::1",
    "g::1",
    ":1.2.3.4",
    "::1.2.3",
    "::1.2.3.4:5",
    "::1%",
    "[::1]",
  ])("%j is not an IP literal", (text) => {
    expect(classifyIp(text)).toBeUndefined();
    expect(isPublicIp(text)).toBe(false);
  });
});
