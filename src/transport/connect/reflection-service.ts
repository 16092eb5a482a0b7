/**
 * gRPC server reflection (grpc.reflection.v1 and v1alpha) over the contract's
 * own descriptors, so `grpcurl -plaintext host:port list` and `buf curl`
 * without `--schema` discover and call the node like any gRPC server.
 *
 * No npm package implements reflection for Connect-ES v2 (`@grpc/reflection`
 * serves grpc-js servers only), and the service is small: list the services,
 * and answer a file name or a symbol with that file's FileDescriptorProto plus
 * the dependencies not yet sent on this stream, as grpc-go does. The two
 * versions differ only in their package name, so one implementation serves both.
 *
 * Open to anonymous callers on purpose: it reveals the contract that
 * `/openapi.json` and `proto/` already publish, nothing of the data.
 *
 * @module
 */
import { create, createRegistry, toBinary, type DescFile, type DescService, type MessageInitShape, type Registry } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import type { ConnectRouter } from "@connectrpc/connect";
import * as v1 from "../../../gen/proto/grpc/reflection/v1/reflection_pb.js";
import * as v1alpha from "../../../gen/proto/grpc/reflection/v1alpha/reflection_pb.js";

/** gRPC status codes used in `ErrorResponse.error_code`. */
const NOT_FOUND = 5;
const UNIMPLEMENTED = 12;

/** A reflection request of either version (they share every field). */
type Request = v1.ServerReflectionRequest | v1alpha.ServerReflectionRequest;
/** A response as an init object: the same fields in both versions. */
type Response = MessageInitShape<typeof v1.ServerReflectionResponseSchema>;
type Answer = Response["messageResponse"];

/** What the service describes: its services, every file they need by name, every type. */
interface Catalogue {
  readonly services: readonly string[];
  readonly files: ReadonlyMap<string, DescFile>;
  readonly types: Registry;
}

/** Registers both reflection versions, describing `services` (and themselves). */
export function reflectionRoutes(services: readonly DescService[]): (router: ConnectRouter) => void {
  const all = [...services, v1.ServerReflection, v1alpha.ServerReflection];
  const files = new Map<string, DescFile>();
  const collect = (f: DescFile): void => {
    if (files.has(f.name)) return;
    files.set(f.name, f);
    f.dependencies.forEach(collect);
  };
  all.forEach((s) => collect(s.file));
  const catalogue: Catalogue = {
    services: all.map((s) => s.typeName).sort(),
    files,
    types: createRegistry(...files.values()),
  };
  return (router) => {
    router.service(v1.ServerReflection, {
      async *serverReflectionInfo(requests) {
        const sent = new Set<string>();
        for await (const req of requests) yield create(v1.ServerReflectionResponseSchema, respond(req, catalogue, sent));
      },
    });
    router.service(v1alpha.ServerReflection, {
      async *serverReflectionInfo(requests) {
        const sent = new Set<string>();
        for await (const req of requests) {
          // Same field names and numbers as v1; only the package differs.
          const answer = respond(req, catalogue, sent) as MessageInitShape<typeof v1alpha.ServerReflectionResponseSchema>;
          yield create(v1alpha.ServerReflectionResponseSchema, answer);
        }
      },
    });
  };
}

function respond(req: Request, catalogue: Catalogue, sent: Set<string>): Response {
  const r = req.messageRequest;
  // Echo the request; ExtensionRequest is rebuilt because its type name differs per version.
  const echo: Response["originalRequest"] = {
    host: req.host,
    messageRequest:
      r.case === "fileContainingExtension"
        ? { case: r.case, value: { containingType: r.value.containingType, extensionNumber: r.value.extensionNumber } }
        : r.case === undefined
          ? { case: undefined }
          : { case: r.case, value: r.value },
  };
  return { validHost: req.host, originalRequest: echo, messageResponse: answer(req, catalogue, sent) };
}

function answer(req: Request, catalogue: Catalogue, sent: Set<string>): Answer {
  const r = req.messageRequest;
  switch (r.case) {
    case "listServices":
      return { case: "listServicesResponse", value: { service: catalogue.services.map((name) => ({ name })) } };
    case "fileByFilename": {
      const file = catalogue.files.get(r.value);
      return file === undefined ? error(NOT_FOUND, `no file ${r.value}`) : fileWithDeps(file, sent);
    }
    case "fileContainingSymbol": {
      const file = fileOfSymbol(catalogue.types, r.value);
      return file === undefined ? error(NOT_FOUND, `no symbol ${r.value}`) : fileWithDeps(file, sent);
    }
    // The contract defines no extensions: a known message simply has none.
    case "allExtensionNumbersOfType":
      return catalogue.types.getMessage(r.value) === undefined
        ? error(NOT_FOUND, `no message ${r.value}`)
        : { case: "allExtensionNumbersResponse", value: { baseTypeName: r.value, extensionNumber: [] } };
    case "fileContainingExtension":
      return error(NOT_FOUND, `no extension ${r.value.extensionNumber} of ${r.value.containingType}`);
    default:
      return error(UNIMPLEMENTED, "unknown reflection request");
  }
}

/** A message, enum, service or extension by name, or a method or field as `Parent.member`. */
function fileOfSymbol(types: Registry, symbol: string): DescFile | undefined {
  const direct = types.get(symbol);
  if (direct !== undefined) return direct.file;
  const parent = types.get(symbol.slice(0, Math.max(0, symbol.lastIndexOf("."))));
  return parent?.kind === "service" || parent?.kind === "message" ? parent.file : undefined;
}

/** `file` first, then each transitive dependency not yet sent on this stream. */
function fileWithDeps(file: DescFile, sent: Set<string>): Answer {
  const out: Uint8Array[] = [];
  const visit = (f: DescFile, root: boolean): void => {
    if (!root && sent.has(f.name)) return;
    sent.add(f.name);
    out.push(toBinary(FileDescriptorProtoSchema, f.proto));
    f.dependencies.forEach((d) => visit(d, false));
  };
  visit(file, true);
  return { case: "fileDescriptorResponse", value: { fileDescriptorProto: out } };
}

function error(code: number, message: string): Answer {
  return { case: "errorResponse", value: { errorCode: code, errorMessage: message } };
}
