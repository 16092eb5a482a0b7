import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, isLoopbackHost, loadConfig } from "../../src/config.js";

describe("loadConfig", () => {
  it("has safe defaults: loopback, 8765, ./stigmem-data, auth on, federation off", () => {
    const c = loadConfig({}, {}, "/srv");
    expect(c).toMatchObject({
      host: "127.0.0.1",
      port: 8765,
      dataDir: "/srv/stigmem-data",
      dbPath: path.join("/srv/stigmem-data", "stigmem.db"),
      nodeUrl: undefined,
      authRequired: true,
      federationEnabled: false,
      logLevel: "info",
    });
  });

  it("lets flags override variables", () => {
    const c = loadConfig({ STIGMEM_PORT: "9000", STIGMEM_HOST: "0.0.0.0" }, { port: "9001" }, "/srv");
    expect(c.port).toBe(9001);
    expect(c.host).toBe("0.0.0.0");
  });

  it("reads every documented variable", () => {
    const c = loadConfig(
      {
        STIGMEM_HOST: "::1",
        STIGMEM_PORT: "0",
        STIGMEM_DATA_DIR: "/d",
        STIGMEM_DB_PATH: "x.db",
        STIGMEM_NODE_URL: "https://node.example/",
        STIGMEM_NODE_ID: "stigmem:node:0b9f7a8e-2f4c-4c1e-9a55-0d7e3f1a2b3c",
        STIGMEM_AUTH_REQUIRED: "true",
        STIGMEM_FEDERATION_ENABLED: "yes",
        STIGMEM_LOG_LEVEL: "DEBUG",
      },
      {},
      "/",
    );
    expect(c).toMatchObject({
      host: "::1",
      port: 0,
      dataDir: "/d",
      dbPath: "/d/x.db",
      nodeUrl: "https://node.example",
      nodeId: "stigmem:node:0b9f7a8e-2f4c-4c1e-9a55-0d7e3f1a2b3c",
      federationEnabled: true,
      logLevel: "debug",
    });
  });

  it.each([
    [{ STIGMEM_PORT: "-1" }, "STIGMEM_PORT"],
    [{ STIGMEM_PORT: "65536" }, "STIGMEM_PORT"],
    [{ STIGMEM_PORT: "80a" }, "STIGMEM_PORT"],
    [{ STIGMEM_HOST: "  " }, "STIGMEM_HOST"],
    [{ STIGMEM_NODE_URL: "not a url" }, "STIGMEM_NODE_URL"],
    [{ STIGMEM_NODE_ID: "node-1" }, "STIGMEM_NODE_ID"],
    [{ STIGMEM_AUTH_REQUIRED: "nope" }, "STIGMEM_AUTH_REQUIRED"],
    [{ STIGMEM_FEDERATION_ENABLED: "2" }, "STIGMEM_FEDERATION_ENABLED"],
    [{ STIGMEM_LOG_LEVEL: "verbose" }, "STIGMEM_LOG_LEVEL"],
    [{ STIGMEM_AUTH_REQUIRED: "false", STIGMEM_HOST: "10.0.0.5" }, "STIGMEM_AUTH_REQUIRED"],
    [{ STIGMEM_AUTH_REQUIRED: "false", STIGMEM_NODE_URL: "http://node.example" }, "STIGMEM_AUTH_REQUIRED"],
  ])("rejects %j naming %s", (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (e) {
      expect((e as ConfigError).variable).toBe(variable);
      expect((e as ConfigError).message.startsWith(`${variable}: `)).toBe(true);
    }
  });

  it("names the flag, not the variable, when the flag is wrong", () => {
    expect(() => loadConfig({}, { port: "x" })).toThrow(/^--port: /);
  });

  it("allows no-auth mode on loopback only", () => {
    expect(loadConfig({ STIGMEM_AUTH_REQUIRED: "false" }).authRequired).toBe(false);
    expect(loadConfig({ STIGMEM_AUTH_REQUIRED: "0", STIGMEM_HOST: "localhost" }).authRequired).toBe(false);
  });
});

