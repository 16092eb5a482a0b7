/**
 * Node configuration: `STIGMEM_*` environment variables overlaid by CLI flags,
 * parsed and validated once at start-up. Everything else reads the frozen
 * {@link Config}; nothing below this file looks at `process.env`.
 *
 * @module
 */
import path from "node:path";
import { LimitError, parseServerLimits, type ServerLimits } from "./config-limits.js";
import { decodeBase64url } from "./core/federation/base64url.js";
import { ED25519_SEED_BYTES } from "./core/federation/ed25519.js";
import { DEFAULT_MAX_FUTURE_SKEW_MS, DEFAULT_MAX_PAST_SKEW_MS } from "./core/limits.js";
import { FUSION_METHODS, type FusionMethod } from "./core/recall/scoring.js";
import { DEFAULT_BUSY_TIMEOUT_MS } from "./store/database.js";
import { DEFAULT_CACHED_ROWS, MAX_CACHED_ROWS } from "./store/view-row-cache.js";

/** Log levels pino understands, plus `silent`. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The validated, immutable configuration of one node process. */
export interface Config {
  /** Interface to bind; loopback by default so a fresh node is never exposed by accident. */
  readonly host: string;
  /** TCP port; 0 asks the OS for a free one (tests). */
  readonly port: number;
  /** Folder for the database, keys and caches. */
  readonly dataDir: string;
  /** SQLite database file. */
  readonly dbPath: string;
  /**
   * How long a write waits for another connection's lock (a CLI, a backup)
   * before the request fails with 503 `unavailable` and `Retry-After`.
   */
  readonly dbBusyTimeoutMs: number;
  /** Public URL of this node as peers and clients see it; derived from host and port when unset. */
  readonly nodeUrl: string | undefined;
  /** Fixed node id (`stigmem:node:<uuid>`); generated once and persisted when unset. */
  readonly nodeId: string | undefined;
  /** Whether every /v1 route needs a bearer key. */
  readonly authRequired: boolean;
  /** Whether the federation routes and services are served. */
  readonly federationEnabled: boolean;
  /**
   * Let the handshake's discovery fetch reach loopback, private and
   * link-local addresses, and accept `http:` peer URLs on them
   * (`STIGMEM_FEDERATION_ALLOW_PRIVATE`; tests, demos, private networks).
   */
  readonly federationAllowPrivate: boolean;
  /**
   * Let webhook subscriptions deliver to loopback, private and link-local
   * addresses, and over plain http (`STIGMEM_WEBHOOK_ALLOW_PRIVATE`; tests,
   * private networks). Otherwise such targets are refused at creation and
   * at every delivery (SSRF guard).
   */
  readonly webhookAllowPrivate: boolean;
  /** Replicate `team` facts with peers that declare it (`STIGMEM_FEDERATION_ALLOW_TEAM`, protocol.md §2). */
  readonly federationAllowTeam: boolean;
  /** Accept facts pushed by peers (`STIGMEM_FEDERATION_PUSH`); off: push answers 405 `push_disabled`. */
  readonly federationPush: boolean;
  /** How far ahead of our clock an incoming HLC may be (protocol.md §5), in ms. */
  readonly federationMaxFutureSkewMs: number;
  /** How far behind our clock a PUSHED HLC may be (§5, §13.3: push only), in ms. */
  readonly federationMaxPastSkewMs: number;
  /**
   * The node's Ed25519 federation key as a base64url 32-byte seed
   * (`STIGMEM_FEDERATION_KEY`); unset, the key lives in `<data dir>/federation.key`.
   * A secret: never logged or echoed.
   */
  readonly federationKeySeed: string | undefined;
  /** Lifetime of the token a puller opens a PullFacts stream with; the stream ends when it expires (§10). */
  readonly federationStreamTokenTtlMs: number;
  /**
   * Secret of the bootstrap admin key to register when auth is required and
   * no usable key exists (protocol.md §8); a key is generated when unset.
   */
  readonly bootstrapKey: string | undefined;
  readonly logLevel: LogLevel;
  /** Half-life of recall's recency signal, in days (protocol.md §9): a fact this old scores 0.5. */
  readonly recallHalfLifeDays: number;
  /** Most rows recall keeps in memory (store/view-row-cache.ts); 0 keeps none. */
  readonly recallCacheRows: number;
  /** How recall fuses its signals: normalized weighted sum (§9 default) or weighted reciprocal-rank fusion. */
  readonly recallFusion: RecallFusion;
  /** Embedding provider for recall's semantic channel: offline word vectors, an OpenAI-compatible server, or none. */
  readonly embedder: EmbedderKind;
  /** Base URL of the OpenAI-compatible `/v1/embeddings` server (`STIGMEM_EMBED_URL`). */
  readonly embedUrl: string;
  /** Model name sent to the embeddings server; required for `openai`. */
  readonly embedModel: string | undefined;
  /** Vector length asked of the server (`dimensions`); the server's own when unset. */
  readonly embedDims: number | undefined;
  /** Bearer key for the embeddings server. A secret: never logged or echoed. */
  readonly embedApiKey: string | undefined;
  /** Folder for the derived offline vocabulary (`STIGMEM_EMBED_CACHE_DIR`), `<data dir>/embeddings` by default. */
  readonly embedCacheDir: string;
  /**
   * Base URL of an OTLP/HTTP collector (`…:4318`); traces are exported to
   * `<url>/v1/traces`. Unset, no span leaves the process.
   */
  readonly otlpEndpoint: string | undefined;
  /** Timeouts, connection cap, load shedding and rate limits (config-limits.ts). */
  readonly limits: ServerLimits;
}

