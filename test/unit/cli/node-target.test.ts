/**
 * How a client command picks its node (flag, then STIGMEM_* variable, then
 * the default) and types a value from the command line; every mistake is a
 * usage error naming the flag or variable, before anything is sent.
 */
import { describe, expect, it } from "vitest";
import { resolveTarget } from "../../../src/cli/node-client.js";
import { parseValue } from "../../../src/cli/value-argument.js";

describe("resolveTarget", () => {
  it.each([
    [{}, {}, { baseUrl: "http://127.0.0.1:8765", apiKey: undefined, transport: "rest" }],
    [{}, { STIGMEM_URL: "https://mem.example/", STIGMEM_API_KEY: "k", STIGMEM_TRANSPORT: "grpc" }, { baseUrl: "https://mem.example", apiKey: "k", transport: "grpc" }],
    [{ url: "http://a:1", key: "flag", transport: "connect" as const }, { STIGMEM_URL: "http://b:2", STIGMEM_API_KEY: "env" }, { baseUrl: "http://a:1", apiKey: "flag", transport: "connect" }],
    [{}, { STIGMEM_URL: "", STIGMEM_API_KEY: "", STIGMEM_TRANSPORT: "" }, { baseUrl: "http://127.0.0.1:8765", apiKey: undefined, transport: "rest" }],
  ])("%j with %j", (opts, env, want) => {
    expect(resolveTarget(opts, env)).toEqual(want);
  });

  it.each([
    [{ url: "localhost:8765" }, {}, /^--url: must be an http or https URL/],
    [{ url: "not a url" }, {}, /^--url: not a URL: "not a url"/],
    [{}, { STIGMEM_URL: "ftp://x" }, /^STIGMEM_URL: must be an http or https URL/],
    [{}, { STIGMEM_TRANSPORT: "carrier-pigeon" }, /^STIGMEM_TRANSPORT: must be one of rest, connect, grpc, grpc-web/],
  ])("refuses %j with %j", (opts, env, message) => {
    expect(() => resolveTarget(opts, env)).toThrow(message);
  });
});

describe("parseValue", () => {
  it.each([
    ["string", "staff engineer", { type: "string", v: "staff engineer" }],
    ["ref", "project:atlas", { type: "ref", v: "project:atlas" }],
    ["number", "-4.25e2", { type: "number", v: -425 }],
    ["boolean", "false", { type: "boolean", v: false }],
    ["null", undefined, { type: "null" }],
  ] as const)("--type %s %j", (type, raw, want) => {
    expect(parseValue("facts assert", type, raw)).toEqual(want);
  });

  it.each([
    ["number", "12abc", /^facts assert: value: "12abc" is not a number$/],
    ["number", " ", /is not a number/],
    ["boolean", "yes", /^facts assert: value: a boolean is true or false \(got "yes"\)$/],
    ["null", "x", /a null value takes no argument/],
    ["text", undefined, /^facts assert: value: is required for --type text$/],
  ] as const)("refuses --type %s %j", (type, raw, message) => {
    expect(() => parseValue("facts assert", type, raw)).toThrow(message);
  });
});
