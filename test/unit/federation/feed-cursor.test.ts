/**
 * The opaque feed cursor: known answers (computed independently with
 * Python's struct and hashlib), typed decode errors, and the resume rules
 * of §10 (another epoch → must_refetch, another scope set → from the start).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeFeedCursor,
  encodeFeedCursor,
  resumeFeed,
  scopeSetHash,
} from "../../../src/core/federation/feed-cursor.js";
import { fcParams } from "../core/fc-params.js";

const EPOCH = "0192f5c4-7d2a-7b31-9c4e-5f6a7b8c9d0e";
const OTHER_EPOCH = "0192f5c4-7d2a-7b31-9c4e-5f6a7b8c9d0f";

describe("known answers", () => {
  it.each<[number, string[], string, string]>([
    [0, ["public"], "efa1f375d76194fa", "AQGS9cR9KnsxnE5fanuMnQ4AAAAAAAAAAO-h83XXYZT6"],
    [12345, ["public", "company"], "38173c2b2d6b95ca", "AQGS9cR9KnsxnE5fanuMnQ4AAAAAAAAwOTgXPCsta5XK"],
    [Number.MAX_SAFE_INTEGER, [], "e3b0c44298fc1c14", "AQGS9cR9KnsxnE5fanuMnQ4AH________-OwxEKY_BwU"],
  ])("position %d, scopes %j", (position, scopes, hash, text) => {
    expect(scopeSetHash(scopes)).toBe(hash);
    expect(encodeFeedCursor({ epoch: EPOCH, position, scopes })).toBe(text);
    expect(decodeFeedCursor(text)).toEqual({ ok: true, value: { epoch: EPOCH, position, scopeHash: hash } });
  });

  it("hashes a scope set regardless of order and repeats", () => {
    expect(scopeSetHash(["public", "company", "public"])).toBe(scopeSetHash(["company", "public"]));
    expect(scopeSetHash(["public"])).not.toBe(scopeSetHash(["company", "public"]));
  });

  it("round-trips any epoch, position and scope set", () => {
    fc.assert(
      fc.property(fc.uuid(), fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.subarray(["team", "company", "public"]), (epoch, position, scopes) => {
        const d = decodeFeedCursor(encodeFeedCursor({ epoch, position, scopes }));
        expect(d).toEqual({ ok: true, value: { epoch, position, scopeHash: scopeSetHash(scopes) } });
      }),
      fcParams,
    );
  });
});

describe("decoding errors are typed", () => {
  const good = encodeFeedCursor({ epoch: EPOCH, position: 7, scopes: ["public"] });
  const bytes = Buffer.from(good, "base64url");
  const variant = (f: (b: Buffer) => void): string => {
    const b = Buffer.from(bytes);
    f(b);
    return b.toString("base64url");
  };
  it.each([
    ["empty", ""],
    ["not base64url", `${good.slice(0, -1)}+`],
    ["padded", `${good}=`],
    ["truncated", good.slice(0, -4)],
    ["extended", `${good}AAAA`],
    ["another version", variant((b) => b.writeUInt8(2, 0))],
    ["position beyond 2^53", variant((b) => b.writeBigUInt64BE(2n ** 53n, 17))],
    ["an HLC (the old cursor)", "1795268267955.007"],
    ["huge", "A".repeat(10_000)],
  ])("%s → invalid_cursor", (_name, text) => {
    const r = decodeFeedCursor(text);
    expect(r.ok ? "ok" : [r.code, r.field]).toEqual(["invalid_cursor", "cursor"]);
  });

  it("refuses to issue a cursor it could not decode", () => {
    expect(() => encodeFeedCursor({ epoch: "not-a-uuid", position: 0, scopes: [] })).toThrow(RangeError);
    expect(() => encodeFeedCursor({ epoch: EPOCH.toUpperCase(), position: 0, scopes: [] })).toThrow(RangeError);
    expect(() => encodeFeedCursor({ epoch: EPOCH, position: -1, scopes: [] })).toThrow(RangeError);
    expect(() => encodeFeedCursor({ epoch: EPOCH, position: 1.5, scopes: [] })).toThrow(RangeError);
  });
});

describe("resumeFeed", () => {
  const log = { epoch: EPOCH, scopes: ["company", "public"], head: 100 };
  const at = (position: number, scopes = log.scopes, epoch = EPOCH): string => encodeFeedCursor({ epoch, position, scopes });
  it.each<[string, string | null | undefined, unknown]>([
    ["no cursor", undefined, { kind: "after", after: 0, restarted: false }],
    ["null cursor", null, { kind: "after", after: 0, restarted: false }],
    ["empty cursor", "", { kind: "after", after: 0, restarted: false }],
    ["same epoch and scopes", at(42), { kind: "after", after: 42, restarted: false }],
    ["same scopes in another order", at(42, ["public", "company"]), { kind: "after", after: 42, restarted: false }],
    ["at the head", at(100), { kind: "after", after: 100, restarted: false }],
    ["scope set changed", at(42, ["public"]), { kind: "after", after: 0, restarted: true }],
    ["another epoch", at(42, log.scopes, OTHER_EPOCH), { kind: "must_refetch" }],
    ["past the head (log lost rows)", at(101), { kind: "must_refetch" }],
  ])("%s", (_name, text, want) => {
    expect(resumeFeed(text, log)).toEqual({ ok: true, value: want });
  });

  it("reports a malformed cursor as invalid_cursor", () => {
    const r = resumeFeed("garbage!", log);
    expect(r.ok ? "ok" : r.code).toBe("invalid_cursor");
  });

  it("skips the head check when the head is not given", () => {
    expect(resumeFeed(at(10_000), { epoch: EPOCH, scopes: log.scopes })).toEqual({
      ok: true,
      value: { kind: "after", after: 10_000, restarted: false },
    });
  });
});
