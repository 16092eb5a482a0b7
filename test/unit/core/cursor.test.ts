/** Known answers of the listing cursor (protocol.md §6): its exact bytes, and what it refuses. */
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, filterHash } from "../../../src/core/cursor.js";
import { isCoreError } from "../../../src/core/errors.js";

const fh = filterHash({ entity: "user:alice", scope: null, include_superseded: false });

describe("listing cursors", () => {
  it("hashes filters independently of key order", () => {
    expect(filterHash({ a: 1, b: "x" })).toBe(filterHash({ b: "x", a: 1 }));
    expect(filterHash({ a: 1 })).not.toBe(filterHash({ a: 2 }));
    expect(fh).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });

  it("is base64url of its JSON fields", () => {
    const text = encodeCursor({ order: "desc", wall: 1795268267955, counter: 7, id: "f-1" }, "FH");
    expect(JSON.parse(Buffer.from(text, "base64url").toString())).toEqual({ v: 1, o: "desc", w: 1795268267955, c: 7, id: "f-1", fh: "FH" });
  });

  it("round-trips a position under the same filters", () => {
    const pos = { order: "asc" as const, wall: 1795268267955, counter: 1000, id: "018f" };
    expect(decodeCursor(encodeCursor(pos, fh), fh)).toEqual(pos);
  });

  it.each([
    ["not base64url", "***"],
    ["not JSON", Buffer.from("nope").toString("base64url")],
    ["another version", Buffer.from(JSON.stringify({ v: 2, o: "desc", w: 1, c: 0, id: "x", fh })).toString("base64url")],
    ["a fractional wall", Buffer.from(JSON.stringify({ v: 1, o: "desc", w: 1.5, c: 0, id: "x", fh })).toString("base64url")],
    ["an unknown order", Buffer.from(JSON.stringify({ v: 1, o: "up", w: 1, c: 0, id: "x", fh })).toString("base64url")],
    ["other filters", encodeCursor({ order: "desc", wall: 1, counter: 0, id: "x" }, "other")],
    ["too long", "A".repeat(513)],
  ])("refuses %s", (_what, text) => {
    let thrown: unknown;
    try {
      decodeCursor(text, fh);
    } catch (e) {
      thrown = e;
    }
    expect(isCoreError(thrown) && thrown.code === "invalid_value" && thrown.field === "cursor").toBe(true);
  });
});
