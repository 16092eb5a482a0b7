import { describe, expect, it } from "vitest";
import { decodeBase64url, encodeBase64url } from "../../../src/core/federation/base64url.js";

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe("base64url", () => {
  it.each([
    [bytes(), ""],
    [bytes(0), "AA"],
    [bytes(0xfb, 0xff), "-_8"],
    [bytes(1, 2, 3), "AQID"],
  ])("encodes %j as %j without padding and decodes it back", (raw, text) => {
    expect(encodeBase64url(raw)).toBe(text);
    expect(decodeBase64url(text)).toEqual(raw);
  });

  it.each([
    ["AA==", bytes(0)],
    ["-_8=", bytes(0xfb, 0xff)],
    ["AQID", bytes(1, 2, 3)],
  ])("accepts complete padding %j when allowed", (text, raw) => {
    expect(decodeBase64url(text, { allowPadding: true })).toEqual(raw);
  });

  it.each([
    ["AA==", {}],
    ["AA=", { allowPadding: true }],
    ["A", {}],
    ["AB", {}], // non-zero trailing bits: "AA" is the only encoding of 0x00
    ["A+/B", {}], // the standard alphabet, not base64url
    ["AA AA", {}],
    ["AA\n", {}],
    ["=AA=", { allowPadding: true }],
    ["AA===", { allowPadding: true }],
  ])("refuses %j (%j)", (text, opts) => {
    expect(decodeBase64url(text, opts)).toBeUndefined();
  });
});
