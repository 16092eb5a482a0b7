/**
 * The SDK's verification helpers agree with the node byte for byte: the
 * protocol's CID known answers (protocol.md §4), fact-chain links computed
 * with the reference algorithm in Python (§11), the CIDs of facts the node
 * stored, and the head of its fact chain as `Stigmem-Verify: full` reports
 * it over every transport. A tampered fact, and a tampered, reordered or
 * shortened chain, are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  computeFactCid,
  entityUri,
  value,
  verifyChainProof,
  verifyFactCid,
  type ChainProof,
  type Fact,
  type StigmemClient,
} from "../../sdks/typescript/src/public-api.js";
import { chainLinkHash } from "../../sdks/typescript/src/verify/index.js";
import type { TestNode } from "../helpers/test-node.js";
import { clientOf, startSdkNode, TRANSPORTS } from "./sdk-node.js";

const E = "stigmem://testnode/user/alice";
const S = "stigmem://testnode/agent/test";

describe("computeFactCid: the known answers of protocol.md §4", () => {
  it.each([
    [{ entity: "user:alice", relation: "memory:role", value: value.string("CEO"), source: "agent:test", scope: "company" }, "sha256:400749bdb74040c90e5f8eb02d3c4e60c1619259c02e9bfeeda8708a8d5fc159"],
    [{ entity: E, relation: "memory:role", value: value.string("engineer"), source: S, scope: "company" }, "sha256:7f142e3a82d8ed778c41988049abe6b73a66cea69109a790dc2935392f0a42a7"],
    [{ entity: E, relation: "memory:gone", value: value.null(), source: S, scope: "local" }, "sha256:9b8d6da99968274c38f637d28c46fc6eb64f8957e1c55f506d399e4cc13fd080"],
    [{ entity: E, relation: "memory:age", value: value.number(42), source: S, scope: "local" }, "sha256:47c15a55226a4dfe37b8e0bcc81e2400791fcee02b7964b709053b1188a7ae44"],
    [{ entity: E, relation: "memory:name", value: value.string("Zoë"), source: S, scope: "local", confidence: 1e-5 }, "sha256:8667f07e6a8b7bfa843a955b2f202f0b5df94e73fa40af936dc49c1957072484"],
  ])("%o", (fields, cid) => {
    expect(computeFactCid(fields)).toBe(cid);
  });

  it("normalizes entity and source as the node does on write", () => {
    const plain = computeFactCid({ entity: E, relation: "memory:role", value: value.string("engineer"), source: S, scope: "company" });
    expect(computeFactCid({ entity: " STIGMEM://TestNode/User/Alice", relation: "memory:role", value: value.string("engineer"), source: S, scope: "company" })).toBe(plain);
    expect(entityUri("user", "Alice", { authority: "TestNode" })).toBe(E);
    expect(entityUri("User", "Alice Smith")).toBe("user:alice-smith");
    expect(() => entityUri("user", "  ")).toThrow(/empty/);
  });
});

describe("chainLinkHash: links computed with the reference algorithm in Python", () => {
  it("matches json.dumps(sort_keys, compact, ensure_ascii=False) + SHA-256 for two links", () => {
    const common = { entity: "user:alice", relation: "memory:role", scope: "company", source: "agent:test", value_type: "string" };
    const first = chainLinkHash(
      { ...common, chain_seq: 1, id: "00000000-0000-4000-8000-000000000001", cid: "sha256:400749bdb74040c90e5f8eb02d3c4e60c1619259c02e9bfeeda8708a8d5fc159", confidence: 1, value_v: "CEO", timestamp: "2026-11-21T12:00:00.000000+00:00" },
      null,
    );
    expect(first).toBe("sha256:8d40c359a798dff696ed96f5565ad7b180fdaf81d321dfa701cd28707109f487");
    const second = chainLinkHash(
      { ...common, chain_seq: 2, id: "00000000-0000-4000-8000-000000000002", cid: `sha256:${"0".repeat(64)}`, confidence: 1e-5, value_v: "Zoë", timestamp: "2026-11-21T12:00:01.000000+00:00" },
      first,
    );
    expect(second).toBe("sha256:3f1af31afcce712b9f965aca8f21363d8cdf25e87021d7ea01f6c35fb8d32cdd");
  });
});

describe("against a real node", () => {
  let node: TestNode;
  let admin: StigmemClient;
  /** Every local write, in chain order. */
  let chain: Fact[];
  beforeAll(async () => {
    node = await startSdkNode();
    admin = clientOf(node, "rest");
    const odd = [value.string("Zoë \"quoted\"\n\u0001"), value.number(1e-7), value.number(1.5e16), value.boolean(true), value.null(), value.datetime("2030-01-01T00:00:00Z")];
    for (const [i, v] of odd.entries()) await admin.facts.assert({ entity: "user:chain", relation: `memory:v${i}`, value: v, source: "agent:chain", confidence: i === 0 ? 1e-5 : 0.9 });
    await admin.facts.batch([
      { entity: "user:chain", relation: "pref:x", value: value.string("a"), source: "agent:a", scope: "company" },
      { entity: "user:chain", relation: "pref:x", value: value.string("b"), source: "agent:b", scope: "company" },
    ]);
    const open = (await admin.conflicts.list()).conflicts[0]!;
    await admin.conflicts.resolve(open.conflictId, { newValue: value.string("c"), note: "neither" });
    await admin.facts.retract({ entity: "user:chain", relation: "memory:v1", source: "agent:chain", scope: "local" });
    chain = [];
    for await (const f of admin.facts.list({ includeSuperseded: true, order: "asc" })) if (f.receivedFrom === null) chain.push(f);
  });
  afterAll(async () => {
    await node.stop();
  });

  it("computes the CID the node stored for every fact, and refuses a tampered one", async () => {
    expect(chain).toHaveLength(10);
    for (const f of chain) {
      expect(verifyFactCid(f)).toEqual({ valid: true, computedCid: f.cid, storedCid: f.cid, reason: null });
      expect(computeFactCid(f)).toBe((await admin.facts.verifyCid(f.id)).computedCid);
    }
    const f = chain[0]!;
    expect(verifyFactCid({ ...f, value: value.string("Zoe") })).toMatchObject({ valid: false, reason: "mismatch", storedCid: f.cid });
    expect(verifyFactCid({ ...f, confidence: 1 }).valid).toBe(false);
    expect(verifyFactCid({ ...f, scope: "public" }).valid).toBe(false);
    expect(verifyFactCid({ ...f, value: { type: "datetime", v: "not a date", interpretAs: "content" } })).toMatchObject({ valid: false, reason: "unhashable" });
  });

  it.each(TRANSPORTS)("re-derives the head of the node's chain proof over %s", async (transport) => {
    const r = await clientOf(node, transport).recall("chain", { verifyChain: true });
    const proof = r.chainProof;
    expect(proof).toMatchObject({ tenantId: "default", checkedEntries: 10 });
    expect(verifyChainProof(proof, chain)).toEqual({ valid: true, reason: null, computedHead: proof!.headHash });
  });

  it("refuses a tampered, reordered or shortened chain, and an inconsistent proof", async () => {
    const proof = (await admin.recall("chain", { verifyChain: true })).chainProof!;
    const tampered = chain.map((f, i) => (i === 3 ? { ...f, value: value.number(2e-7) as Fact["value"] } : f));
    expect(verifyChainProof(proof, tampered)).toMatchObject({ valid: false, reason: "head_mismatch" });
    const reordered = [chain[1]!, chain[0]!, ...chain.slice(2)];
    expect(verifyChainProof(proof, reordered)).toMatchObject({ valid: false, reason: "head_mismatch" });
    expect(verifyChainProof(proof, chain.slice(1))).toMatchObject({ valid: false, reason: "chain_length_mismatch" });
    const bad: ChainProof = { ...proof, headHash: null };
    expect(verifyChainProof(bad)).toMatchObject({ valid: false, reason: "head_hash_inconsistent" });
    expect(verifyChainProof(null)).toMatchObject({ valid: false, reason: "missing" });
    expect(verifyChainProof(proof)).toEqual({ valid: true, reason: null, computedHead: null });
  });
});
