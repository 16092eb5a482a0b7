/**
 * `@stigmem/sdk/connect`: the Connect layer under the facade — typed clients
 * of every service over a transport you make (connect-node or connect-web),
 * the resumable server-stream iterator, and the error conversion.
 *
 * @module
 */
export { createServiceClients } from "./service-clients.js";
export type { ServiceClients } from "./service-clients.js";
export {
  AuditService,
  AuthService,
  ConflictService,
  FactService,
  FederationService,
  GardenService,
  LintService,
  NodeService,
  RecallService,
} from "./service-clients.js";
export { resumableStream } from "./resumable-stream.js";
export type { ResumableStream, ResumableStreamOptions } from "./resumable-stream.js";
export { connectError, kindForCode } from "./connect-error.js";
export { createConnectFacade } from "./connect-facade.js";
