/**
 * The fact and conflict services over Connect (binary, h2c) and gRPC: the
 * same use cases as REST, the same validation, errors with stable reasons.
 */
import { create } from "@bufbuild/protobuf";
import { NullValue } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ErrorInfoSchema } from "../../gen/proto/google/rpc/error_details_pb.js";
import { ConflictService, ConflictStatus } from "../../gen/proto/stigmem/v1/conflicts_pb.js";
import { FactState, FactValueSchema, InterpretAs, ValueType } from "../../gen/proto/stigmem/v1/fact_pb.js";
import { AssertFactRequestSchema, BatchItemStatus, FactService } from "../../gen/proto/stigmem/v1/facts_pb.js";
import { qs, RestClient } from "../helpers/rest-client.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

let node: TestNode;
let facts: ReturnType<typeof createClient<typeof FactService>>;
let conflicts: ReturnType<typeof createClient<typeof ConflictService>>;
beforeAll(async () => {
  node = await startTestNode();
  const transport = createConnectTransport({ baseUrl: node.url, httpVersion: "2", useBinaryFormat: true });
  facts = createClient(FactService, transport);
  conflicts = createClient(ConflictService, createGrpcTransport({ baseUrl: node.url }));
});
afterAll(async () => {
  await node.stop();
});

const entity = "stigmem://testnode/user/connect";
function req(value: Parameters<typeof create<typeof FactValueSchema>>[1], extra: Record<string, unknown> = {}) {
  return create(AssertFactRequestSchema, {
    entity,
    relation: "memory:role",
    value: create(FactValueSchema, value),
    source: "stigmem://testnode/agent/test",
    scope: "company",
    ...extra,
  });
}

async function errorOf(p: Promise<unknown>): Promise<ConnectError> {
  return p.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => ConnectError.from(e),
  );
}

describe("FactService", () => {
  it("asserts, deduplicates and reads back a fact, agreeing with REST", async () => {
    const a = await facts.assertFact(req({ type: ValueType.STRING, v: { case: "stringValue", value: "engineer" } }));
    expect(a.deduplicated).toBe(false);
    expect(a.fact?.cid).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(a.fact?.state).toBe(FactState.CURRENT);
    const again = await facts.assertFact(req({ type: ValueType.STRING, v: { case: "stringValue", value: "engineer" } }));
    expect(again.deduplicated).toBe(true);
    expect(again.fact?.id).toBe(a.fact?.id);
    const rest = await new RestClient(node.url).get(`/v1/facts/${a.fact?.id}`);
    expect(rest.body.cid).toBe(a.fact?.cid);
    const got = await facts.getFact({ id: a.fact!.cid });
    expect(got.fact?.id).toBe(a.fact?.id);
  });

  it("carries numbers, booleans and nulls with their canonical value_v", async () => {
    const n = await facts.assertFact(req({ type: ValueType.NUMBER, v: { case: "numberValue", value: 1e-5 } }, { relation: "memory:n" }));
    expect(n.fact?.value?.v).toEqual({ case: "numberValue", value: 1e-5 });
    expect(n.fact?.value?.valueV).toBe("1e-05");
    const b = await facts.assertFact(req({ type: ValueType.BOOLEAN, v: { case: "boolValue", value: true } }, { relation: "memory:b" }));
    expect(b.fact?.value?.valueV).toBe("true");
    const z = await facts.assertFact(
      req({ type: ValueType.NULL, v: { case: "nullValue", value: NullValue.NULL_VALUE } }, { relation: "memory:z" }),
    );
    expect(z.fact?.value?.v.case).toBe("nullValue");
    expect(z.fact?.value?.interpretAs).toBe(InterpretAs.CONTENT);
  });

  it("queries with paging and the true total", async () => {
    const page = await facts.queryFacts({ entity, limit: 2 });
    expect(Number(page.total)).toBe(4);
    expect(page.facts).toHaveLength(2);
    const rest = await facts.queryFacts({ entity, limit: 2, cursor: page.cursor });
    expect(rest.facts).toHaveLength(2);
    expect(rest.cursor).toBeUndefined();
    expect(new Set([...page.facts, ...rest.facts].map((f) => f.id)).size).toBe(4);
  });

  it("refuses bad input with InvalidArgument and the field violations", async () => {
    const err = await errorOf(facts.assertFact(req({ type: ValueType.UNSPECIFIED }, { scope: "universe" })));
    expect(err.code).toBe(Code.InvalidArgument);
    expect(err.findDetails(ErrorInfoSchema)[0]?.reason).toBe("validation_error");
    const tooBig = await errorOf(
      facts.assertFact(req({ type: ValueType.TEXT, v: { case: "stringValue", value: "x".repeat(70_000) } })),
    );
    expect(tooBig.findDetails(ErrorInfoSchema)[0]?.reason).toBe("value_too_large");
    const missing = await errorOf(facts.getFact({ id: "00000000-0000-4000-8000-000000000000" }));
    expect(missing.code).toBe(Code.NotFound);
  });

  it("runs batches with per-item results", async () => {
    const res = await facts.batchAssertFacts({
      facts: [
        req({ type: ValueType.STRING, v: { case: "stringValue", value: "a" } }, { relation: "memory:b1" }),
        req({ type: ValueType.STRING, v: { case: "stringValue", value: "b" } }, { relation: "memory:b2", scope: "nowhere" }),
      ],
    });
    expect(res.accepted).toBe(1);
    expect(res.results.map((r) => r.status)).toEqual([BatchItemStatus.ACCEPTED, BatchItemStatus.REJECTED]);
    expect(res.results[1]?.error).toBe("validation_error");
  });
});

describe("ConflictService over gRPC", () => {
  it("lists and resolves a conflict with a new value", async () => {
    await facts.assertFact(
      req({ type: ValueType.STRING, v: { case: "stringValue", value: "cto" } }, { source: "agent:other" }),
    );
    const list = await conflicts.listConflicts({ status: ConflictStatus.UNRESOLVED });
    expect(list.conflicts).toHaveLength(1);
    const c = list.conflicts[0]!;
    expect(c.factA?.contradicted).toBe(true);
    const res = await conflicts.resolveConflict({
      conflictId: c.conflictId,
      resolution: { case: "newValue", value: create(FactValueSchema, { type: ValueType.STRING, v: { case: "stringValue", value: "vp" } }) },
      resolutionNote: "both were wrong",
    });
    expect(res.conflictStatus).toBe(ConflictStatus.RESOLVED);
    const view = await new RestClient(node.url).get(`/v1/facts${qs({ entity, relation: "memory:role" })}`);
    expect(view.body.facts.map((f: any) => f.value.v)).toEqual(["vp"]);
    const again = await errorOf(conflicts.resolveConflict({ conflictId: c.conflictId, resolution: { case: "winningFactId", value: c.factA!.id } }));
    expect(again.code).toBe(Code.FailedPrecondition);
    expect(again.findDetails(ErrorInfoSchema)[0]?.reason).toBe("conflict_already_resolved");
  });
});
