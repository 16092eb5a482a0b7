/**
 * Which sources a pushing peer owns (protocol.md §10 "Push"): its node_id,
 * `stigmem://{its host}/…`, an approved prefix; nothing else, and no
 * lookalike hosts.
 */
import { describe, expect, it } from "vitest";
import { sourceOwnership } from "../../../src/core/federation/source-ownership.js";

describe("sourceOwnership", () => {
  const owned = sourceOwnership("stigmem:node:1", "https://peer.example:8443/base", ["agent:partner/"]);
  it.each<[string, boolean]>([
    ["stigmem:node:1", true],
    ["stigmem://peer.example/agent/a", true],
    ["stigmem://peer.example/", true],
    ["agent:partner/bot", true],
    ["stigmem://peer.example.evil/agent/a", false],
    ["stigmem://other.example/agent/a", false],
    ["stigmem://peer.example", false],
    ["stigmem:node:2", false],
    ["agent:partner", false],
    ["agent:me", false],
  ])("%s → %s", (source, want) => {
    expect(owned(source)).toBe(want);
  });

  it("reads the host of an IPv6 or upper-case URL as the URL parser canonicalizes it", () => {
    expect(sourceOwnership("n", "http://[::1]:9000", [])("stigmem://::1/agent/x")).toBe(true);
    expect(sourceOwnership("n", "https://PEER.Example", [])("stigmem://peer.example/agent/x")).toBe(true);
  });

  it("owns only its node id when the URL cannot be parsed, and ignores empty prefixes", () => {
    const o = sourceOwnership("n", "not a url", [""]);
    expect([o("n"), o("stigmem:///x"), o("anything")]).toEqual([true, false, false]);
  });
});
