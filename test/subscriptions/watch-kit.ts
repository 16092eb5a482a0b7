/**
 * Shared by the watch tests: a node with auth on and a known admin key,
 * Connect clients per key, and a reader that collects a watch stream's
 * events until a condition holds (tests wait for outcomes, not for time).
 *
 * @module
 */
import { createClient, type Client } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { expect } from "vitest";
import { FactService, type WatchFactsRequest } from "../../gen/proto/stigmem/v1/facts_pb.js";
import { RestClient } from "../helpers/rest-client.js";
import { startTestNode, type TestNode, type TestNodeOptions } from "../helpers/test-node.js";

export const ADMIN_KEY = `watch-admin-${"Qw7Er5Ty".repeat(5)}`;
export const T = "stigmem://testnode";

/** A node with auth required and {@link ADMIN_KEY}. */
export function startWatchNode(opts: TestNodeOptions = {}): Promise<TestNode> {
  return startTestNode({
    ...opts,
    env: { STIGMEM_AUTH_REQUIRED: "true", STIGMEM_BOOTSTRAP_KEY: ADMIN_KEY, STIGMEM_EMBEDDER: "none", ...opts.env },
  });
}

/** A FactService client over Connect (binary, h2c) with `key`. */
export function factClient(node: TestNode, key: string): Client<typeof FactService> {
  const transport = createConnectTransport({
    baseUrl: node.url,
    httpVersion: "2",
    useBinaryFormat: true,
    interceptors: [(next) => (req) => {
      req.header.set("authorization", `Bearer ${key}`);
      return next(req);
    }],
  });
  return createClient(FactService, transport);
}

/** Creates a key with `read` (and `write`) in `scopes` (null = all); returns its id and secret. */
export async function createKey(node: TestNode, name: string, scopes: string[] | null): Promise<{ id: string; key: string }> {
  const res = await new RestClient(node.url, ADMIN_KEY).post("/v1/auth/keys", {
    entity_uri: `agent:${name}`,
    permissions: ["read", "write"],
    allowed_scopes: scopes,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.id, key: res.body.raw_key };
}

/** Writes a string fact as admin; returns its FactRecord. */
export async function put(node: TestNode, relation: string, v: string, extra: Record<string, unknown> = {}): Promise<any> {
  const res = await new RestClient(node.url, ADMIN_KEY).post("/v1/facts", {
    entity: `${T}/user/watched`,
    relation,
    value: { type: "string", v },
    source: `${T}/agent/writer`,
    scope: "company",
    ...extra,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** One fact event as the tests compare it. */
export interface Seen {
  id: string;
  relation: string;
  scope: string;
  cursor: string;
}

/**
 * An open watch whose events are collected as they arrive. `until` resolves
 * once a predicate over them holds; `stop` ends the call; `ended` settles
 * with the error the stream ended with (undefined for a clean end).
 */
export interface OpenWatch {
  readonly events: Seen[];
  readonly heartbeats: number;
  /** Resolves once the watch is live (its first heartbeat follows the replay): writes after it are seen. */
  live(): Promise<void>;
  until(check: (events: Seen[]) => boolean): Promise<void>;
  stop(): void;
  readonly ended: Promise<unknown>;
}

export function watch(client: Client<typeof FactService>, req: Partial<WatchFactsRequest>): OpenWatch {
  const controller = new AbortController();
  const events: Seen[] = [];
  let heartbeats = 0;
  const waiters = new Set<() => void>();
  let done = false;
  const notify = (): void => {
    for (const w of waiters) w();
  };
  const ended = (async (): Promise<unknown> => {
    try {
      for await (const m of client.watchFacts(req, { signal: controller.signal })) {
        if (m.kind.case === "heartbeat") heartbeats += 1;
        if (m.kind.case === "factEvent") {
          const f = m.kind.value.fact!;
          events.push({ id: f.id, relation: f.relation, scope: f.scope, cursor: m.kind.value.cursor });
        }
        notify();
      }
      return undefined;
    } catch (e) {
      return e;
    } finally {
      done = true;
      notify();
    }
  })();
  return {
    events,
    get heartbeats() {
      return heartbeats;
    },
    live() {
      return this.until(() => heartbeats > 0);
    },
    until: (check) =>
      new Promise<void>((resolve, reject) => {
        const test = (): void => {
          if (check(events)) {
            waiters.delete(test);
            resolve();
          } else if (done) {
            waiters.delete(test);
            void ended.then((e) => reject(new Error(`the stream ended first: ${String(e)}`)));
          }
        };
        waiters.add(test);
        test();
      }),
    stop: () => controller.abort(),
    ended,
  };
}
