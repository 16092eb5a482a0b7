import { describe, expect, it } from "vitest";
import { checkPeerUrl, isLoopbackHost } from "../../../src/core/federation/peer-url.js";

describe("checkPeerUrl", () => {
  it.each([
    ["https://a.example", "a.example", "https://a.example/.well-known/stigmem", false],
    ["https://a.example/", "a.example", "https://a.example/.well-known/stigmem", false],
    ["https://a.example:8443/stigmem/", "a.example", "https://a.example:8443/stigmem/.well-known/stigmem", false],
    ["http://127.0.0.1:8765", "127.0.0.1", "http://127.0.0.1:8765/.well-known/stigmem", true],
    ["http://[::1]:8765", "::1", "http://[::1]:8765/.well-known/stigmem", true],
    ["http://localhost:8765", "localhost", "http://localhost:8765/.well-known/stigmem", true],
    ["http://peer.localhost", "peer.localhost", "http://peer.localhost/.well-known/stigmem", true],
  ])("accepts %s", (text, hostname, discoveryUrl, loopback) => {
    expect(checkPeerUrl(text)).toEqual({ ok: true, value: { text, hostname, discoveryUrl, loopback } });
  });

  it.each([
    "",
    "a.example",
    "//a.example",
    "ftp://a.example",
    "file:///etc/passwd",
    "http://a.example",
    "http://10.0.0.1",
    "https://user@a.example",
    "https://a.example/?",
    "https://a.example/#x",
    "https://a.example/ x",
    "https://zoë.example",
    "https://a.example/\n",
    `https://a.example/${"x".repeat(2048)}`,
  ])("refuses %j", (text) => {
    const r = checkPeerUrl(text);
    expect(r.ok ? "ok" : r.code).toBe("invalid_node_url");
  });

  it("accepts plain http off loopback only when allowed", () => {
    expect(checkPeerUrl("http://10.0.0.1:8765", { allowPlainHttp: true }).ok).toBe(true);
  });

  it.each([
    ["localhost", true],
    ["LOCALHOST.", true],
    ["a.localhost", true],
    ["127.1.2.3", true],
    ["::1", true],
    ["[::1]", true],
    ["::ffff:127.0.0.1", true],
    ["localhost.example", false],
    ["10.0.0.1", false],
  ])("isLoopbackHost(%j) is %s", (host, want) => {
    expect(isLoopbackHost(host)).toBe(want);
  });
});
