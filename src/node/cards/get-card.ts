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

/** An entity's memory card in one scope, as served. */
export interface MemoryCard {
  readonly entityUri: string;
  readonly scope: string;
  readonly summary: string;
  /** CIDs of the summarized facts, in line order. */
  readonly factHashes: readonly string[];
  /** Trust-weighted mean confidence of those facts. */
  readonly avgConfidence: number;
  readonly refreshedAt: string;
  readonly hasContradictions: boolean;
}

export interface GetCardResult {
  readonly card: MemoryCard;
  /** A fact failed CID verification and was left off the card. */
  readonly degraded: boolean;
}

/** A card request's options as received: REST strings or typed Connect values. */
export interface CardQueryDraft {
  readonly scope?: unknown;
  readonly refresh?: unknown;
}

export function getCard(node: NodeContext, principal: Principal, entityRaw: string, query: CardQueryDraft): GetCardResult {
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
      entityUri: card.entity,
      scope: card.scope,
      summary: card.summary,
      factHashes: card.factHashes,
      avgConfidence: card.avgConfidence,
      refreshedAt: card.refreshedAt,
      hasContradictions: card.hasContradictions,
    },
    degraded: card.degraded,
  };
}
