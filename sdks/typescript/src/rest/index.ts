/**
 * `@stigmem/sdk/rest`: the REST layer under the facade — an openapi-fetch
 * client typed by `openapi/stigmem.yaml` for any `/v1` route, and the
 * conversion of failed responses to the typed errors.
 *
 * @module
 */
import createFetchClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { components, paths } from "../../../../gen/openapi/stigmem.js";

export type { components, paths };
export { restError, kindForStatus } from "./rest-error.js";
export { createRestFacade } from "./rest-facade.js";

/**
 * A typed REST client of the whole contract.
 *
 * @example
 * const api = createRestClient({ baseUrl, headers: { authorization: `Bearer ${key}` } });
 * const { data } = await api.GET("/v1/facts/{fact_id}", { params: { path: { fact_id: id } } });
 */
export function createRestClient(opts: ClientOptions): Client<paths> {
  return createFetchClient<paths>(opts);
}
