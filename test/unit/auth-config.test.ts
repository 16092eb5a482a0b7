/**
 * STIGMEM_BOOTSTRAP_KEY is validated like any key a caller supplies, and a
 * bad value is reported by variable name without echoing the secret.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";

describe("STIGMEM_BOOTSTRAP_KEY", () => {
  it("is unset by default and kept verbatim when valid", () => {
    expect(loadConfig({}).bootstrapKey).toBeUndefined();
    const key = `seed-${"x".repeat(40)}`;
    expect(loadConfig({ STIGMEM_BOOTSTRAP_KEY: key }).bootstrapKey).toBe(key);
  });

  it.each([
    ["31 characters", "s".repeat(31), /must be 32-256 characters \(got 31\)/],
    ["257 characters", "s".repeat(257), /must be 32-256 characters \(got 257\)/],
    ["a space", `${"s".repeat(20)} ${"t".repeat(20)}`, /visible ASCII/],
  ])("refuses a key of %s, naming the variable but not the value", (_label, value, message) => {
    let error: unknown;
    try {
      loadConfig({ STIGMEM_BOOTSTRAP_KEY: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe("STIGMEM_BOOTSTRAP_KEY");
    expect((error as ConfigError).message).toMatch(message);
    expect((error as ConfigError).message).not.toContain(value);
  });
});
