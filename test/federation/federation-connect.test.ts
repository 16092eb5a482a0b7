/**
 * FederationService over Connect (and gRPC's codes) runs the same use cases
 * as the REST routes: registration with a declaration message, approval by
 * fingerprint (the same refusal code), listing, the federation audit view,
 * revocation, push refused while off — and federation_disabled on a node
 * without federation.
 */
import { toJson } from "@bufbuild/protobuf";
import { ValueSchema } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorInfoSchema } from "../../gen/proto/google/rpc/error_details_pb.js";
import { FederationService, PeerStatus } from "../../gen/proto/stigmem/v1/federation_pb.js";
import { signDeclaration } from "../../src/core/federation/peer-declaration.js";
import { FED_ADMIN_KEY, startFedNode } from "../helpers/federation.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

function client(node: TestNode): Client<typeof FederationService> {
  return createClient(
    FederationService,
    createConnectTransport({ baseUrl: node.url, httpVersion: "1.1", interceptors: [(next) => (req) => (req.header.set("authorization", `Bearer ${FED_ADMIN_KEY}`), next(req))] }),
  );
}

async function refusal(p: Promise<unknown>): Promise<[string, string | undefined]> {
  try {
    await p;
    return ["ok", undefined];
  } catch (e) {
    const c = ConnectError.from(e);
    return [Code[c.code], c.findDetails(ErrorInfoSchema)[0]?.reason];
  }
}

describe("FederationService over Connect", () => {
  let a: TestNode;
  let b: TestNode;
  let off: TestNode;

  beforeAll(async () => {
    [a, b, off] = await Promise.all([startFedNode(), startFedNode(), startTestNode({ env: { STIGMEM_AUTH_REQUIRED: "true", STIGMEM_BOOTSTRAP_KEY: FED_ADMIN_KEY } })]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), off?.stop()]);
  });

  it("registers, refuses a wrong fingerprint, approves, lists, audits and revokes", async () => {
    const d = await signDeclaration({ node_url: b.url, node_id: b.node.nodeId, allowed_scopes: ["public"] }, b.node.federation!.key, Date.now());
    const reg = await client(a).registerPeer({
      declaration: {
        nodeUrl: d.node_url,
        nodeId: d.node_id,
        federationPubkey: d.federation_pubkey,
        allowedScopes: [...d.allowed_scopes],
        signedAt: d.signed_at,
        declarationSig: d.declaration_sig,
      },
    });
    expect(reg.status).toBe(PeerStatus.PENDING_APPROVAL);
    expect(await refusal(client(a).approvePeer({ peerId: reg.peerId, pubkeyFingerprint: "sha256:00" }))).toEqual(["InvalidArgument", "fingerprint_mismatch"]);
    const ok = await client(a).approvePeer({ peerId: reg.peerId, pubkeyFingerprint: b.node.federation!.key.fingerprint });
    expect([ok.status, ok.nodeId]).toEqual([PeerStatus.ACTIVE, b.node.nodeId]);
    const listed = await client(a).listPeers({});
    expect(listed.peers.map((p) => [p.peerId, p.status, p.allowedScopes, p.pubkeyFingerprint])).toEqual([
      [reg.peerId, PeerStatus.ACTIVE, ["public"], b.node.federation!.key.fingerprint],
    ]);
    const audit = await client(a).listFederationAudit({ peerId: reg.peerId, limit: 2 });
    expect([audit.entries.map((e) => e.eventType), audit.hasMore]).toEqual([["peer_approved", "peer_approval_failed"], true]);
    const next = await client(a).listFederationAudit({ peerId: reg.peerId, limit: 2, cursor: audit.cursor });
    expect(next.entries.map((e) => e.eventType)).toEqual(["peer_verified", "peer_registered"]);
    expect(toJson(ValueSchema, next.entries[0]!.detail!)).toMatchObject({ status: "pending_approval", transport: "connect" });
    const revoked = await client(a).revokePeer({ peerId: reg.peerId, reason: "done" });
    expect(revoked.status).toBe(PeerStatus.REVOKED);
    expect(await refusal(client(a).approvePeer({ peerId: "nope", pubkeyFingerprint: "x" }))).toEqual(["NotFound", "not_found"]);
  });

  it("refuses push while it is off, and everything on a node without federation", async () => {
    expect(await refusal(client(a).pushFacts({ facts: [] }))).toEqual(["Unimplemented", "push_disabled"]);
    expect(await refusal(client(off).listPeers({}))).toEqual(["NotFound", "federation_disabled"]);
    const stream = async () => {
      for await (const _ of client(off).pullFacts({})) break;
    };
    expect(await refusal(stream())).toEqual(["NotFound", "federation_disabled"]);
  });
});
