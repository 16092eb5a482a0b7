/**
 * Connect FederationService over the same `node/federation` use cases as
 * REST /v1/federation/*. The handshake and audit RPCs take an API key (the
 * auth interceptor); PullFacts and PushFacts take a peer JWT, verified here
 * (the interceptor lets them through, auth-interceptor.ts).
 *
 * PullFacts is the replication stream of protocol.md §10: backlog pages,
 * then with `follow` live pages and heartbeats until the token expires.
 * Errors of a stream are mapped here, since the error interceptor sees only
 * the call's start.
 *
 * @module
 */
import { create, fromJson, type JsonValue } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import { AuditOutcome, type AuditEntry as AuditEntryMessage, AuditEntrySchema } from "../../../gen/proto/stigmem/v1/common_pb.js";
import {
  ApprovePeerResponseSchema,
  type FederationService,
  ListFederationAuditResponseSchema,
  ListPeersResponseSchema,
  type Peer,
  PeerSchema,
  PeerStatus,
  type PullFactsResponse,
  PullFactsResponseSchema,
  PushFactsResponseSchema,
  RegisterPeerResponseSchema,
  RevokePeerResponseSchema,
} from "../../../gen/proto/stigmem/v1/federation_pb.js";
import { wireFactFromProto } from "./proto-wire-fact.js";
import { authenticatePeer } from "../../node/federation/authenticate-peer.js";
import { listFederationAudit } from "../../node/federation/federation-audit.js";
import { approvePeer, listPeers, revokePeer, type PeerInfo } from "../../node/federation/manage-peers.js";
import { pushFacts, requirePushEnabled } from "../../node/federation/push-facts.js";
import { registerPeer } from "../../node/federation/register-peer.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, openFeed } from "../../node/federation/serve-feed.js";
import { AppError } from "../../node/app-error.js";
import type { NodeContext } from "../../node/node-context.js";
import type { FederationAuditEntry as AuditEntry } from "../../node/federation/federation-audit.js";
import type { PeerStatus as PeerStatusText } from "../../node/federation/peer.js";
import { principalOf } from "./auth-interceptor.js";
import { feedFactsJson, toFeedFact } from "./feed-fact.js";
import { toConnectError } from "./to-connect-error.js";

const STATUS: Readonly<Record<PeerStatusText, PeerStatus>> = {
  pending_verification: PeerStatus.PENDING_VERIFICATION,
  pending_approval: PeerStatus.PENDING_APPROVAL,
  active: PeerStatus.ACTIVE,
  rejected: PeerStatus.REJECTED,
  revoked: PeerStatus.REVOKED,
};

const OUTCOME: Readonly<Record<string, AuditOutcome>> = {
  success: AuditOutcome.SUCCESS,
  denied: AuditOutcome.DENIED,
  rejected: AuditOutcome.REJECTED,
  error: AuditOutcome.ERROR,
};

function toProtoPeer(p: PeerInfo): Peer {
  return create(PeerSchema, {
    peerId: p.peerId,
    nodeId: p.nodeId,
    nodeUrl: p.nodeUrl,
    status: STATUS[p.status],
    allowedScopes: [...p.allowedScopes],
    establishedAt: p.status === "active" ? (p.establishedAt ?? undefined) : undefined,
    pubkeyFingerprint: p.fingerprint,
    trust: p.trust,
  });
}

function toProtoAudit(e: AuditEntry): AuditEntryMessage {
  return create(AuditEntrySchema, {
    seq: BigInt(e.seq),
    id: e.id,
    ts: e.ts,
    eventType: e.event_type,
    actor: e.actor ?? "",
    tenantId: e.tenant_id,
    scope: e.scope ?? undefined,
    factId: e.fact_id ?? undefined,
    peerId: e.peer_id ?? undefined,
    outcome: OUTCOME[e.outcome] ?? AuditOutcome.UNSPECIFIED,
    detail: fromJson(ValueSchema, e.detail as JsonValue),
    prevHash: e.prev_hash ?? undefined,
    entryHash: e.entry_hash,
  });
}

function authorization(ctx: HandlerContext): string | undefined {
  return ctx.requestHeader.get("authorization") ?? undefined;
}

