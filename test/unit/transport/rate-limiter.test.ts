/**
 * Token buckets per key and per address, with a clock the test moves.
 */
import { describe, expect, it } from "vitest";
import { ANON_TRUSTED, type Principal } from "../../../src/node/principal.js";
import { addressBlock, RateLimiter } from "../../../src/transport/rate-limiter.js";

const key = (id: string): Principal => ({ entityUri: `agent:${id}`, permissions: ["read", "write"], allowedScopes: null, keyId: id });
const off = { perKey: null, perIp: null };

function limiter(write: { perKey: string | null; perIp: string | null }) {
  const clock = { t: 0 };
  const rate = (r: string | null) => (r === null ? null : { burst: Number(r.split("/")[0]), periodMs: 1_000 });
  const l = new RateLimiter({ write: { perKey: rate(write.perKey), perIp: rate(write.perIp) }, read: off, token: off }, () => clock.t);
  return { l, clock };
}

function refusal(fn: () => void): Record<string, unknown> | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return { code: (e as { code: string }).code, ...(e as { details: Record<string, unknown> }).details };
  }
}

describe("RateLimiter", () => {
  it("lets a key burst, refuses the next request with a retry hint, and refills at the rate", () => {
    const { l, clock } = limiter({ perKey: "4/s", perIp: null });
    for (let i = 0; i < 4; i++) l.take("write", key("a"), "10.0.0.1");
    expect(refusal(() => l.take("write", key("a"), "10.0.0.1"))).toEqual({
      code: "quota_exceeded",
      error: "quota_exceeded",
      dimension: "fact_write",
      principal: "agent:a",
      retry_after: 1,
    });
    // Another key, and other dimensions, are not affected.
    l.take("write", key("b"), "10.0.0.1");
    l.take("read", key("a"), "10.0.0.1");
    clock.t += 250; // one token back
    l.take("write", key("a"), "10.0.0.1");
    expect(refusal(() => l.take("write", key("a"), "10.0.0.1"))).toMatchObject({ principal: "agent:a" });
  });

  it("limits an address across keys, and the keyless no-auth caller by address only", () => {
    const { l } = limiter({ perKey: "100/s", perIp: "2/s" });
    l.take("write", key("a"), "10.0.0.1");
    l.take("write", ANON_TRUSTED, "10.0.0.1");
    expect(refusal(() => l.take("write", key("c"), "10.0.0.1"))).toMatchObject({ principal: "ip:10.0.0.1" });
    l.take("write", key("c"), "10.0.0.2");
  });

  it("charges nothing for a refused request", () => {
    const { l, clock } = limiter({ perKey: "1/s", perIp: "2/s" });
    l.take("write", key("a"), "10.0.0.1");
    expect(refusal(() => l.take("write", key("a"), "10.0.0.1"))).toMatchObject({ principal: "agent:a" });
    // The refused request did not spend the address's second token.
    l.take("write", key("b"), "10.0.0.1");
    clock.t += 1_000;
    l.take("write", key("a"), "10.0.0.9");
  });

  it("tells how long until a token is back, in whole seconds", () => {
    const clock = { t: 0 };
    const l = new RateLimiter({ write: off, read: off, token: { perKey: { burst: 2, periodMs: 60_000 }, perIp: null } }, () => clock.t);
    l.take("token", key("a"), "::1");
    l.take("token", key("a"), "::1");
    expect(refusal(() => l.take("token", key("a"), "::1"))).toMatchObject({ retry_after: 30 });
    clock.t += 29_500;
    expect(refusal(() => l.take("token", key("a"), "::1"))).toMatchObject({ retry_after: 1 });
  });

  it.each([
    ["127.0.0.1", "127.0.0.1"],
    ["::ffff:10.1.2.3", "10.1.2.3"],
    ["2001:db8:0:1:2:3:4:5", "2001:db8:0:1::/64"],
    ["2001:db8::1", "2001:db8:0:0::/64"],
    ["::1", "0:0:0:0::/64"],
    ["2001:0db8:00a0::", "2001:db8:a0:0::/64"],
  ])("limits %s as %s", (ip, block) => {
    expect(addressBlock(ip)).toBe(block);
  });
});
