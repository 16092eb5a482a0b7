/**
 * A hostile or odd publisher for federation tests: it speaks the reference
 * node's REST federation (discovery without a pull stream, so our node
 * pulls it page by page), signs a real declaration with its own key, and
 * serves whatever facts the test gives it — bad CIDs, broken shapes, HLCs
 * from the future or from long ago — paged by HLC text exactly as the
 * reference does. A test can also make it hang, to play a peer in outage.
 * It is an outside party, not one of our components.
 *
 * @module
 */
import http, { type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { computeCid } from "../../src/core/cid.js";
import { signerFromSeed, type Ed25519Signer } from "../../src/core/federation/ed25519.js";
import { signDeclaration } from "../../src/core/federation/peer-declaration.js";
import type { Scope } from "../../src/core/scope.js";
import { FED_ADMIN_KEY } from "./federation.js";
import { RestClient } from "./rest-client.js";
import type { TestNode } from "./test-node.js";

/** A fact as the fake serves it (any JSON; tests break fields on purpose). */
export type ServedFact = Record<string, unknown>;

export class FakeReferencePeer {
  readonly nodeId = `stigmem:node:${randomUUID()}`;
  /** Facts served, in HLC text order. */
  facts: ServedFact[] = [];
  /** While true, pull requests get no answer (an outage); released by {@link release}. */
  hanging = false;
  /** Pull requests currently hanging. */
  pending = 0;
  /** Pull requests received. */
  requests = 0;
  private held: http.ServerResponse[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly signer: Ed25519Signer,
  ) {}

  static async start(seedByte: number): Promise<FakeReferencePeer> {
    const signer = await signerFromSeed(new Uint8Array(32).fill(seedByte));
    let peer: FakeReferencePeer | undefined;
    const server = http.createServer((req, res) => peer!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    peer = new FakeReferencePeer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, signer);
    return peer;
  }

  /** A well-formed fact with a correct CID, originated here at `hlcWall`. */
  fact(entity: string, v: string, hlcWall: number, scope: Scope = "public"): ServedFact {
    const body = { entity, relation: "memory:note", source: `stigmem://127.0.0.1/agent/fake`, confidence: 1, scope };
    return {
      id: randomUUID(),
      ...body,
      value: { type: "string", v, interpret_as: "content" },
      timestamp: new Date(hlcWall).toISOString(),
      hlc: `${hlcWall}.0`,
      cid: computeCid({ ...body, value_type: "string", value_v: v }),
      valid_until: null,
    };
  }

  /** Declares itself to `node` sharing `scopes`, and has `node`'s operator approve it. */
  async register(node: TestNode, scopes: readonly string[]): Promise<string> {
    const decl = await signDeclaration({ node_url: this.url, node_id: this.nodeId, allowed_scopes: scopes }, this.signer, Date.now());
    const api = new RestClient(node.url, FED_ADMIN_KEY);
    const reg = await api.post("/v1/federation/peers", decl);
    if (reg.body.status !== "pending_approval") throw new Error(`registration: ${JSON.stringify(reg.body)}`);
    const { pubkeyFingerprint } = await import("../../src/core/federation/ed25519.js");
    const ok = await api.post(`/v1/federation/peers/${reg.body.peer_id}/approve`, { pubkey_fingerprint: pubkeyFingerprint(this.signer.publicKey) });
    if (ok.status !== 200) throw new Error(`approval: ${JSON.stringify(ok.body)}`);
    return reg.body.peer_id as string;
  }

  /** Answers the pull requests held during an outage (with the current page) and stops hanging. */
  release(): void {
    this.hanging = false;
    for (const res of this.held) res.destroy();
    this.held = [];
    this.pending = 0;
  }

  async stop(): Promise<void> {
    this.release();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? "/", this.url);
    if (url.pathname === "/.well-known/stigmem") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          version: "1.0",
          node_id: this.nodeId,
          node_url: this.url,
          federation: "enabled",
          federation_pubkey: this.signer.publicKey,
          federation_version: "0.5",
          federation_endpoints: { peers: "/v1/federation/peers", facts: "/v1/federation/facts", push: null },
        }),
      );
      return;
    }
    if (url.pathname === "/v1/federation/facts") {
      this.requests++;
      if (this.hanging) {
        this.pending++;
        this.held.push(res);
        return;
      }
      // The reference's paging: HLC text compared as text, the last row's HLC as the cursor.
      const cursor = url.searchParams.get("cursor");
      const limit = Number(url.searchParams.get("limit") ?? 100);
      const text = (f: ServedFact): string => (typeof f.hlc === "string" ? f.hlc : "");
      const after = this.facts.filter((f) => cursor === null || text(f) > cursor).sort((x, y) => (text(x) < text(y) ? -1 : 1));
      const page = after.slice(0, limit);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ facts: page, cursor: page.length === 0 ? cursor : text(page[page.length - 1]!), has_more: after.length > limit }));
      return;
    }
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ detail: "Not Found" }));
  }
}
