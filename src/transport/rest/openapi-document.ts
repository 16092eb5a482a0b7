/**
 * The REST contract, `openapi/stigmem.yaml`, loaded once. The gateway builds
 * its routes from it, `/openapi.json` serves it, `/docs` renders it.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { projectFile } from "../../project-root.js";

/** The subset of an OpenAPI operation the gateway reads. */
export interface OpenApiOperation {
  operationId: string;
  tags?: string[];
  parameters?: { name: string; in: string; schema?: unknown }[];
  /** `[]` marks an open operation; absent means the document's global bearer requirement. */
  security?: unknown[];
}

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  /** Per path, per key: an operation under a method key, anything else (`parameters`, `summary`) under the others. */
  paths: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

export const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "head", "options"] as const;

let cached: { doc: OpenApiDocument; json: string } | undefined;

/** The parsed contract. */
export function openApiDocument(): OpenApiDocument {
  return load().doc;
}

/** The contract serialised as JSON, for `/openapi.json`. */
export function openApiJson(): string {
  return load().json;
}

function load(): { doc: OpenApiDocument; json: string } {
  if (cached === undefined) {
    const doc = parse(readFileSync(projectFile("openapi", "stigmem.yaml"), "utf8")) as OpenApiDocument;
    cached = { doc, json: JSON.stringify(doc) };
  }
  return cached;
}

/** One operation of the contract with its path and method. */
export interface ContractRoute {
  method: (typeof HTTP_METHODS)[number];
  path: string;
  operation: OpenApiOperation;
}

/** Every operation in the contract, in document order. */
export function contractRoutes(doc: OpenApiDocument = openApiDocument()): ContractRoute[] {
  const routes: ContractRoute[] = [];
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      const op = item[method] as OpenApiOperation | undefined;
      if (op !== undefined) routes.push({ method, path: p, operation: op });
    }
  }
  return routes;
}
