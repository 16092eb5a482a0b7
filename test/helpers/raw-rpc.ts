/**
 * Sends raw bytes to a Connect method in any of the protocols the node
 * serves, so tests can send what no generated client would (truncated
 * protobuf, invalid UTF-8), and reads back the outcome in one shape: the
 * HTTP status, the Connect code name and the `ErrorInfo.reason`.
 *
 * Connect and gRPC-Web go over fetch (HTTP/1.1); gRPC over one reused h2c
 * session, as gRPC needs HTTP/2 trailers.
 *
 * @module
 */
import http2 from "node:http2";
import { fromBinary } from "@bufbuild/protobuf";
import { BinaryReader } from "@bufbuild/protobuf/wire";
import { Code } from "@connectrpc/connect";
import { ErrorInfoSchema } from "../../gen/proto/google/rpc/error_details_pb.js";

export const RPC_PROTOCOLS = [
  "connect-json",
  "connect-proto",
  "grpc-web-json",
  "grpc-web-proto",
  "grpc-json",
  "grpc-proto",
] as const;
export type RpcProtocol = (typeof RPC_PROTOCOLS)[number];

export interface RpcOutcome {
  /** HTTP status of the response. */
  readonly status: number;
  /** Connect code in snake_case (`ok`, `invalid_argument`, …). */
  readonly code: string;
  /** `google.rpc.ErrorInfo.reason`, when the error carried one. */
  readonly reason: string | undefined;
  readonly message: string;
  /** The response message bytes (binary) or text (JSON) of a success. */
  readonly body: Uint8Array;
}

const CONTENT_TYPES: Record<RpcProtocol, string> = {
  "connect-json": "application/json",
  "connect-proto": "application/proto",
  "grpc-web-json": "application/grpc-web+json",
  "grpc-web-proto": "application/grpc-web+proto",
  "grpc-json": "application/grpc+json",
  "grpc-proto": "application/grpc+proto",
};

export function isBinary(protocol: RpcProtocol): boolean {
  return protocol.endsWith("proto");
}

/** One length-prefixed message of the gRPC and gRPC-Web framing. */
export function envelope(message: Uint8Array, flags = 0): Uint8Array {
  const out = new Uint8Array(5 + message.byteLength);
  out[0] = flags;
  new DataView(out.buffer).setUint32(1, message.byteLength);
  out.set(message, 5);
  return out;
}

export class RawRpcClient {
  private session: http2.ClientHttp2Session | undefined;

  constructor(readonly baseUrl: string) {}

