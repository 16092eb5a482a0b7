/**
 * A small local HTTP server speaking the OpenAI `/v1/embeddings` format, for
 * tests of the HTTP provider and of provider outages. Its "model" hashes each
 * word into one of `dims` buckets (bag of words), so texts sharing words are
 * similar; it can be told to fail, stall or answer garbage.
 *
 * @module
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeEmbeddingServer {
  /** Base URL, `http://127.0.0.1:PORT/v1`. */
  readonly url: string;
  readonly dims: number;
  /** Requests received since the last reset. */
  readonly requests: { model: string; input: string[]; dimensions?: number; authorization?: string }[];
  /** The unit vector the server returns for `text`. */
  vectorOf(text: string): Float32Array;
  /** Answers every request with `status` until {@link up} (an outage). */
  down(status?: number): void;
  up(): void;
  failNext(status: number, body?: string): void;
  malformNext(): void;
  delayNext(ms: number): void;
  /** Holds every answer until the returned function is called (a stalled provider the test releases). */
  hold(): () => void;
  reset(): void;
  close(): Promise<void>;
}

export async function startFakeEmbeddingServer(opts: { apiKey?: string; dims?: number } = {}): Promise<FakeEmbeddingServer> {
  const dims = opts.dims ?? 16;
  const requests: FakeEmbeddingServer["requests"] = [];
  let outage: number | null = null;
  let next: { status?: number; body?: string; malformed?: boolean; delay?: number } | null = null;
  let held: (() => void)[] | null = null;

  const vectorOf = (text: string): Float32Array => {
    const v = new Float32Array(dims);
    for (const w of text.toLowerCase().match(/[a-z0-9]+/g) ?? ["_"]) {
      let h = 7;
      for (const ch of w) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
      v[h % dims]! += 1;
    }
    const n = Math.hypot(...v) || 1;
    return v.map((x) => x / n);
  };

  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      const body = JSON.parse(raw || "{}") as { model: string; input: string[]; dimensions?: number };
      requests.push({ ...body, authorization: req.headers.authorization });
      const send = (status: number, payload: string): void => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(payload);
      };
      const step = next;
      next = null;
      const answer = (): void => {
        if (outage !== null) return send(outage, JSON.stringify({ error: { message: "model is loading" } }));
        if (opts.apiKey !== undefined && req.headers.authorization !== `Bearer ${opts.apiKey}`) {
          return send(401, JSON.stringify({ error: { message: "invalid api key" } }));
        }
        if (step?.status !== undefined) return send(step.status, step.body ?? "{}");
        if (step?.malformed === true) return send(200, JSON.stringify({ data: [{ embedding: "AAAA" }] }));
        if (req.url !== "/v1/embeddings") return send(404, "{}");
        const data = body.input.map((t, index) => ({ object: "embedding", index, embedding: Array.from(vectorOf(t)) }));
        send(200, JSON.stringify({ object: "list", model: body.model, data: data.reverse() }));
      };
      if (step?.delay !== undefined) setTimeout(answer, step.delay);
      else if (held !== null) held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    dims,
    requests,
    vectorOf,
    down: (status = 503) => {
      outage = status;
    },
    up: () => {
      outage = null;
    },
    failNext: (status, body) => {
      next = { status, body };
    },
    malformNext: () => {
      next = { malformed: true };
    },
    delayNext: (delay) => {
      next = { delay };
    },
    hold: () => {
      const waiting: (() => void)[] = [];
      held = waiting;
      return () => {
        if (held === waiting) held = null;
        for (const answer of waiting.splice(0)) answer();
      };
    },
    reset: () => {
      requests.length = 0;
      outage = null;
      next = null;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
