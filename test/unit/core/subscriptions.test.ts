/**
 * Known answers of the pure subscription rules (src/core/subscriptions/):
 * the retry schedule, the webhook signature (checked against an HMAC
 * computed independently with Python's hmac module), which webhook URLs are
 * accepted, and which watch cursors resume.
 */
import { describe, expect, it } from "vitest";
import { CIRCUIT_THRESHOLD, retryDelayS } from "../../../src/core/subscriptions/delivery-policy.js";
import { encodeWatchCursor, resumeWatch } from "../../../src/core/subscriptions/watch-cursor.js";
import { checkWebhookUrl } from "../../../src/core/subscriptions/webhook-url.js";
import { generateWebhookSecret, signWebhook } from "../../../src/core/subscriptions/webhook-signature.js";

const EPOCH = "0b8f6c1e-3d2a-4f5b-9c7d-1e2f3a4b5c6d";

describe("retryDelayS", () => {
  it("doubles from 2 s and stops at 300 s", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 50].map(retryDelayS)).toEqual([2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
    expect(CIRCUIT_THRESHOLD).toBe(10);
    expect(() => retryDelayS(0)).toThrow(RangeError);
  });
});

describe("signWebhook", () => {
  it("is HMAC-SHA256 over `<timestamp>.<body>` (known answer from Python's hmac)", () => {
    expect(signWebhook("whsec_test", 1767225600, '{"a":1}')).toBe("sha256=6d204545ff126a339c00513d93603299c984074ce1331c3537c3f6c976b49019");
    expect(signWebhook("whsec_test", 1767225601, '{"a":1}')).not.toBe(signWebhook("whsec_test", 1767225600, '{"a":1}'));
  });

  it("generates distinct whsec_ secrets of 32 random bytes", () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(generateWebhookSecret()).not.toBe(a);
  });
});

describe("checkWebhookUrl", () => {
  const ok = (u: string, allowPlainHttp = false) => checkWebhookUrl(u, { allowPlainHttp });
  it("accepts https and, when allowed, http, with the port to connect to", () => {
    expect(ok("https://hooks.example/in?x=1")).toEqual({
      ok: true,
      value: { text: "https://hooks.example/in?x=1", protocol: "https:", hostname: "hooks.example", port: 443, path: "/in?x=1" },
    });
    const v6 = ok("http://[::1]:8080/h", true);
    expect(v6.ok && [v6.value.hostname, v6.value.port]).toEqual(["::1", 8080]);
  });

  it("refuses other schemes, plain http unless allowed, credentials, fragments and non-URLs", () => {
    const code = (u: string, allow = false) => {
      const r = ok(u, allow);
      return r.ok ? "ok" : r.code;
    };
    expect(code("http://hooks.example/in")).toBe("url_scheme");
    expect(code("ftp://hooks.example/in", true)).toBe("url_scheme");
    expect(code("https://user:pw@hooks.example/in")).toBe("url_invalid");
    expect(code("https://hooks.example/in#x")).toBe("url_invalid");
    expect(code("/relative")).toBe("url_invalid");
    expect(code("https://hooks.example/a b")).toBe("url_invalid");
    expect(code(`https://hooks.example/${"a".repeat(2100)}`)).toBe("url_invalid");
  });
});

describe("resumeWatch", () => {
  const filter = { scope: "company", relationPrefix: "memory:" };
  const cursor = encodeWatchCursor({ epoch: EPOCH, position: 42, filter });
  it("resumes after the cursor's position for the same filters, epoch and a log that reached it", () => {
    expect(resumeWatch(cursor, { epoch: EPOCH, head: 42, filter })).toEqual({ ok: true, value: 42 });
  });

  it("refuses other filters, another epoch, a position past the head and garbage", () => {
    const code = (text: string, log: Parameters<typeof resumeWatch>[1]) => {
      const r = resumeWatch(text, log);
      return r.ok ? "ok" : r.message;
    };
    expect(code(cursor, { epoch: EPOCH, head: 50, filter: { scope: "company" } })).toMatch(/other filters/);
    expect(code(cursor, { epoch: EPOCH, head: 50, filter: { scope: "company", relation: "memory:" } })).toMatch(/other filters/);
    expect(code(cursor, { epoch: "1b8f6c1e-3d2a-4f5b-9c7d-1e2f3a4b5c6d", head: 50, filter })).toMatch(/another log/);
    expect(code(cursor, { epoch: EPOCH, head: 41, filter })).toMatch(/another log/);
    expect(code("nope", { epoch: EPOCH, head: 50, filter })).not.toBe("ok");
  });
});