  /**
   * Calls `path` (`/stigmem.v1.FactService/GetFact`) with `message` as the
   * request message's bytes. `streaming` selects the Connect streaming
   * protocol (server-streaming methods); gRPC and gRPC-Web frame every call.
   */
  async call(
    protocol: RpcProtocol,
    path: string,
    message: Uint8Array,
    opts: { streaming?: boolean; headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<RpcOutcome> {
    const headers = opts.headers ?? {};
    const timeoutMs = opts.timeoutMs ?? 30_000;
    if (protocol.startsWith("grpc-") && !protocol.startsWith("grpc-web")) {
      return this.grpc(protocol, path, message, headers, timeoutMs);
    }
    const web = protocol.startsWith("grpc-web");
    const streaming = !web && opts.streaming === true;
    const contentType = streaming ? CONTENT_TYPES[protocol].replace("application/", "application/connect+") : CONTENT_TYPES[protocol];
    const res = await fetch(this.baseUrl + path, {
      method: "POST",
      headers: { "content-type": contentType, ...(web ? {} : { "connect-protocol-version": "1" }), ...headers },
      body: web || streaming ? envelope(message) : message,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (web) return fromGrpcWeb(res.status, res.headers, bytes);
    if (streaming && res.status === 200) return fromConnectStream(bytes);
    if (res.status === 200) return { status: 200, code: "ok", reason: undefined, message: "", body: bytes };
    return fromConnectError(res.status, bytes);
  }

  close(): void {
    this.session?.close();
  }

  private grpc(
    protocol: RpcProtocol,
    path: string,
    message: Uint8Array,
    headers: Record<string, string>,
    timeoutMs: number,
  ): Promise<RpcOutcome> {
    if (this.session === undefined || this.session.closed || this.session.destroyed) {
      this.session = http2.connect(this.baseUrl);
      this.session.on("error", () => {});
    }
    const stream = this.session.request({
      ":method": "POST",
      ":path": path,
      "content-type": CONTENT_TYPES[protocol],
      te: "trailers",
      ...headers,
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stream.close(http2.constants.NGHTTP2_CANCEL);
        reject(new Error(`no answer from ${path} within ${timeoutMs} ms`));
      }, timeoutMs);
      let status = 0;
      let head: http2.IncomingHttpHeaders = {};
      const chunks: Buffer[] = [];
      stream.on("response", (h) => {
        head = h;
        status = Number(h[":status"]);
      });
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("trailers", (t) => {
        head = { ...head, ...t };
      });
      stream.on("error", reject);
      stream.on("close", () => {
        clearTimeout(timer);
        const all = Buffer.concat(chunks);
        const outcome = fromGrpcStatus(status, (name) => {
          const v = head[name];
          return Array.isArray(v) ? v[0] : v;
        });
        resolve({ ...outcome, body: all.byteLength >= 5 ? all.subarray(5) : all });
      });
      stream.end(envelope(message));
    });
  }
}

function snake(code: Code): string {
  return Code[code].replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}

interface ConnectErrorJson {
  code?: string;
  message?: string;
  details?: { type: string; value: string }[];
}

function fromConnectError(status: number, bytes: Uint8Array): RpcOutcome {
  const text = Buffer.from(bytes).toString("utf8");
  let json: ConnectErrorJson = {};
  try {
    json = JSON.parse(text) as ConnectErrorJson;
  } catch {
    // Not a Connect error body (e.g. a 415 from the router): keep the status only.
  }
  return fromErrorJson(status, json, text);
}

/** A Connect stream: messages, then an end-stream frame (flag 0x02) with `{error?}`. */
function fromConnectStream(bytes: Uint8Array): RpcOutcome {
  let message: Uint8Array = new Uint8Array();
  for (const frame of frames(bytes)) {
    if ((frame.flags & 0x02) === 0) {
      message = frame.payload;
      continue;
    }
    const end = JSON.parse(Buffer.from(frame.payload).toString("utf8") || "{}") as { error?: ConnectErrorJson };
    if (end.error !== undefined) return fromErrorJson(200, end.error, "");
  }
  return { status: 200, code: "ok", reason: undefined, message: "", body: message };
}

function* frames(bytes: Uint8Array): Generator<{ flags: number; payload: Uint8Array }> {
  let offset = 0;
  while (offset + 5 <= bytes.byteLength) {
    const length = new DataView(bytes.buffer, bytes.byteOffset + offset + 1, 4).getUint32(0);
    yield { flags: bytes[offset]!, payload: bytes.subarray(offset + 5, offset + 5 + length) };
    offset += 5 + length;
  }
}

function fromErrorJson(status: number, json: ConnectErrorJson, text: string): RpcOutcome {
  const info = json.details?.find((d) => d.type === "google.rpc.ErrorInfo");
  const reason = info === undefined ? undefined : fromBinary(ErrorInfoSchema, Buffer.from(info.value, "base64")).reason;
  return { status, code: json.code ?? `http_${status}`, reason, message: json.message ?? text, body: new Uint8Array() };
}

function fromGrpcWeb(status: number, headers: Headers, bytes: Uint8Array): RpcOutcome {
  // Trailers-only responses put the status in the headers; otherwise it is in the last (0x80) frame.
  const trailers = new Map<string, string>();
  headers.forEach((v, k) => trailers.set(k, v));
  let message: Uint8Array = new Uint8Array();
  for (const { flags, payload } of frames(bytes)) {
    if ((flags & 0x80) === 0) {
      message = payload;
      continue;
    }
    for (const line of Buffer.from(payload).toString("utf8").split("\r\n")) {
      const i = line.indexOf(":");
      if (i > 0) trailers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
    }
  }
  return { ...fromGrpcStatus(status, (name) => trailers.get(name)), body: message };
}

function fromGrpcStatus(status: number, get: (name: string) => string | undefined): Omit<RpcOutcome, "body"> {
  const grpcStatus = get("grpc-status");
  const code = grpcStatus === undefined ? `http_${status}` : grpcStatus === "0" ? "ok" : snake(Number(grpcStatus));
  const details = get("grpc-status-details-bin");
  return {
    status,
    code,
    reason: details === undefined ? undefined : errorInfoReason(Buffer.from(details, "base64")),
    message: decodeURIComponent(get("grpc-message") ?? ""),
  };
}

/** `ErrorInfo.reason` from a serialized google.rpc.Status (code 1, message 2, repeated Any details 3). */
function errorInfoReason(status: Uint8Array): string | undefined {
  const reader = new BinaryReader(status);
  while (reader.pos < reader.len) {
    const [field, wireType] = reader.tag();
    if (field !== 3) {
      reader.skip(wireType);
      continue;
    }
    const any = new BinaryReader(reader.bytes());
    let typeUrl = "";
    let value: Uint8Array = new Uint8Array();
    while (any.pos < any.len) {
      const [f, w] = any.tag();
      if (f === 1) typeUrl = any.string();
      else if (f === 2) value = any.bytes();
      else any.skip(w);
    }
    if (typeUrl.endsWith("google.rpc.ErrorInfo")) return fromBinary(ErrorInfoSchema, value).reason;
  }
  return undefined;
}
