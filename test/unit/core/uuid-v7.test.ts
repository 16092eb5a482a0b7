import { describe, expect, it } from "vitest";
import { newUuidV7, uuidV7 } from "../../../src/core/uuid-v7.js";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("uuidV7", () => {
  it("matches the RFC 9562 example", () => {
    const random = Uint8Array.from([0, 0, 0, 0, 0, 0, 0x0c, 0xc3, 0x18, 0xc4, 0xdc, 0x0c, 0x0c, 0x07, 0x39, 0x8f]);
    expect(uuidV7(0x017f22e279b0, random)).toBe("017f22e2-79b0-7cc3-98c4-dc0c0c07398f");
  });

  it("sets the version and variant over any random bits, and writes all 48 time bits", () => {
    expect(uuidV7(2 ** 48 - 1, new Uint8Array(16).fill(0xff))).toBe("ffffffff-ffff-7fff-bfff-ffffffffffff");
    expect(uuidV7(0, new Uint8Array(16))).toBe("00000000-0000-7000-8000-000000000000");
  });

  it("refuses a timestamp outside 48 bits and too few random bytes", () => {
    expect(() => uuidV7(-1, new Uint8Array(16))).toThrow(RangeError);
    expect(() => uuidV7(2 ** 48, new Uint8Array(16))).toThrow(RangeError);
    expect(() => uuidV7(1.5, new Uint8Array(16))).toThrow(RangeError);
    expect(() => uuidV7(1, new Uint8Array(15))).toThrow(RangeError);
  });
});

describe("newUuidV7", () => {
  it("makes distinct, well-formed ids that sort in time order", () => {
    const ids = Array.from({ length: 1000 }, (_, i) => newUuidV7(1_700_000_000_000 + Math.floor(i / 10)));
    for (const id of ids) expect(id).toMatch(UUID_V7);
    expect(new Set(ids).size).toBe(ids.length);
    // Ids of later milliseconds sort after those of earlier ones.
    for (let i = 10; i < ids.length; i += 10) expect(ids[i - 1]! < ids[i]!).toBe(true);
  });
});
