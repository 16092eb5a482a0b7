/**
 * All REST handlers, keyed by operationId. One map per OpenAPI tag.
 *
 * @module
 */
import { authHandlers } from "./auth-handlers.js";
import { conflictHandlers } from "./conflict-handlers.js";
import { factHandlers } from "./fact-handlers.js";
import { federationHandlers } from "./federation-handlers.js";
import { nodeHandlers } from "./node-handlers.js";
import { recallHandlers } from "./recall-handlers.js";
import { subscriptionHandlers } from "./subscription-handlers.js";
import type { RestHandlers } from "./rest-plugin.js";

export const REST_HANDLERS: RestHandlers = {
  ...nodeHandlers,
  ...authHandlers,
  ...factHandlers,
  ...conflictHandlers,
  ...recallHandlers,
  ...federationHandlers,
  ...subscriptionHandlers,
};
