/**
 * @module core/uuid-v7
 *
 * UUID version 7 (RFC 9562 §5.7): 48 bits of Unix milliseconds, then random
 * bits. Ids made in time order sort in time order, so an index on them grows
 * at its end instead of touching a random page per insert, as uuid4 ids do.
 * Used where the protocol leaves the id format open (audit entries, §11).
 */
import { randomFillSync } from "node:crypto";

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/**
 * The UUIDv7 of `ms` (Unix milliseconds, 0 ≤ ms < 2^48) with its random
 * bits from `random[6..15]` (bytes 0–5 are not used; the version and variant
 * bits are set over them).
 *
 * @example
 * // RFC 9562 Appendix A.6
 * uuidV7(0x017f22e279b0, Uint8Array.from([0, 0, 0, 0, 0, 0, 0x0c, 0xc3, 0x18, 0xc4, 0xdc, 0x0c, 0x0c, 0x07, 0x39, 0x8f]));
 * // "017f22e2-79b0-7cc3-98c4-dc0c0c07398f"
 */
export function uuidV7(ms: number, random: Uint8Array): string {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms >= 2 ** 48) throw new RangeError(`timestamp out of range: ${ms}`);
  if (random.length < 16) throw new RangeError("16 bytes needed");
  const b = Uint8Array.from(random);
  // Big-endian milliseconds; the high 16 bits are above 2^32, so divide rather than shift.
  const high = Math.floor(ms / 2 ** 32);
  const low = ms >>> 0;
  b[0] = high >>> 8;
  b[1] = high & 0xff;
  b[2] = low >>> 24;
  b[3] = (low >>> 16) & 0xff;
  b[4] = (low >>> 8) & 0xff;
  b[5] = low & 0xff;
  b[6] = 0x70 | (b[6]! & 0x0f);
  b[8] = 0x80 | (b[8]! & 0x3f);
  let s = "";
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += "-";
    s += HEX[b[i]!];
  }
  return s;
}

const pool = new Uint8Array(16 * 256);
let next = pool.length;

/** A new UUIDv7 for now, its random bits from the system's CSPRNG (drawn 256 ids at a time). */
export function newUuidV7(now: number = Date.now()): string {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  const id = uuidV7(now, pool.subarray(next, next + 16));
  next += 16;
  return id;
}
