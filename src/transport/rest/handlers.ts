/**
 * All REST handlers, keyed by operationId. One map per OpenAPI tag.
 *
 * @module
 */
import { nodeHandlers } from "./node-handlers.js";
import type { RestHandlers } from "./rest-plugin.js";

export const REST_HANDLERS: RestHandlers = {
  ...nodeHandlers,
};
