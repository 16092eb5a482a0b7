/**
 * Handshake steps 1–4 (protocol.md §10), on the receiving node: a peer's
 * signed declaration is recorded as `pending_verification` (a known
 * node_id is refused unless that peer was rejected or revoked: then it is
 * re-registered in place), the declarer's `/.well-known/stigmem` is fetched
 * through the SSRF guard (5 s, no redirects), and if it publishes the
 * declared key and the signature verifies over the exact signed bytes the
 * peer waits for approval; otherwise it is rejected. Either way the answer
 * is 201 and both steps are audited.
 *
 * @module
 */
import { randomUUID } from "node:crypto";
import { pubkeyFingerprint } from "../../core/federation/ed25519.js";
import { parseDeclaration, verifyDeclarationSignature, type PeerDeclaration } from "../../core/federation/peer-declaration.js";
import { formatTimestamp } from "../../core/timestamp.js";
import { DiscoveryError, fetchDiscovery } from "../../federation/fetch-discovery.js";
import type { PeerStatus, PeerTransport } from "../../store/peer-store.js";
import { AppError } from "../app-error.js";
import type { NodeContext } from "../node-context.js";
import { requirePermission, type Principal } from "../principal.js";
import { federationOf } from "./federation-of.js";

/** The registration's outcome (REST 201 body without `verified_at`). */
export interface Registration {
  readonly peerId: string;
  readonly status: Extract<PeerStatus, "pending_approval" | "rejected">;
  /** Why verification failed; null when the peer waits for approval. */
  readonly reason: string | null;
}

/** What the discovery check found. */
interface Verification {
  readonly status: Registration["status"];
  readonly reason: string | null;
  readonly transport: PeerTransport | null;
}

/**
 * Registers the declaration in `body` (the REST body, or the Connect
 * request mapped to it). Needs `federate`.
 *
 * @throws AppError federation_disabled, permission_denied,
 *   validation_error (a malformed declaration), declaration_stale,
 *   peer_exists.
 */
export async function registerPeer(ctx: NodeContext, principal: Principal, body: unknown, nowMs = Date.now()): Promise<Registration> {
  federationOf(ctx);
  requirePermission(principal, "federate");
  const decl = parse(ctx, body, nowMs);
  const at = formatTimestamp(nowMs);
  const { peers, audit } = ctx.stores;
  const fingerprint = pubkeyFingerprint(decl.federation_pubkey);
  const detail = { node_id: decl.node_id, node_url: decl.node_url, fingerprint, declared_scopes: decl.allowed_scopes };

  const peer = await ctx.writes.submit(() => {
    const known = peers.byNodeId(decl.node_id);
    if (known !== undefined && known.status !== "rejected" && known.status !== "revoked") {
      throw new AppError("peer_exists", `peer ${decl.node_id} is already registered (status ${known.status})`, {
        details: { peer_id: known.peerId, status: known.status },
      });
    }
    const stored = peers.register({
      peerId: known?.peerId ?? randomUUID(),
      nodeId: decl.node_id,
      nodeUrl: decl.node_url,
      pubkey: decl.federation_pubkey,
      declaredScopes: decl.allowed_scopes,
      allowedScopes: decl.allowed_scopes,
      signedAt: decl.signed_at,
      declarationSig: decl.declaration_sig,
      status: "pending_verification",
      registeredAt: at,
      statusChangedAt: at,
    });
    audit.append(
      {
        eventType: "peer_registered",
        actor: principal.entityUri,
        outcome: "success",
        peerId: stored.peerId,
        detail: { ...detail, status: "pending_verification", re_registration: known !== undefined },
      },
      nowMs,
    );
    return stored;
  });

  const v = await verify(ctx, decl);
  await ctx.writes.submit(() => {
    peers.setVerified(peer.peerId, v.status, v.reason, v.transport, formatTimestamp(Date.now()));
    audit.append({
      eventType: v.status === "pending_approval" ? "peer_verified" : "peer_verification_failed",
      actor: principal.entityUri,
      outcome: v.status === "pending_approval" ? "success" : "rejected",
      peerId: peer.peerId,
      detail: { ...detail, status: v.status, reason: v.reason, transport: v.transport },
    });
  });
  return { peerId: peer.peerId, status: v.status, reason: v.reason };
}

function parse(ctx: NodeContext, body: unknown, nowMs: number): PeerDeclaration {
  const parsed = parseDeclaration(body, nowMs, { allowPlainHttp: ctx.config.federationAllowPrivate });
  if (!parsed.ok) {
    if (parsed.code === "declaration_stale") throw new AppError("declaration_stale", parsed.message);
    const field = parsed.field ?? "body";
    throw new AppError("validation_error", `${field}: ${parsed.message}`, {
      violations: [{ loc: field === "body" ? ["body"] : ["body", field], msg: parsed.message, type: parsed.code }],
    });
  }
  if (parsed.value.node_id === ctx.nodeId) {
    throw new AppError("validation_error", "node_id: a node does not peer with itself", {
      violations: [{ loc: ["body", "node_id"], msg: "a node does not peer with itself", type: "invalid_declaration" }],
    });
  }
  return parsed.value;
}

/** Step 3–4: fetch the declarer's discovery document and check its key and the signature. */
async function verify(ctx: NodeContext, decl: PeerDeclaration): Promise<Verification> {
  const rejected = (reason: string): Verification => ({ status: "rejected", reason, transport: null });
  let doc: Readonly<Record<string, unknown>>;
  try {
    const allowPrivate = ctx.config.federationAllowPrivate;
    doc = (await fetchDiscovery(decl.node_url, { allowPrivate, allowPlainHttp: allowPrivate })).document;
  } catch (e) {
    if (e instanceof DiscoveryError) return rejected(`discovery_${e.code}: ${e.message}`);
    throw e;
  }
  if (typeof doc.federation_pubkey !== "string") return rejected("discovery: the document has no federation_pubkey");
  if (doc.node_id !== decl.node_id) return rejected("discovery: the document names another node_id");
  const checked = await verifyDeclarationSignature(decl, doc.federation_pubkey);
  if (!checked.ok) return rejected(`${checked.code}: ${checked.message}`);
  const endpoints = doc.federation_endpoints;
  const stream = typeof endpoints === "object" && endpoints !== null && typeof (endpoints as Record<string, unknown>).pull_stream === "string";
  return { status: "pending_approval", reason: null, transport: stream ? "connect" : "rest" };
}