describe("isLoopbackHost", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.1.2.3", true],
    ["localhost", true],
    ["::1", true],
    ["[::1]", true],
    ["::ffff:127.0.0.1", true],
    ["0.0.0.0", false],
    ["::", false],
    ["10.0.0.1", false],
    ["example.com", false],
  ])("%s → %s", (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe("embedding configuration", () => {
  it("defaults to the offline embedder with its cache in the data dir", () => {
    const c = loadConfig({}, {}, "/srv");
    expect(c).toMatchObject({
      embedder: "offline",
      embedUrl: "https://api.openai.com/v1",
      embedModel: undefined,
      embedDims: undefined,
      embedApiKey: undefined,
      embedCacheDir: path.join("/srv/stigmem-data", "embeddings"),
    });
  });

  it("reads the openai variables", () => {
    const c = loadConfig(
      {
        STIGMEM_EMBEDDER: "OpenAI",
        STIGMEM_EMBED_URL: "http://127.0.0.1:11434/v1/",
        STIGMEM_EMBED_MODEL: " nomic-embed-text ",
        STIGMEM_EMBED_DIMS: "768",
        STIGMEM_EMBED_API_KEY: "sk-abc",
        STIGMEM_EMBED_CACHE_DIR: "cache",
      },
      {},
      "/srv",
    );
    expect(c).toMatchObject({
      embedder: "openai",
      embedUrl: "http://127.0.0.1:11434/v1",
      embedModel: "nomic-embed-text",
      embedDims: 768,
      embedApiKey: "sk-abc",
      embedCacheDir: "/srv/cache",
    });
    expect(loadConfig({ STIGMEM_EMBEDDER: "none" }).embedder).toBe("none");
  });

  it.each([
    [{ STIGMEM_EMBEDDER: "bert" }, "STIGMEM_EMBEDDER"],
    [{ STIGMEM_EMBEDDER: "openai" }, "STIGMEM_EMBED_MODEL"],
    [{ STIGMEM_EMBED_URL: "ftp://x" }, "STIGMEM_EMBED_URL"],
    [{ STIGMEM_EMBED_URL: "nope" }, "STIGMEM_EMBED_URL"],
    [{ STIGMEM_EMBED_DIMS: "4" }, "STIGMEM_EMBED_DIMS"],
    [{ STIGMEM_EMBED_DIMS: "1e3" }, "STIGMEM_EMBED_DIMS"],
    [{ STIGMEM_EMBED_API_KEY: "has space" }, "STIGMEM_EMBED_API_KEY"],
  ])("rejects %j naming %s", (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (e) {
      expect((e as ConfigError).variable).toBe(variable);
      expect((e as Error).message).not.toContain("has space");
    }
  });
});

describe("federation configuration", () => {
  it("is off, private addresses refused, team and push off, skew bounds of protocol.md §5, by default", () => {
    expect(loadConfig({}, {}, "/srv")).toMatchObject({
      federationEnabled: false,
      federationAllowPrivate: false,
      federationAllowTeam: false,
      federationPush: false,
      federationMaxFutureSkewMs: 300_000,
      federationMaxPastSkewMs: 2_592_000_000,
      federationKeySeed: undefined,
      federationStreamTokenTtlMs: 3_600_000,
    });
  });

  it("reads every federation variable", () => {
    const seed = Buffer.alloc(32, 7).toString("base64url");
    const c = loadConfig({
      STIGMEM_FEDERATION_ALLOW_PRIVATE: "true",
      STIGMEM_FEDERATION_ALLOW_TEAM: "yes",
      STIGMEM_FEDERATION_PUSH: "1",
      STIGMEM_FEDERATION_HLC_MAX_FUTURE_SKEW_S: "60",
      STIGMEM_FEDERATION_HLC_MAX_PAST_SKEW_S: "86400",
      STIGMEM_FEDERATION_KEY: seed,
      STIGMEM_FEDERATION_STREAM_TOKEN_TTL_S: "30",
    });
    expect(c).toMatchObject({
      federationAllowPrivate: true,
      federationAllowTeam: true,
      federationPush: true,
      federationMaxFutureSkewMs: 60_000,
      federationMaxPastSkewMs: 86_400_000,
      federationKeySeed: seed,
      federationStreamTokenTtlMs: 30_000,
    });
  });

  it.each([
    [{ STIGMEM_FEDERATION_PUSH: "maybe" }, "STIGMEM_FEDERATION_PUSH"],
    [{ STIGMEM_FEDERATION_HLC_MAX_FUTURE_SKEW_S: "0" }, "STIGMEM_FEDERATION_HLC_MAX_FUTURE_SKEW_S"],
    [{ STIGMEM_FEDERATION_HLC_MAX_PAST_SKEW_S: "1.5" }, "STIGMEM_FEDERATION_HLC_MAX_PAST_SKEW_S"],
    [{ STIGMEM_FEDERATION_STREAM_TOKEN_TTL_S: "7200" }, "STIGMEM_FEDERATION_STREAM_TOKEN_TTL_S"],
    [{ STIGMEM_FEDERATION_KEY: "c2VjcmV0LXNlZWQ" }, "STIGMEM_FEDERATION_KEY"],
  ])("rejects %j naming %s, never echoing a key", (env, variable) => {
    try {
      loadConfig(env);
      expect.unreachable();
    } catch (e) {
      expect((e as ConfigError).variable).toBe(variable);
      expect((e as Error).message).not.toContain("c2VjcmV0LXNlZWQ");
    }
  });
});