/** The FederationService implementation for `node`. */
export function federationService(node: NodeContext): ServiceImpl<typeof FederationService> {
  return {
    async registerPeer(req, ctx) {
      const d = req.declaration;
      const body =
        d === undefined
          ? {}
          : {
              node_url: d.nodeUrl,
              node_id: d.nodeId,
              federation_pubkey: d.federationPubkey,
              allowed_scopes: d.allowedScopes,
              signed_at: d.signedAt,
              declaration_sig: d.declarationSig,
            };
      const r = await registerPeer(node, principalOf(ctx), body);
      return create(RegisterPeerResponseSchema, { peerId: r.peerId, status: STATUS[r.status] });
    },
    async approvePeer(req, ctx) {
      const p = await approvePeer(node, principalOf(ctx), req.peerId, {
        fingerprint: req.pubkeyFingerprint,
        allowedScopes: req.allowedScopes,
      });
      return create(ApprovePeerResponseSchema, {
        peerId: p.peerId,
        nodeId: p.nodeId,
        status: PeerStatus.ACTIVE,
        approvedAt: p.establishedAt ?? "",
      });
    },
    async revokePeer(req, ctx) {
      const p = await revokePeer(node, principalOf(ctx), req.peerId, req.reason.slice(0, 500));
      return create(RevokePeerResponseSchema, { peerId: p.peerId, nodeId: p.nodeId, status: PeerStatus.REVOKED, revokedAt: p.revokedAt });
    },
    listPeers(_req, ctx) {
      return create(ListPeersResponseSchema, { peers: listPeers(node, principalOf(ctx)).map(toProtoPeer) });
    },
    async *pullFacts(req, ctx) {
      try {
        const caller = await authenticatePeer(node, authorization(ctx), "FederationService/PullFacts");
        const pageSize = req.pageSize === 0 ? DEFAULT_PAGE_SIZE : req.pageSize;
        if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
          throw new AppError("validation_error", `page_size: must be 1..${MAX_PAGE_SIZE}`, {
            violations: [{ loc: ["page_size"], msg: `Input should be between 1 and ${MAX_PAGE_SIZE}`, type: "less_than_equal" }],
          });
        }
        const session = await openFeed(node, caller, { cursor: req.cursor, scopes: req.scopes, onOtherEpoch: "must_refetch" });
        for await (const frame of session.frames({ pageSize, follow: req.follow, signal: ctx.signal, projections: false })) {
          let message: PullFactsResponse;
          if (frame.kind === "heartbeat") {
            message = create(PullFactsResponseSchema, {
              kind: { case: "heartbeat", value: { serverTime: new Date().toISOString() } },
            });
          } else {
            message = create(PullFactsResponseSchema, {
              kind: {
                case: "page",
                value: {
                  ...(req.jsonFacts ? { factsJson: feedFactsJson(frame.page.facts) } : { facts: frame.page.facts.map(toFeedFact) }),
                  cursor: frame.page.cursor,
                  caughtUp: frame.page.caughtUp,
                },
              },
            });
          }
          yield message;
        }
      } catch (e) {
        throw toConnectError(e);
      }
    },
    async pushFacts(req, ctx) {
      requirePushEnabled(node);
      const caller = await authenticatePeer(node, authorization(ctx), "FederationService/PushFacts");
      const out = await pushFacts(node, caller, req.facts.map(wireFactFromProto));
      return create(PushFactsResponseSchema, {
        accepted: out.accepted,
        rejected: out.rejected,
        errors: out.errors.map((e) => ({ factId: e.factId ?? "", error: e.error, message: e.message })),
      });
    },
    listFederationAudit(req, ctx) {
      const page = listFederationAudit(node, principalOf(ctx), {
        peerId: req.peerId,
        eventType: req.eventType,
        limit: req.limit === 0 ? undefined : req.limit,
        cursor: req.cursor,
      });
      return create(ListFederationAuditResponseSchema, {
        entries: page.entries.map(toProtoAudit),
        cursor: page.cursor ?? undefined,
        hasMore: page.hasMore,
      });
    },
  };
}
