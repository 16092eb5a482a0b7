/**
 * Pulls from a node like this one over the Connect `PullFacts` stream
 * (protocol.md §10), its pages' facts as JSON (`json_facts`): one stream per connection, opened with a token living
 * `ttlMs` (the publisher ends the stream when it expires, and the puller
 * reconnects from its persisted cursor), `follow` on, so after the backlog
 * it receives commits as they happen. A stream that sends nothing — no
 * page, no heartbeat — for {@link IDLE_TIMEOUT_MS} is given up as dead.
 *
 * Connect errors are classified for the puller: `must_refetch` (and a
 * cursor the publisher does not take) start over; unavailable, internal,
 * resource-exhausted and deadline errors are transient, and so is "not
 * registered / not approved there yet" (the handshake's other half);
 * other refusals (a bad token, no permitted scope) are permanent.
 *
 * @module
 */
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { ErrorInfoSchema } from "../../../gen/proto/google/rpc/error_details_pb.js";
import { FederationService } from "../../../gen/proto/stigmem/v1/federation_pb.js";
import { wireFactFromProto } from "./proto-wire-fact.js";
import { PullError, type PullFrame, type PullSource, type TokenMinter } from "../../node/federation/pull-source.js";
import type { Peer as PeerRecord } from "../../node/federation/peer.js";

/** A live stream heartbeats every 15 s; three missed ones mean it is dead. */
export const IDLE_TIMEOUT_MS = 45_000;
/** Facts per backlog page asked for. */
export const STREAM_PAGE_SIZE = 500;

function reasonOf(e: ConnectError): string {
  return e.findDetails(ErrorInfoSchema)[0]?.reason ?? Code[e.code];
}

function classify(e: unknown): PullError {
  if (e instanceof PullError) return e;
  const c = ConnectError.from(e);
  const reason = reasonOf(c);
  if (reason === "must_refetch" || reason === "invalid_cursor") return new PullError({ kind: "must_refetch" }, c.message);
  // The other side has not registered or approved us yet: expected while the handshake is under way,
  // so retried on the normal backoff rather than at the permanent-error cap.
  if (reason === "peer_not_registered" || reason === "peer_not_approved") {
    return new PullError({ kind: "transient", transient: "protocol" }, c.message);
  }
  switch (c.code) {
    case Code.Unavailable:
    case Code.Unknown:
    case Code.Aborted:
    case Code.Canceled:
      return new PullError({ kind: "transient", transient: "network" }, c.message);
    case Code.DeadlineExceeded:
      return new PullError({ kind: "transient", transient: "timeout" }, c.message);
    case Code.ResourceExhausted:
      return new PullError({ kind: "transient", transient: "rate_limited" }, c.message);
    case Code.Internal:
      return new PullError({ kind: "transient", transient: "server" }, c.message);
    default:
      return new PullError({ kind: "permanent", code: reason }, c.message);
  }
}

/** The facts of a `facts_json` page; anything but a JSON array is a protocol error (the connection is retried). */
function jsonFacts(bytes: Uint8Array): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new PullError({ kind: "transient", transient: "protocol" }, "facts_json is not UTF-8 JSON");
  }
  if (!Array.isArray(parsed)) throw new PullError({ kind: "transient", transient: "protocol" }, "facts_json is not a JSON array");
  return parsed;
}

/** The source of a peer that serves the PullFacts stream. */
export function connectPullSource(peer: PeerRecord, mintToken: TokenMinter, opts: { readonly ttlMs: number }): PullSource {
  const client = createClient(FederationService, createConnectTransport({ baseUrl: peer.nodeUrl, httpVersion: "1.1" }));
  return {
    pollIntervalMs: null,
    async *open(cursor: string | null, signal: AbortSignal): AsyncGenerator<PullFrame> {
      const token = await mintToken(opts.ttlMs);
      const idle = new AbortController();
      let timer = setTimeout(() => idle.abort(), IDLE_TIMEOUT_MS);
      const stream = client.pullFacts(
        { cursor: cursor ?? undefined, follow: true, pageSize: STREAM_PAGE_SIZE, jsonFacts: true },
        { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.any([signal, idle.signal]) },
      );
      try {
        for await (const res of stream) {
          clearTimeout(timer);
          timer = setTimeout(() => idle.abort(), IDLE_TIMEOUT_MS);
          if (res.kind.case === "page") {
            const p = res.kind.value;
            // A publisher that does not know json_facts sends Fact messages: both are taken.
            const facts = p.factsJson.length > 0 ? jsonFacts(p.factsJson) : p.facts.map(wireFactFromProto);
            yield { kind: "page", facts, cursor: p.cursor, caughtUp: p.caughtUp };
          } else if (res.kind.case === "heartbeat") {
            yield { kind: "heartbeat" };
          }
        }
      } catch (e) {
        if (idle.signal.aborted && !signal.aborted) {
          throw new PullError({ kind: "transient", transient: "timeout" }, `no frame for ${IDLE_TIMEOUT_MS} ms`);
        }
        throw classify(e);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
