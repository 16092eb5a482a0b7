/**
 * A field that fails validation is named as the client sent it, whichever
 * transport: REST's 422 `loc` and Connect's BadRequest use the contract's
 * snake_case names, though the application names fields in camelCase.
 */
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BadRequestSchema } from "../../gen/proto/google/rpc/error_details_pb.js";
import { FactValueSchema, ValueType } from "../../gen/proto/stigmem/v1/fact_pb.js";
import { AssertFactRequestSchema, FactService } from "../../gen/proto/stigmem/v1/facts_pb.js";
import { RestClient } from "../helpers/rest-client.js";
import { startTestNode, type TestNode } from "../helpers/test-node.js";

let node: TestNode;
beforeAll(async () => {
  node = await startTestNode({ env: { STIGMEM_EMBEDDER: "none" } });
});
afterAll(async () => {
  await node.stop();
});

const fact = { entity: "user:a", relation: "memory:x", value: { type: "string", v: "y" }, source: "agent:s", scope: "company" };

describe("validation failures name the wire's fields", () => {
  it("over REST, in the 422 detail and message", async () => {
    const res = await new RestClient(node.url).post("/v1/facts", { ...fact, valid_until: "next tuesday", value: { type: "string", v: "y", interpret_as: "both" } });
    expect(res.status).toBe(422);
    expect(res.body.detail.map((d: { loc: unknown[] }) => d.loc)).toEqual(
      expect.arrayContaining([
        ["body", "valid_until"],
        ["body", "value", "interpret_as"],
      ]),
    );
    expect(res.body.message).toContain("body.valid_until");
    const query = await new RestClient(node.url).get("/v1/facts?min_confidence=abc");
    expect(query.status).toBe(422);
    expect(query.body.detail[0].loc).toEqual(["query", "min_confidence"]);
  });

  it("over Connect, in the BadRequest field violations", async () => {
    const client = createClient(FactService, createConnectTransport({ baseUrl: node.url, httpVersion: "1.1" }));
    const err = await client
      .assertFact(
        create(AssertFactRequestSchema, {
          ...fact,
          value: create(FactValueSchema, { type: ValueType.STRING, v: { case: "stringValue", value: "y" } }),
          validUntil: "next tuesday",
        }),
      )
      .then(
        () => undefined,
        (e: unknown) => ConnectError.from(e),
      );
    expect(err?.code).toBe(Code.InvalidArgument);
    expect(err?.findDetails(BadRequestSchema)[0]?.fieldViolations.map((f) => f.field)).toEqual(["body.valid_until"]);
  });
});
