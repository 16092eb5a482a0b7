/**
 * The fact-writing shorthand of the recall, card and intent tests: a string
 * value unless an object is given, scope `company`, asserted to be created.
 *
 * @module
 */
import { expect } from "vitest";
import type { RestClient } from "./rest-client.js";

export type PutFact = (entity: string, relation: string, v: unknown, extra?: Record<string, unknown>) => Promise<any>;

/** `client` is read on each call, so it may be assigned in a `beforeAll` after this is created. */
export function factPutter(client: () => RestClient, source: string): PutFact {
  return async (entity, relation, v, extra = {}) => {
    const value = typeof v === "object" && v !== null ? v : { type: "string", v };
    const res = await client().post("/v1/facts", { entity, relation, value, source, scope: "company", ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
}
