/**
 * The facade over the REST `/v1` gateway, on openapi-fetch with the types
 * generated from `openapi/stigmem.yaml`. Meaningful headers become fields
 * (`Stigmem-Deduplicated` → `deduplicated`, `Stigmem-Integrity: degraded` →
 * `integrityDegraded`, `verifyChain` → `Stigmem-Verify: full`), as the Connect
 * contract has them, so both transports return the same objects.
 *
 * @module
 */
import createFetchClient from "openapi-fetch";
import type { paths } from "../../../../gen/openapi/stigmem.js";
import type { ClientOptions, StigmemClient } from "../client/stigmem-client.js";
import { paginate } from "../client/paginate.js";
import type { FactQuery, Resolution } from "../types.js";
import * as from from "./from-rest.js";
import { NotImplementedError } from "../errors.js";
import { restError, restNetworkError } from "./rest-error.js";
import { assertBody, valueBody } from "./to-rest.js";

/** What openapi-fetch resolves to. */
interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Awaits a call; a failure becomes the typed error, a network failure an UnavailableError. */
async function call<T>(request: Promise<FetchResult<T>>): Promise<{ data: T; response: Response }> {
  let r: FetchResult<T>;
  try {
    r = await request;
  } catch (e) {
    throw restNetworkError(e);
  }
  if (!r.response.ok) throw restError(r.response, r.error);
  return { data: r.data as T, response: r.response };
}

/**
 * The generated request types mark the fields the node defaults (confidence,
 * scope, write_mode, token_budget, ...) as required; the SDK leaves unset ones
 * out so the node's defaults apply, as over Connect. Bodies are built by
 * `to-rest.ts` and typed there, so they are passed through untyped here.
 */
type PartialBody = never;