/** Embedding providers (`STIGMEM_EMBEDDER`). */
export const EMBEDDER_KINDS = ["offline", "openai", "none"] as const;
export type EmbedderKind = (typeof EMBEDDER_KINDS)[number];

/** Where `STIGMEM_EMBEDDER=openai` sends requests when `STIGMEM_EMBED_URL` is unset. */
export const DEFAULT_EMBED_URL = "https://api.openai.com/v1";

/** Recall fusion methods (`STIGMEM_RECALL_FUSION`). */
export const RECALL_FUSIONS = FUSION_METHODS;
export type RecallFusion = FusionMethod;

/**
 * A configuration value that cannot be used. `variable` names the environment
 * variable or flag so the CLI can print one line that points at the culprit.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

/** Values given on the command line; each overrides its environment variable. */
export interface ConfigFlags {
  host?: string;
  port?: string;
  data?: string;
  db?: string;
  nodeUrl?: string;
  nodeId?: string;
  logLevel?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const NODE_ID_PATTERN = /^stigmem:node:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Host names and addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase().replace(/^::ffff:/, "");
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Parses the environment and flags into a {@link Config}.
 * @throws ConfigError naming the first invalid variable.
 */
export function loadConfig(env: Env, flags: ConfigFlags = {}, cwd = process.cwd()): Config {
  const pick = (flag: string | undefined, variable: string): { value: string | undefined; name: string } =>
    flag !== undefined ? { value: flag, name: flagName(variable) } : { value: env[variable], name: variable };

  const host = nonEmpty(pick(flags.host, "STIGMEM_HOST"), "127.0.0.1");
  const port = parsePort(pick(flags.port, "STIGMEM_PORT"));
  const dataDir = path.resolve(cwd, nonEmpty(pick(flags.data, "STIGMEM_DATA_DIR"), "./stigmem-data"));
  const dbPath = path.resolve(dataDir, nonEmpty(pick(flags.db, "STIGMEM_DB_PATH"), "stigmem.db"));
  const dbBusyTimeoutMs = parseBusyTimeout({ value: env.STIGMEM_DB_BUSY_TIMEOUT_MS, name: "STIGMEM_DB_BUSY_TIMEOUT_MS" });
  const nodeUrl = parseNodeUrl(pick(flags.nodeUrl, "STIGMEM_NODE_URL"));
  const nodeId = parseNodeId(pick(flags.nodeId, "STIGMEM_NODE_ID"));
  const authRequired = parseBool({ value: env.STIGMEM_AUTH_REQUIRED, name: "STIGMEM_AUTH_REQUIRED" }, true);
  const federationEnabled = parseBool(
    { value: env.STIGMEM_FEDERATION_ENABLED, name: "STIGMEM_FEDERATION_ENABLED" },
    false,
  );
  const federation = parseFederation(env);
  const logLevel = parseLogLevel(pick(flags.logLevel, "STIGMEM_LOG_LEVEL"));
  const bootstrapKey = parseBootstrapKey({ value: env.STIGMEM_BOOTSTRAP_KEY, name: "STIGMEM_BOOTSTRAP_KEY" });
  const recallHalfLifeDays = parseHalfLife({
    value: env.STIGMEM_RECALL_HALF_LIFE_DAYS,
    name: "STIGMEM_RECALL_HALF_LIFE_DAYS",
  });
  const recallFusion = parseFusion({ value: env.STIGMEM_RECALL_FUSION, name: "STIGMEM_RECALL_FUSION" });
  const recallCacheRows = parseCacheRows({ value: env.STIGMEM_RECALL_CACHE_ROWS, name: "STIGMEM_RECALL_CACHE_ROWS" });
  const embed = parseEmbedding(env, dataDir, cwd);
  const otlpEndpoint = parseOtlpEndpoint(env);
  const limits = parseLimits(env);

  // protocol.md §8: no-auth mode is only safe when nobody else can connect.
  if (!authRequired) {
    if (!isLoopbackHost(host)) {
      throw new ConfigError(
        "STIGMEM_AUTH_REQUIRED",
        `false is refused unless the node binds to loopback (host is ${host})`,
      );
    }
    if (nodeUrl !== undefined && !isLoopbackHost(new URL(nodeUrl).hostname)) {
      throw new ConfigError(
        "STIGMEM_AUTH_REQUIRED",
        `false is refused unless STIGMEM_NODE_URL is a loopback URL (it is ${nodeUrl})`,
      );
    }
  }
  return Object.freeze({
    host,
    port,
    dataDir,
    dbPath,
    dbBusyTimeoutMs,
    nodeUrl,
    nodeId,
    authRequired,
    federationEnabled,
    ...federation,
    webhookAllowPrivate: parseBool({ value: env.STIGMEM_WEBHOOK_ALLOW_PRIVATE, name: "STIGMEM_WEBHOOK_ALLOW_PRIVATE" }, false),
    bootstrapKey,
    logLevel,
    recallHalfLifeDays,
    recallFusion,
    recallCacheRows,
    ...embed,
    otlpEndpoint,
    limits,
  });
}

function parseLimits(env: Env): ServerLimits {
  try {
    return parseServerLimits(env);
  } catch (e) {
    if (e instanceof LimitError) throw new ConfigError(e.variable, e.message);
    throw e;
  }
}

function flagName(variable: string): string {
  const map: Record<string, string> = {
    STIGMEM_HOST: "--host",
    STIGMEM_PORT: "--port",
    STIGMEM_DATA_DIR: "--data",
    STIGMEM_DB_PATH: "--db",
    STIGMEM_NODE_URL: "--node-url",
    STIGMEM_NODE_ID: "--node-id",
    STIGMEM_LOG_LEVEL: "--log-level",
  };
  return map[variable] ?? variable;
}

function nonEmpty(input: { value: string | undefined; name: string }, fallback: string): string {
  if (input.value === undefined) return fallback;
  const v = input.value.trim();
  if (v === "") throw new ConfigError(input.name, "must not be empty");
  return v;
}

function parsePort(input: { value: string | undefined; name: string }): number {
  if (input.value === undefined) return 8765;
  const v = input.value.trim();
  if (!/^\d{1,5}$/.test(v) || Number(v) > 65535) {
    throw new ConfigError(input.name, `must be a port number 0-65535 (got "${input.value}")`);
  }
  return Number(v);
}

function parseNodeUrl(input: { value: string | undefined; name: string }): string | undefined {
  if (input.value === undefined || input.value.trim() === "") return undefined;
  let url: URL;
  try {
    url = new URL(input.value.trim());
  } catch {
    throw new ConfigError(input.name, `must be an absolute http(s) URL (got "${input.value}")`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(input.name, `must use http or https (got "${url.protocol}")`);
  }
  return url.origin + url.pathname.replace(/\/+$/, "");
}

function parseNodeId(input: { value: string | undefined; name: string }): string | undefined {
  if (input.value === undefined || input.value.trim() === "") return undefined;
  const v = input.value.trim();
  if (!NODE_ID_PATTERN.test(v)) {
    throw new ConfigError(input.name, `must look like stigmem:node:<lowercase uuid> (got "${v}")`);
  }
  return v;
}

function parseBool(input: { value: string | undefined; name: string }, fallback: boolean): boolean {
  if (input.value === undefined || input.value.trim() === "") return fallback;
  const v = input.value.trim().toLowerCase();
  if (["1", "true", "yes", "on"].includes(v)) return true;
  if (["0", "false", "no", "off"].includes(v)) return false;
  throw new ConfigError(input.name, `must be true or false (got "${input.value}")`);
}

/** A key secret: 32–256 visible ASCII characters. The value itself never appears in the error. */
function parseBootstrapKey(input: { value: string | undefined; name: string }): string | undefined {
  if (input.value === undefined || input.value === "") return undefined;
  const length = [...input.value].length;
  if (length < 32 || length > 256) {
    throw new ConfigError(input.name, `must be 32-256 characters (got ${length})`);
  }
  if (!/^[\x21-\x7e]+$/.test(input.value)) {
    throw new ConfigError(input.name, "must be visible ASCII characters without spaces");
  }
  return input.value;
}

function parseLogLevel(input: { value: string | undefined; name: string }): LogLevel {
  if (input.value === undefined || input.value.trim() === "") return "info";
  const v = input.value.trim().toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(v)) {
    throw new ConfigError(input.name, `must be one of ${LOG_LEVELS.join(", ")} (got "${input.value}")`);
  }
  return v as LogLevel;
}

/** Milliseconds from 0 to 60,000; 5,000 when unset. */
function parseBusyTimeout(input: { value: string | undefined; name: string }): number {
  if (input.value === undefined || input.value.trim() === "") return DEFAULT_BUSY_TIMEOUT_MS;
  const v = input.value.trim();
  const n = /^\d{1,5}$/.test(v) ? Number(v) : Number.NaN;
  if (!(n >= 0) || n > 60_000) {
    throw new ConfigError(input.name, `must be a whole number of milliseconds from 0 to 60000 (got "${input.value}")`);
  }
  return n;
}

/** A positive number of days (fractions allowed), at most 100 years; 30 when unset. */
function parseHalfLife(input: { value: string | undefined; name: string }): number {
  if (input.value === undefined || input.value.trim() === "") return 30;
  const v = input.value.trim();
  const n = /^\d+(\.\d+)?$|^\.\d+$/.test(v) ? Number(v) : Number.NaN;
  if (!(n > 0) || n > 36_500) {
    throw new ConfigError(input.name, `must be a positive number of days, at most 36500 (got "${input.value}")`);
  }
  return n;
}

/** Rows of recall's in-memory copy of the view: a whole number up to 2^24; 131,072 when unset. */
function parseCacheRows(input: { value: string | undefined; name: string }): number {
  if (input.value === undefined || input.value.trim() === "") return DEFAULT_CACHED_ROWS;
  const v = input.value.trim();
  const n = /^\d{1,9}$/.test(v) ? Number(v) : Number.NaN;
  if (!(n >= 0) || n > MAX_CACHED_ROWS) {
    throw new ConfigError(input.name, `must be a whole number of rows from 0 to ${MAX_CACHED_ROWS} (got "${input.value}")`);
  }
  return n;
}

function parseFusion(input: { value: string | undefined; name: string }): RecallFusion {
  if (input.value === undefined || input.value.trim() === "") return "wsum";
  const v = input.value.trim().toLowerCase();
  if (!(RECALL_FUSIONS as readonly string[]).includes(v)) {
    throw new ConfigError(input.name, `must be one of ${RECALL_FUSIONS.join(", ")} (got "${input.value}")`);
  }
  return v as RecallFusion;
}

type EmbeddingConfig = Pick<
  Config,
  "embedder" | "embedUrl" | "embedModel" | "embedDims" | "embedApiKey" | "embedCacheDir"
>;

/** The `STIGMEM_EMBED*` variables. The API key is checked for shape only and never appears in an error. */
function parseEmbedding(env: Env, dataDir: string, cwd: string): EmbeddingConfig {
  const kindRaw = env.STIGMEM_EMBEDDER?.trim().toLowerCase() ?? "";
  if (kindRaw !== "" && !(EMBEDDER_KINDS as readonly string[]).includes(kindRaw)) {
    throw new ConfigError(
      "STIGMEM_EMBEDDER",
      `must be one of ${EMBEDDER_KINDS.join(", ")} (got "${env.STIGMEM_EMBEDDER}")`,
    );
  }
  const embedder = (kindRaw === "" ? "offline" : kindRaw) as EmbedderKind;
  const embedUrl =
    parseNodeUrl({ value: env.STIGMEM_EMBED_URL, name: "STIGMEM_EMBED_URL" }) ?? DEFAULT_EMBED_URL;
  const model = env.STIGMEM_EMBED_MODEL?.trim();
  const embedModel = model === undefined || model === "" ? undefined : model;
  if (embedder === "openai" && embedModel === undefined) {
    throw new ConfigError("STIGMEM_EMBED_MODEL", "is required when STIGMEM_EMBEDDER=openai");
  }
  let embedDims: number | undefined;
  const dims = env.STIGMEM_EMBED_DIMS?.trim();
  if (dims !== undefined && dims !== "") {
    if (!/^\d{1,5}$/.test(dims) || Number(dims) < 8 || Number(dims) > 8192) {
      throw new ConfigError("STIGMEM_EMBED_DIMS", `must be a whole number 8-8192 (got "${env.STIGMEM_EMBED_DIMS}")`);
    }
    embedDims = Number(dims);
  }
  const key = env.STIGMEM_EMBED_API_KEY;
  let embedApiKey: string | undefined;
  if (key !== undefined && key !== "") {
    if (!/^[\x21-\x7e]+$/.test(key)) {
      throw new ConfigError("STIGMEM_EMBED_API_KEY", "must be visible ASCII characters without spaces");
    }
    embedApiKey = key;
  }
  const cacheRaw = env.STIGMEM_EMBED_CACHE_DIR?.trim();
  const embedCacheDir =
    cacheRaw === undefined || cacheRaw === "" ? path.join(dataDir, "embeddings") : path.resolve(cwd, cacheRaw);
  return { embedder, embedUrl, embedModel, embedDims, embedApiKey, embedCacheDir };
}

type FederationConfig = Pick<
  Config,
  | "federationAllowPrivate"
  | "federationAllowTeam"
  | "federationPush"
  | "federationMaxFutureSkewMs"
  | "federationMaxPastSkewMs"
  | "federationKeySeed"
  | "federationStreamTokenTtlMs"
>;

/** The `STIGMEM_FEDERATION_*` settings besides `_ENABLED`. The key seed is checked for shape and never echoed. */
function parseFederation(env: Env): FederationConfig {
  const bool = (name: string): boolean => parseBool({ value: env[name], name }, false);
  const seconds = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === "") return fallback;
    const n = /^\d{1,10}$/.test(raw) ? Number(raw) : Number.NaN;
    if (!(n >= min) || n > max) throw new ConfigError(name, `must be a whole number of seconds from ${min} to ${max} (got "${raw}")`);
    return n;
  };
  const seedRaw = env.STIGMEM_FEDERATION_KEY;
  let federationKeySeed: string | undefined;
  if (seedRaw !== undefined && seedRaw.trim() !== "") {
    const seed = decodeBase64url(seedRaw.trim());
    if (seed?.length !== ED25519_SEED_BYTES) {
      throw new ConfigError("STIGMEM_FEDERATION_KEY", "must be a 32-byte Ed25519 seed in base64url without padding (43 characters)");
    }
    federationKeySeed = seedRaw.trim();
  }
  return {
    federationAllowPrivate: bool("STIGMEM_FEDERATION_ALLOW_PRIVATE"),
    federationAllowTeam: bool("STIGMEM_FEDERATION_ALLOW_TEAM"),
    federationPush: bool("STIGMEM_FEDERATION_PUSH"),
    federationMaxFutureSkewMs:
      seconds("STIGMEM_FEDERATION_HLC_MAX_FUTURE_SKEW_S", DEFAULT_MAX_FUTURE_SKEW_MS / 1000, 1, 86_400) * 1000,
    federationMaxPastSkewMs:
      seconds("STIGMEM_FEDERATION_HLC_MAX_PAST_SKEW_S", DEFAULT_MAX_PAST_SKEW_MS / 1000, 60, 3_153_600_000) * 1000,
    federationKeySeed,
    federationStreamTokenTtlMs: seconds("STIGMEM_FEDERATION_STREAM_TOKEN_TTL_S", 3600, 5, 3600) * 1000,
  };
}

/**
 * The OTLP collector: `STIGMEM_OTEL_EXPORTER_OTLP_ENDPOINT`, else the
 * OpenTelemetry standard `OTEL_EXPORTER_OTLP_ENDPOINT`, so an environment
 * already set up for OpenTelemetry needs nothing of ours.
 */
function parseOtlpEndpoint(env: Env): string | undefined {
  for (const name of ["STIGMEM_OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT"]) {
    const url = parseNodeUrl({ value: env[name], name });
    if (url !== undefined) return url;
  }
  return undefined;
}

/** The URL clients should use for this node when none was configured. */
export function defaultNodeUrl(host: string, port: number): string {
  const h = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return `http://${h === "0.0.0.0" || h === "[::]" ? "127.0.0.1" : h}:${port}`;
}
