/**
 * `GET /v1/cards/{entity_uri}` and `RecallService.GetCard` (protocol.md §9):
 * the memory card of an entity in a scope, under the same authorization as
 * its facts. A scope the key may not use is 403 when named and 404 when it
 * is only the default; an entity with nothing readable is 404.
 *
 * @module
 */
import { normalizeEntityUri } from "../../core/normalize-uri.js";
import { DEFAULT_SCOPE, isScope } from "../../core/scope.js";
import { AppError } from "../app-error.js";
import { mayReadScope, readPolicyFor, requireReadableScope } from "../access/read-policy.js";
import type { Principal } from "../principal.js";
import type { NodeContext } from "../node-context.js";
import { QueryParams } from "../query-params.js";

/** The REST MemoryCard body. */
export interface MemoryCardResponse {
  entity_uri: string;
  scope: string;
  summary: string;
  fact_hashes: string[];
  avg_confidence: number;
  refreshed_at: string | null;
  is_stale: boolean;
  has_contradictions: boolean;
}

export interface GetCardResult {
  card: MemoryCardResponse;
  /** A fact failed CID verification and was left off the card. */
  degraded: boolean;
}

/** `query` holds `scope` and `refresh` as REST strings or typed Connect values. */
export function getCard(
  node: NodeContext,
  principal: Principal,
  entityRaw: string,
  query: Record<string, unknown>,
): GetCardResult {
  const policy = readPolicyFor(principal);
  const q = new QueryParams(query);
  const scopeRaw = q.str("scope");
  const refresh = q.bool("refresh");
  q.violations.throwIfAny();
  if (scopeRaw !== undefined && !isScope(scopeRaw)) {
    throw new AppError("invalid_scope", `scope must be one of local, team, company, public (got "${String(scopeRaw)}")`, {
      details: { scope: scopeRaw },
    });
  }
  const scope = scopeRaw ?? DEFAULT_SCOPE;
  if (scopeRaw !== undefined) requireReadableScope(policy, scope);
  let entity: string;
  try {
    entity = normalizeEntityUri(entityRaw, "entity_uri");
  } catch (e) {
    throw new AppError("invalid_entity_uri", (e as Error).message, { details: { field: "entity_uri" } });
  }
  const notFound = () => new AppError("not_found", `no readable current facts for ${entity} in scope ${scope}`);
  // The default scope outside the key is filtered like any broad read: nothing to show.
  if (!mayReadScope(policy, scope)) throw notFound();
  const card = node.cards.get(entity, scope, policy, { refresh });
  if (card.factCount === 0) throw notFound();
  return {
    card: {
      entity_uri: card.entity,
      scope: card.scope,
      summary: card.summary,
      fact_hashes: card.factHashes,
      avg_confidence: card.avgConfidence,
      refreshed_at: card.refreshedAt,
      is_stale: false,
      has_contradictions: card.hasContradictions,
    },
    degraded: card.degraded,
  };
}
