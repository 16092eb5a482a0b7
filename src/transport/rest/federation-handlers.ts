/**
 * REST handlers of the `federation` tag (protocol.md §7, §10): the peer
 * handshake, the reference-compatible pull and push (authenticated with a
 * peer JWT, not an API key: see rest-plugin.ts), and the federation audit
 * view. JSON in and out; the rules are in `node/federation/`.
 *
 * To a reference peer the pull serves what its ingest takes without
 * wedging (spec/federation-interop.md): `hlc: null` (it stamps its own),
 * numbers with their canonical lexeme (integral ones as JSON integers,
 * since it hashes `str(v)`), and no instructions (the read rules leave them
 * out for it).
 *
 * @module
 */
import type { FastifyRequest } from "fastify";
import type { components } from "../../../gen/openapi/stigmem.js";
import { AppError } from "../../node/app-error.js";
import { factJson, type FactRecordJson } from "./fact-json.js";
import { authenticatePeer } from "../../node/federation/authenticate-peer.js";
import { listFederationAudit } from "../../node/federation/federation-audit.js";
import { approvePeer, listPeers, revokePeer, type PeerInfo } from "../../node/federation/manage-peers.js";
import { pushFacts, requirePushEnabled } from "../../node/federation/push-facts.js";
import { registerPeer } from "../../node/federation/register-peer.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, openFeed } from "../../node/federation/serve-feed.js";
import { QueryParams } from "../../node/query-params.js";
import { isRecord } from "../../node/validation.js";
import type { RestHandlers } from "./rest-plugin.js";

type Schemas = components["schemas"];

/** A peer as `GET /v1/federation/peers` lists it. */
export function peerJson(p: PeerInfo): Schemas["Peer"] {
  return {
    peer_id: p.peerId,
    node_id: p.nodeId,
    node_url: p.nodeUrl,
    status: p.status,
    allowed_scopes: [...p.allowedScopes],
    established_at: p.status === "active" ? p.establishedAt : null,
    pubkey_fingerprint: p.fingerprint,
    trust: p.trust,
  };
}

function body(req: FastifyRequest): Record<string, unknown> {
  const b = req.body;
  if (b === undefined || b === null) return {};
  if (!isRecord(b)) {
    throw new AppError("validation_error", "the body must be a JSON object", {
      violations: [{ loc: ["body"], msg: "Input should be a valid dictionary", type: "dict_type" }],
    });
  }
  return b;
}

function peerIdOf(req: FastifyRequest): string {
  return (req.params as { peer_id: string }).peer_id;
}

/** A fact as a reference peer can ingest it (see the module comment). */
function referenceRecord(r: FactRecordJson): Omit<FactRecordJson, "hlc"> & { hlc: null } {
  return { ...r, hlc: null };
}

export const federationHandlers: RestHandlers = {
  registerPeer: async (req, reply, { node, principal }): Promise<Schemas["PeerRegistration"]> => {
    const r = await registerPeer(node, principal, req.body);
    void reply.code(201);
    return { peer_id: r.peerId, status: r.status, verified_at: null };
  },
  listPeers: (_req, _reply, { node, principal }): Schemas["PeerList"] => ({ peers: listPeers(node, principal).map(peerJson) }),
  approvePeer: async (req, _reply, { node, principal }): Promise<Schemas["PeerApproval"]> => {
    const b = body(req);
    const fingerprint = b.pubkey_fingerprint;
    const scopes = b.allowed_scopes;
    if (typeof fingerprint !== "string" || fingerprint === "") {
      throw new AppError("validation_error", "pubkey_fingerprint: Field required", {
        violations: [{ loc: ["body", "pubkey_fingerprint"], msg: "Field required", type: "missing" }],
      });
    }
    if (scopes !== undefined && scopes !== null && !(Array.isArray(scopes) && scopes.every((s) => typeof s === "string"))) {
      throw new AppError("validation_error", "allowed_scopes: must be a list of scopes", {
        violations: [{ loc: ["body", "allowed_scopes"], msg: "Input should be a valid list", type: "list_type" }],
      });
    }
    const p = await approvePeer(node, principal, peerIdOf(req), { fingerprint, allowedScopes: scopes });
    return { peer_id: p.peerId, node_id: p.nodeId, status: "active", approved_at: p.establishedAt! };
  },
  revokePeer: async (req, _reply, { node, principal }): Promise<Schemas["PeerRevocation"]> => {
    const reason = body(req).reason;
    const p = await revokePeer(node, principal, peerIdOf(req), typeof reason === "string" ? reason.slice(0, 500) : "");
    return { peer_id: p.peerId, node_id: p.nodeId, status: "revoked", revoked_at: p.revokedAt };
  },
  pullFacts: async (req, reply, { node }): Promise<unknown> => {
    const caller = await authenticatePeer(node, req.headers.authorization, "pullFacts");
    const q = new QueryParams(req.query as Record<string, unknown>);
    const scope = q.str("scope");
    const cursor = q.str("cursor");
    const limit = q.num("limit", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE, true);
    q.violations.throwIfAny();
    const session = await openFeed(node, caller, {
      cursor,
      scopes: scope === undefined ? [] : [scope],
      // A reference puller keeps whatever cursor it has and cannot start over: serve it the start.
      onOtherEpoch: "restart",
    });
    if (session.restarted) void reply.header("Stigmem-Feed-Restarted", "true");
    const page = await session.next(limit);
    const records = page.facts.map(factJson);
    return { facts: session.reference ? records.map(referenceRecord) : records, cursor: page.cursor, has_more: !page.caughtUp };
  },
  pushFacts: async (req, reply, { node }): Promise<Schemas["PushResult"]> => {
    requirePushEnabled(node);
    const caller = await authenticatePeer(node, req.headers.authorization, "pushFacts");
    const out = await pushFacts(node, caller, body(req).facts);
    void reply.code(202);
    return {
      accepted: out.accepted,
      rejected: out.rejected,
      errors: out.errors.map((e) => ({ fact_id: e.factId, error: e.error, message: e.message })),
    };
  },
  listFederationAudit: (req, _reply, { node, principal }): Schemas["FederationAuditPage"] => {
    const q = new QueryParams(req.query as Record<string, unknown>);
    const peerId = q.str("peer_id");
    const eventType = q.str("event_type");
    const limit = q.num("limit", 50, 1, 500, true);
    const cursor = q.str("cursor");
    q.violations.throwIfAny();
    const page = listFederationAudit(node, principal, { peerId, eventType, limit, cursor });
    return {
      entries: page.entries.map((e) => ({ id: e.id, peer_id: e.peer_id!, event_type: e.event_type, detail: e.detail, ts: e.ts })),
      cursor: page.cursor,
      has_more: page.hasMore,
    };
  },
};
