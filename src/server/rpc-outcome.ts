/**
 * The Connect/gRPC code an RPC ended with, in its wire name (`ok`,
 * `not_found`, ...), for metrics, spans and logs. A gRPC failure is an HTTP
 * 200 whose `grpc-status` travels in trailers, so the HTTP status cannot
 * say; the code comes from what the handler threw (see the observing
 * interceptor), else from the trailers, else from the HTTP status.
 *
 * @module
 */
import type { ServerHttp2Stream } from "node:http2";
import type { DescService } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";

/** The request paths of every method of `services` (`/stigmem.v1.FactService/AssertFact`), as Connect routes them. */
export function rpcPathsOf(services: readonly DescService[]): ReadonlySet<string> {
  return new Set(services.flatMap((s) => s.methods.map((m) => `/${s.typeName}/${m.name}`)));
}

/** Wire names of the Connect codes (connect-es keeps its own table private; this copies the protocol's). */
const CODE_NAMES: Readonly<Record<Code, string>> = {
  [Code.Canceled]: "canceled",
  [Code.Unknown]: "unknown",
  [Code.InvalidArgument]: "invalid_argument",
  [Code.DeadlineExceeded]: "deadline_exceeded",
  [Code.NotFound]: "not_found",
  [Code.AlreadyExists]: "already_exists",
  [Code.PermissionDenied]: "permission_denied",
  [Code.ResourceExhausted]: "resource_exhausted",
  [Code.FailedPrecondition]: "failed_precondition",
  [Code.Aborted]: "aborted",
  [Code.OutOfRange]: "out_of_range",
  [Code.Unimplemented]: "unimplemented",
  [Code.Internal]: "internal",
  [Code.Unavailable]: "unavailable",
  [Code.DataLoss]: "data_loss",
  [Code.Unauthenticated]: "unauthenticated",
};

/** The wire name of `code`; 0 is `ok`. */
export function codeName(code: Code | 0): string {
  return code === 0 ? "ok" : (CODE_NAMES[code] ?? "unknown");
}

/** The gRPC status number of a code name (`rpc.grpc.status_code`); unknown names are 2 (unknown). */
export function grpcStatusNumber(name: string): number {
  if (name === "ok") return 0;
  const found = Object.entries(CODE_NAMES).find(([, n]) => n === name);
  return found === undefined ? Code.Unknown : Number(found[0]);
}

/** The code of anything a handler threw, as the client will see it. */
export function codeOfError(e: unknown): string {
  return codeName(ConnectError.from(e).code);
}

/** Codes that mean the server failed (the REST 5xx other than 501): logged as errors, with the stack. */
export function isServerFault(code: string): boolean {
  switch (code) {
    case "unknown":
    case "internal":
    case "data_loss":
    case "unavailable":
    case "deadline_exceeded":
      return true;
    default:
      return false;
  }
}

/** How the call was made, from its content type. */
export function rpcProtocol(contentType: string | undefined): "connect" | "grpc" | "grpc_web" {
  const ct = (contentType ?? "").toLowerCase();
  if (ct.startsWith("application/grpc-web")) return "grpc_web";
  if (ct.startsWith("application/grpc")) return "grpc";
  return "connect";
}

/**
 * The code of an RPC the interceptor did not see end (a request connect-es
 * refused before calling the handler: bad framing, an unsupported codec).
 * gRPC over HTTP/2: the `grpc-status` the stream sent, in its trailers or,
 * for a trailers-only answer, in its headers. Otherwise the HTTP status,
 * mapped as the gRPC and Connect specifications map it for clients.
 */
export function codeFromResponse(raw: { statusCode: number; stream?: ServerHttp2Stream }): string {
  const stream = raw.stream;
  if (stream !== undefined) {
    const sent = stream.sentTrailers?.["grpc-status"] ?? stream.sentHeaders?.["grpc-status"];
    if (sent !== undefined) return codeName(Number(sent));
  }
  switch (raw.statusCode) {
    case 200:
      return "ok";
    case 400:
      return "invalid_argument";
    case 401:
      return "unauthenticated";
    case 403:
      return "permission_denied";
    case 404:
      return "unimplemented";
    case 408:
      return "deadline_exceeded";
    case 429:
    case 502:
    case 503:
    case 504:
      return "unavailable";
    default:
      return "unknown";
  }
}
