/**
 * FactService.WatchFacts against a real node over Connect: filters, resume
 * without gaps or duplicates (also while writes race the replay), the read
 * policy per event (scopes, quarantine, a key revoked mid-stream), clear
 * refusals of bad input and of a cursor from another filter or log epoch,
 * and facts that arrive by federation.
 */
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeWatchCursor } from "../../src/core/subscriptions/watch-cursor.js";
import { RestClient } from "../helpers/rest-client.js";
import type { TestNode } from "../helpers/test-node.js";
import { ADMIN_KEY, createKey, factClient, put, startWatchNode, T, watch } from "./watch-kit.js";

let node: TestNode;
beforeAll(async () => {
  node = await startWatchNode();
});
afterAll(async () => {
  await node.stop();
});

const relations = (w: { events: { relation: string }[] }): string[] => w.events.map((e) => e.relation);

describe("WatchFacts filters", () => {
  it("sends exactly the committed facts that match scope, entity and relation prefix, in feed order", async () => {
    const c = factClient(node, ADMIN_KEY);
    const byScope = watch(c, { scope: "public" });
    const byEntity = watch(c, { entity: `${T}/user/other` });
    const byPrefix = watch(c, { relationPrefix: "memory:f" });
    const all = watch(c, {});
    await Promise.all([byScope.live(), byEntity.live(), byPrefix.live(), all.live()]);
    await put(node, "memory:f1", "a");
    await put(node, "memory:g1", "b", { scope: "public" });
    await put(node, "memory:f2", "c", { entity: `${T}/user/other` });
    await put(node, "memory:f3", "d", { scope: "public", entity: `${T}/user/other` });
    await put(node, "memory:end", "e", { scope: "public", entity: `${T}/user/other` });
    const ended = (e: { relation: string }[]): boolean => e.some((x) => x.relation === "memory:end");
    await Promise.all([byScope.until(ended), byEntity.until(ended), all.until(ended)]);
    await byPrefix.until((e) => e.some((x) => x.relation === "memory:f3"));
    expect(relations(byScope)).toEqual(["memory:g1", "memory:f3", "memory:end"]);
    expect(relations(byEntity)).toEqual(["memory:f2", "memory:f3", "memory:end"]);
    expect(relations(byPrefix)).toEqual(["memory:f1", "memory:f2", "memory:f3"]);
    expect(relations(all)).toEqual(["memory:f1", "memory:g1", "memory:f2", "memory:f3", "memory:end"]);
    for (const w of [byScope, byEntity, byPrefix, all]) w.stop();
  });

  it("refuses bad filters and cursors with clear codes before streaming", async () => {
    const c = factClient(node, ADMIN_KEY);
    const codeOf = async (req: Parameters<typeof watch>[1]): Promise<[Code, string]> => {
      const e = ConnectError.from(await watch(c, req).ended);
      return [e.code, e.rawMessage];
    };
    expect((await codeOf({ scope: "galaxy" }))[0]).toBe(Code.InvalidArgument);
    expect((await codeOf({ relationPrefix: "m".repeat(3000) }))[0]).toBe(Code.InvalidArgument);
    expect((await codeOf({ cursor: "garbage" }))[0]).toBe(Code.InvalidArgument);
    // A cursor issued for other filters, and one of another log epoch of this node.
    const w = watch(c, { scope: "company" });
    await w.live();
    await put(node, "memory:cursor", "x");
    await w.until((e) => e.length > 0);
    w.stop();
    const [code, message] = await codeOf({ scope: "public", cursor: w.events[0]!.cursor });
    expect(code).toBe(Code.InvalidArgument);
    expect(message).toMatch(/other filters/);
    const alien = encodeWatchCursor({ epoch: crypto.randomUUID(), position: 1, filter: { scope: "company" } });
    const [code2, message2] = await codeOf({ scope: "company", cursor: alien });
    expect(code2).toBe(Code.InvalidArgument);
    expect(message2).toMatch(/another log/);
  });
});

describe("WatchFacts resume", () => {
  it("resumes after a cursor with nothing lost or repeated, also while writes race the replay", async () => {
    const c = factClient(node, ADMIN_KEY);
    const rel = "memory:resume";
    const first = watch(c, { relation: rel });
    await first.live();
    for (let i = 0; i < 5; i++) await put(node, rel, `v${i}`, { entity: `${T}/user/r${i}` });
    await first.until((e) => e.length === 5);
    first.stop();
    // Written while nobody watches, then more written while the resumed watch replays.
    for (let i = 5; i < 40; i++) await put(node, rel, `v${i}`, { entity: `${T}/user/r${i}` });
    const racing = (async () => {
      for (let i = 40; i < 120; i++) await put(node, rel, `v${i}`, { entity: `${T}/user/r${i}` });
    })();
    const resumed = watch(c, { relation: rel, cursor: first.events[2]!.cursor });
    await racing;
    await put(node, rel, "last", { entity: `${T}/user/last` });
    await resumed.until((e) => e.length >= 118);
    resumed.stop();
    const ids = resumed.events.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(0, 2)).toEqual(first.events.slice(3).map((e) => e.id));
    const stored = node
      .inspect()
      .prepare("SELECT id FROM facts WHERE relation = ? ORDER BY rowid")
      .pluck()
      .all(rel) as string[];
    expect(ids).toEqual(stored.slice(3));
  });
});

describe("WatchFacts read policy", () => {
  it("never sends a fact outside the key's scopes, nor a quarantined one; refuses a scope the key may not read", async () => {
    const k = await createKey(node, "company-reader", ["company"]);
    const c = factClient(node, k.key);
    const denied = ConnectError.from(await watch(c, { scope: "public" }).ended);
    expect(denied.code).toBe(Code.PermissionDenied);
    const w = watch(c, { relationPrefix: "memory:pol" });
    await w.live();
    await put(node, "memory:pol_public", "p", { scope: "public" });
    await put(node, "memory:pol_company", "c");
    await put(node, "memory:pol_end", "end");
    await w.until((e) => e.some((x) => x.relation === "memory:pol_end"));
    expect(relations(w)).toEqual(["memory:pol_company", "memory:pol_end"]);
    w.stop();
  });

  it("ends the stream when the key is revoked mid-stream, and sends nothing after", async () => {
    const k = await createKey(node, "revoked-reader", ["company"]);
    const w = watch(factClient(node, k.key), { relation: "memory:rev" });
    await w.live();
    await put(node, "memory:rev", "before");
    await w.until((e) => e.length === 1);
    const res = await new RestClient(node.url, ADMIN_KEY).request("DELETE", `/v1/auth/keys/${k.id}`);
    expect(res.status).toBe(204);
    await put(node, "memory:rev", "after");
    const e = ConnectError.from(await w.ended);
    expect(e.code).toBe(Code.Unauthenticated);
    expect(w.events).toHaveLength(1);
  });
});
