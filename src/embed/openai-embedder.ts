/**
 * An OpenAI-compatible `/v1/embeddings` client: OpenAI itself, Ollama, vLLM,
 * LiteLLM and the like. Requests `{model, input[], dimensions?}` in batches,
 * each with a timeout, and expects `{data: [{index, embedding}]}`.
 *
 * Failures are {@link EmbedError}s the queue can act on: the server being
 * unreachable, slow, overloaded or rejecting the key/model is "unavailable"
 * (retry later, drop nothing); 400/413/422 on a batch is "input" (the queue
 * narrows it down to the refused fact). The API key is sent only as a bearer
 * header and never appears in an error or a log.
 *
 * @module
 */
import { EmbedError, l2normalize, type EmbedOptions, type Embedder } from "./embedder.js";

export interface OpenAIEmbedderOptions {
  /** Base URL (`…/v1`) or the full `…/embeddings` endpoint. */
  readonly url: string;
  readonly model: string;
  /** Requested vector length (`dimensions`); the server's own when unset. */
  readonly dims?: number | undefined;
  readonly apiKey?: string | undefined;
  /** Per request; default 30 s. */
  readonly timeoutMs?: number;
  /** Texts per request; default 64. */
  readonly maxBatch?: number;
  /** Longer texts are cut to this many characters; default 8,000 (~2k tokens). */
  readonly maxChars?: number;
}

interface EmbeddingsResponse {
  data?: { index?: number; embedding?: unknown }[];
}

export class OpenAIEmbedder implements Embedder {
  readonly id: string;
  private dimsValue: number | undefined;
  private readonly endpoint: string;
  private readonly timeoutMs: number;
  private readonly maxBatch: number;
  private readonly maxChars: number;

  constructor(private readonly opts: OpenAIEmbedderOptions) {
    this.id = `openai:${opts.model}${opts.dims === undefined ? "" : `/${opts.dims}`}`;
    this.dimsValue = opts.dims;
    const base = opts.url.replace(/\/+$/, "");
    this.endpoint = /\/embeddings$/.test(base) ? base : `${base}/embeddings`;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.maxBatch = opts.maxBatch ?? 64;
    this.maxChars = opts.maxChars ?? 8_000;
  }

  get dims(): number | undefined {
    return this.dimsValue;
  }

  async embed(texts: readonly string[], opts: EmbedOptions = {}): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.maxBatch) {
      out.push(...(await this.request(texts.slice(i, i + this.maxBatch), opts.signal)));
    }
    return out;
  }

  private async request(texts: readonly string[], signal: AbortSignal | undefined): Promise<Float32Array[]> {
    const body: Record<string, unknown> = {
      model: this.opts.model,
      // An empty input is refused by some servers; a space embeds as "nothing".
      input: texts.map((t) => (t.length > this.maxChars ? t.slice(0, this.maxChars) : t) || " "),
    };
    if (this.opts.dims !== undefined) body.dimensions = this.opts.dims;
    const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
    if (this.opts.apiKey !== undefined) headers.authorization = `Bearer ${this.opts.apiKey}`;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let res: Response;
    try {
      res = await fetch(this.endpoint, {
        method: "POST",
        headers,
        body: JSON.stringify(body),
        // A redirect would carry the key elsewhere; a correct URL needs none.
        redirect: "error",
        signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
      });
    } catch (e) {
      const why = timeout.aborted
        ? `no answer within ${this.timeoutMs} ms`
        : signal?.aborted
          ? "the request was cancelled"
          : describeNetworkError(e);
      throw new EmbedError("unavailable", `embedding server ${this.endpoint}: ${why}`, { cause: e });
    }
    if (!res.ok) {
      const detail = (await res.text().catch(() => "")).replace(/\s+/g, " ").slice(0, 200);
      const kind = res.status === 400 || res.status === 413 || res.status === 422 ? "input" : "unavailable";
      const hint =
        res.status === 401 || res.status === 403
          ? " (check STIGMEM_EMBED_API_KEY)"
          : res.status === 404
            ? " (check STIGMEM_EMBED_URL and STIGMEM_EMBED_MODEL)"
            : "";
      throw new EmbedError(kind, `embedding server ${this.endpoint} answered ${res.status}${hint}: ${detail}`);
    }
    let json: EmbeddingsResponse;
    try {
      json = (await res.json()) as EmbeddingsResponse;
    } catch (e) {
      throw new EmbedError("unavailable", `embedding server ${this.endpoint} sent a body that is not JSON`, { cause: e });
    }
    return this.vectorsOf(json, texts.length);
  }

  private vectorsOf(json: EmbeddingsResponse, n: number): Float32Array[] {
    const bad = (why: string): EmbedError =>
      new EmbedError("unavailable", `embedding server ${this.endpoint} sent an unusable answer: ${why}`);
    if (!Array.isArray(json.data) || json.data.length !== n) throw bad(`expected ${n} embeddings in "data"`);
    const out: Float32Array[] = new Array<Float32Array>(n);
    json.data.forEach((item, pos) => {
      const i = typeof item.index === "number" ? item.index : pos;
      const e = item.embedding;
      if (!Number.isInteger(i) || i < 0 || i >= n || out[i] !== undefined) throw bad(`bad index ${String(item.index)}`);
      if (!Array.isArray(e) || e.length === 0 || !e.every((x) => typeof x === "number" && Number.isFinite(x))) {
        throw bad("an embedding is not an array of numbers (base64 encoding is not supported)");
      }
      if (this.dimsValue !== undefined && e.length !== this.dimsValue) {
        throw bad(`an embedding has ${e.length} dimensions, expected ${this.dimsValue} (STIGMEM_EMBED_DIMS)`);
      }
      this.dimsValue ??= e.length;
      out[i] = l2normalize(Float32Array.from(e as number[]));
    });
    return out;
  }
}

/** A one-line reason for a failed fetch (undici hides the socket error in `cause`). */
function describeNetworkError(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code !== undefined) return `unreachable (${cause.code})`;
  return `unreachable (${cause?.message ?? (e as Error).message})`;
}