/** Creates the REST facade. */
export function createRestFacade(opts: ClientOptions): StigmemClient {
  const baseFetch = opts.fetch ?? globalThis.fetch;
  const api = createFetchClient<paths>({
    baseUrl: opts.baseUrl.replace(/\/+$/, ""),
    headers: opts.apiKey === undefined ? {} : { authorization: `Bearer ${opts.apiKey}` },
    fetch: (req: Request) =>
      baseFetch(opts.timeoutMs === undefined ? req : new Request(req, { signal: AbortSignal.timeout(opts.timeoutMs) })),
  });

  const query = async (q: FactQuery = {}) => {
    const { data, response } = await call(
      api.GET("/v1/facts", {
        params: {
          query: {
            entity: q.entity,
            relation: q.relation,
            source: q.source,
            scope: q.scope,
            garden_id: q.gardenId,
            min_confidence: q.minConfidence,
            include_contradicted: q.includeContradicted,
            include_expired: q.includeExpired,
            include_superseded: q.includeSuperseded,
            after: q.after,
            as_of: q.asOf,
            order: q.order,
            cursor: q.cursor,
            limit: q.limit,
          },
        },
      }),
    );
    return {
      facts: data.facts.map(from.fact),
      total: data.total,
      cursor: data.cursor,
      integrityDegraded: response.headers.get("stigmem-integrity") === "degraded",
    };
  };

  const assert = async (input: Parameters<StigmemClient["facts"]["assert"]>[0]) => {
    const { data, response } = await call(api.POST("/v1/facts", { body: assertBody(input) as PartialBody }));
    return { fact: from.fact(data), deduplicated: response.headers.get("stigmem-deduplicated") === "true" };
  };

  return {
    transport: "rest",
    facts: {
      assert,
      async batch(facts, o = {}) {
        const body = { facts: facts.map(assertBody), atomic: o.atomic, idempotency_key: o.idempotencyKey };
        const { data } = await call(api.POST("/v1/facts:batch", { body: body as PartialBody }));
        return {
          accepted: data.accepted,
          rejected: data.rejected,
          results: data.results.map((r) => ({
            index: r.index,
            status: r.status,
            factId: r.fact_id ?? null,
            cid: r.cid ?? null,
            deduplicated: r.deduplicated,
            error: r.error ?? null,
            errorMessage: r.error_message ?? null,
          })),
        };
      },
      async get(idOrCid) {
        const { data } = await call(api.GET("/v1/facts/{fact_id}", { params: { path: { fact_id: idOrCid } } }));
        return from.fact(data);
      },
      query,
      list: (q = {}) => paginate((cursor) => query({ ...q, cursor }), (p) => p.facts),
      async verifyCid(id) {
        const { data } = await call(api.POST("/v1/facts/{fact_id}/verify-cid", { params: { path: { fact_id: id } } }));
        return {
          cidValid: data.cid_valid,
          computedCid: data.computed_cid,
          storedCid: data.stored_cid,
          mismatchReason: data.mismatch_reason,
        };
      },
      retract: (r) =>
        assert({
          entity: r.entity,
          relation: r.relation,
          source: r.source,
          scope: r.scope,
          value: r.value ?? { type: "string", v: "retracted" },
          confidence: 0,
        }),
      watch: () => ({
        lastCursor: undefined,
        // An iterable that fails when iterated, as the streams it stands for would.
        [Symbol.asyncIterator]: () => ({
          next: () =>
            Promise.reject(
              new NotImplementedError({
                code: "not_implemented",
                message: "facts.watch needs a connect, grpc or grpc-web transport (over REST, read a subscription's SSE stream)",
                transport: "rest",
              }),
            ),
        }),
      }),
    },
    async recall(text, o = {}) {
      const w = o.weights;
      const body = {
        query: text,
        scope: o.scope,
        token_budget: o.tokenBudget,
        depth: o.depth,
        weights:
          w === undefined
            ? undefined
            : { lexical: w.lexical, semantic: w.semantic, graph: w.graph, source_trust: w.sourceTrust, recency: w.recency },
        min_confidence: o.minConfidence,
        include_neighbors: o.includeNeighbors,
        limit: o.limit,
        entity: o.entity,
        relation: o.relation,
        lambda_mmr: o.lambdaMmr,
        prefer_cards: o.preferCards,
      };
      const { data, response } = await call(
        api.POST("/v1/recall", {
          body: body as PartialBody,
          params: { header: o.verifyChain === true ? { "Stigmem-Verify": "full" } : {} },
        }),
      );
      return from.recall(data, response.headers.get("stigmem-integrity") === "degraded");
    },
    cards: {
      async get(entityUri, o = {}) {
        const { data } = await call(
          api.GET("/v1/cards/{entity_uri}", {
            params: { path: { entity_uri: entityUri }, query: { scope: o.scope, refresh: o.refresh } },
          }),
        );
        return from.card(data);
      },
    },
    graph: {
      async neighbors(entity, o) {
        const { data } = await call(
          api.GET("/v1/graph/neighbors", {
            params: {
              query: {
                entity,
                scope: o.scope,
                depth: o.depth,
                relation_filter: o.relationFilter,
                min_confidence: o.minConfidence,
                min_trust: o.minTrust,
                page_size: o.pageSize,
                cursor: o.cursor,
              },
            },
          }),
        );
        return from.neighbors(data);
      },
    },
    conflicts: {
      async list(o = {}) {
        const { data } = await call(
          api.GET("/v1/conflicts", { params: { query: { status: o.status, cursor: o.cursor, limit: o.limit } } }),
        );
        return from.conflictPage(data);
      },
      async get(conflictId) {
        const { data } = await call(api.GET("/v1/conflicts/{conflict_id}", { params: { path: { conflict_id: conflictId } } }));
        return from.conflict(data);
      },
      async resolve(conflictId, r: Resolution) {
        const body = {
          winning_fact_id: r.winningFactId,
          new_value: r.newValue === undefined ? undefined : valueBody(r.newValue),
          resolution_note: r.note ?? "",
        };
        const { data } = await call(
          api.POST("/v1/conflicts/{conflict_id}/resolve", { params: { path: { conflict_id: conflictId } }, body: body as PartialBody }),
        );
        return { resolutionFactId: data.resolution_fact_id, conflictStatus: data.conflict_status };
      },
    },
    keys: {
      async create(k) {
        const body = {
          entity_uri: k.entityUri,
          permissions: k.permissions,
          allowed_scopes: k.allowedScopes,
          description: k.description,
          expires_at: k.expiresAt,
          raw_key: k.rawKey,
        };
        const { data } = await call(api.POST("/v1/auth/keys", { body: body as PartialBody }));
        return { key: from.apiKey(data), rawKey: data.raw_key ?? null };
      },
      async list() {
        const { data } = await call(api.GET("/v1/auth/keys"));
        return data.map(from.apiKey);
      },
      async revoke(keyId) {
        await call(api.DELETE("/v1/auth/keys/{key_id}", { params: { path: { key_id: keyId } } }));
      },
    },
    async me() {
      const { data } = await call(api.GET("/v1/me"));
      return from.me(data);
    },
    node: {
      async info() {
        const { data } = await call(api.GET("/.well-known/stigmem"));
        return from.nodeInfo(data);
      },
      async health() {
        const { data } = await call(api.GET("/healthz"));
        return { status: data.status };
      },
    },
  };
}
