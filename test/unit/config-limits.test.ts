/**
 * The limit variables (config-limits.ts): defaults, every variable read,
 * rates in their three spellings, and one-line errors naming the variable.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { parseRate } from "../../src/config-limits.js";

describe("limit variables", () => {
  it("default to bounded timeouts, shedding on, and rate limits on credential issue only", () => {
    expect(loadConfig({}, {}, "/srv").limits).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 60_000,
      idleTimeoutMs: 72_000,
      maxConnections: 1_024,
      maxInFlight: 64,
      maxQueued: 512,
      queueTimeoutMs: 5_000,
      rateLimits: {
        write: { perKey: null, perIp: null },
        read: { perKey: null, perIp: null },
        token: { perKey: { burst: 60, periodMs: 60_000 }, perIp: { burst: 60, periodMs: 60_000 } },
      },
    });
  });

  it("reads every documented variable", () => {
    const limits = loadConfig(
      {
        STIGMEM_HEADERS_TIMEOUT_MS: "2000",
        STIGMEM_REQUEST_TIMEOUT_MS: "3000",
        STIGMEM_IDLE_TIMEOUT_MS: "4000",
        STIGMEM_MAX_CONNECTIONS: "5",
        STIGMEM_MAX_IN_FLIGHT: "6",
        STIGMEM_MAX_QUEUED: "0",
        STIGMEM_QUEUE_TIMEOUT_MS: "8",
        STIGMEM_RATE_LIMIT_WRITE: "100/s",
        STIGMEM_RATE_LIMIT_WRITE_PER_IP: "200/s",
        STIGMEM_RATE_LIMIT_READ: "600/min",
        STIGMEM_RATE_LIMIT_READ_PER_IP: "1000/h",
        STIGMEM_RATE_LIMIT_TOKEN: "off",
        STIGMEM_RATE_LIMIT_TOKEN_PER_IP: "0",
      },
      {},
      "/",
    ).limits;
    expect(limits).toEqual({
      headersTimeoutMs: 2_000,
      requestTimeoutMs: 3_000,
      idleTimeoutMs: 4_000,
      maxConnections: 5,
      maxInFlight: 6,
      maxQueued: 0,
      queueTimeoutMs: 8,
      rateLimits: {
        write: { perKey: { burst: 100, periodMs: 1_000 }, perIp: { burst: 200, periodMs: 1_000 } },
        read: { perKey: { burst: 600, periodMs: 60_000 }, perIp: { burst: 1_000, periodMs: 3_600_000 } },
        token: { perKey: null, perIp: null },
      },
    });
  });

  it.each([
    ["10/s", { burst: 10, periodMs: 1_000 }],
    ["10 / second", { burst: 10, periodMs: 1_000 }],
    ["5/m", { burst: 5, periodMs: 60_000 }],
    ["5/MINUTE", { burst: 5, periodMs: 60_000 }],
    ["7/hour", { burst: 7, periodMs: 3_600_000 }],
    ["off", null],
    ["", null],
  ])("parses the rate %j", (text, rate) => {
    expect(parseRate("X", text)).toEqual(rate);
  });

  it.each([
    ["STIGMEM_HEADERS_TIMEOUT_MS", "ten"],
    ["STIGMEM_HEADERS_TIMEOUT_MS", "50"],
    ["STIGMEM_MAX_CONNECTIONS", "0"],
    ["STIGMEM_MAX_IN_FLIGHT", "-1"],
    ["STIGMEM_QUEUE_TIMEOUT_MS", "1.5"],
    ["STIGMEM_RATE_LIMIT_WRITE", "100"],
    ["STIGMEM_RATE_LIMIT_READ_PER_IP", "100/day"],
    ["STIGMEM_RATE_LIMIT_TOKEN", "0/s"],
  ])("refuses %s=%j naming the variable", (name, value) => {
    expect(() => loadConfig({ [name]: value }, {}, "/")).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value }, {}, "/")).toThrow(new RegExp(`^${name}: `));
  });

  it("refuses a request timeout below the headers timeout", () => {
    expect(() => loadConfig({ STIGMEM_HEADERS_TIMEOUT_MS: "5000", STIGMEM_REQUEST_TIMEOUT_MS: "4000" }, {}, "/")).toThrow(
      /^STIGMEM_REQUEST_TIMEOUT_MS: must not be below/,
    );
  });
});
