/**
 * JSON-Schema validators built from an OpenAPI 3.1 description: the stigmem
 * 0.9 reference node's (`../shared/reference/stigmem-0.9-openapi.json`, read
 * at test time, never copied into the project) or our own contract.
 *
 * Used by the wire-compatibility test: our REST responses must satisfy the
 * reference's schema of the same route, and the request bodies we send
 * (shaped as the reference's clients send them) must satisfy the reference's
 * request schema. "We may add fields; we never remove, rename or re-type one"
 * (protocol.md §1) becomes, for every schema:
 *
 * - **extra fields are allowed**: `additionalProperties: false` is dropped,
 *   and a typed `additionalProperties` next to declared `properties` no longer
 *   constrains our additions;
 * - **a missing field fails**: `required` is kept, and for success responses
 *   ({@link ResponseOptions.requireDeclared}, the default for 2xx) every
 *   declared property is required too, because the reference serializes every
 *   field of its response models (FastAPI's default), so a client may rely on
 *   each of them being present;
 * - **a type mismatch fails**: types, enums and nullability are kept as the
 *   reference declares them.
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import * as ajvFormats from "ajv-formats";
import YAML from "yaml";
import { projectFile } from "../../src/project-root.js";

/** Where the reference description is looked for; `STIGMEM_REFERENCE_OPENAPI` overrides. */
export const REFERENCE_OPENAPI_FILE =
  process.env.STIGMEM_REFERENCE_OPENAPI ??
  path.resolve(projectFile(), "..", "shared", "reference", "stigmem-0.9-openapi.json");

/** Our own REST contract. */
export const OUR_OPENAPI_FILE = projectFile("openapi", "stigmem.yaml");

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** A compiled check of one body against one schema. */
export interface BodyValidator {
  /** What is checked, for messages: `reference POST /v1/facts 201`. */
  readonly label: string;
  /** Problems found, one line each (`/facts/0/value: must have required property 'type'`); empty when valid. */
  check(body: unknown): string[];
}

export interface ResponseOptions {
  /**
   * Require every declared property of every object schema, not only the
   * listed `required` ones. Defaults to true for 2xx responses of the
   * reference (it always emits every field) and false otherwise.
   */
  requireDeclared?: boolean;
  /**
   * For a top-level map schema (`additionalProperties: <schema>` and no
   * `properties`, e.g. the reference's `dict[str, str]` doctor answer): the
   * fields the reference is known to emit. They become required and keep the
   * map's value type; any other field is an addition of ours and is free.
   */
  knownFields?: readonly string[];
}

const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

/** Validators over one OpenAPI document. */
export class OpenApiSchemas {
  /** Plain (relaxed) and "every declared property required" compilers, each holding the whole document. */
  private readonly plain: Ajv2020;
  private readonly strict: Ajv2020;
  private readonly docId: string;
  private readonly cache = new Map<string, BodyValidator>();

  private constructor(
    /** `reference` or `ours`, used in messages. */
    readonly name: string,
    /** The file the document came from. */
    readonly file: string,
    private readonly doc: JsonObject,
    /** Whether 2xx responses default to `requireDeclared`. */
    private readonly emitsEveryField: boolean,
  ) {
    this.docId = `urn:stigmem-openapi:${name}`;
    const relaxed = relax(structuredClone(doc));
    this.plain = newAjv();
    this.plain.addSchema(relaxed as object, this.docId);
    this.strict = newAjv();
    this.strict.addSchema(requireDeclared(structuredClone(relaxed)) as object, this.docId);
  }

  /** Loads an OpenAPI 3.1 document (JSON or YAML). */
  static load(name: string, file: string, opts: { emitsEveryField: boolean }): OpenApiSchemas {
    const text = readFileSync(file, "utf8");
    const doc = (file.endsWith(".json") ? JSON.parse(text) : YAML.parse(text)) as JsonObject;
    if (typeof doc.openapi !== "string" || !doc.openapi.startsWith("3.1")) {
      throw new Error(`${file}: expected an OpenAPI 3.1 document, found openapi=${JSON.stringify(doc.openapi)}`);
    }
    return new OpenApiSchemas(name, file, doc, opts.emitsEveryField);
  }

  /** The version the document describes (`info.version`). */
  get version(): string {
    const info = this.doc.info as JsonObject | undefined;
    return typeof info?.version === "string" ? info.version : "?";
  }

  /** Whether the document has `method path` (path as a template, e.g. `/v1/facts/{fact_id}`). */
  hasOperation(method: string, pathTemplate: string): boolean {
    return this.operation(method, pathTemplate) !== undefined;
  }

  /** Status codes the document declares for `method path`. */
  responseStatuses(method: string, pathTemplate: string): string[] {
    const op = this.operation(method, pathTemplate);
    return op === undefined ? [] : Object.keys((op.responses as JsonObject | undefined) ?? {});
  }

  /**
   * Validator of the JSON response body of `method path` with `status`.
   * @throws when the document does not describe that response with a JSON body.
   */
  response(method: string, pathTemplate: string, status: number, opts: ResponseOptions = {}): BodyValidator {
    const strict = opts.requireDeclared ?? (this.emitsEveryField && status >= 200 && status < 300);
    const key = `res ${method} ${pathTemplate} ${status} ${strict} ${opts.knownFields?.join(",") ?? ""}`;
    return this.cached(key, () => {
      const op = this.mustOperation(method, pathTemplate);
      const responses = (op.responses as JsonObject | undefined) ?? {};
      const statusKey = [String(status), `${String(status)[0]}XX`, "default"].find((k) => k in responses);
      if (statusKey === undefined) {
        throw new Error(
          `${this.name} ${method.toUpperCase()} ${pathTemplate} declares no ${status} response (has ${Object.keys(responses).join(", ")})`,
        );
      }
      const pointer = ["paths", pathTemplate, method.toLowerCase(), "responses", statusKey, "content", "application/json", "schema"];
      let schema = this.at(pointer, `${this.name} ${method.toUpperCase()} ${pathTemplate} ${statusKey} has no application/json schema`);
      schema = this.absolutize(schema);
      if (opts.knownFields !== undefined) schema = pinKnownFields(schema, opts.knownFields, this.resolveLocal(schema));
      return this.compile(`${this.name} ${method.toUpperCase()} ${pathTemplate} ${status}`, schema, strict);
    });
  }

  /**
   * Validator of the JSON request body of `method path`.
   * @throws when the operation takes no JSON body.
   */
  request(method: string, pathTemplate: string): BodyValidator {
    return this.cached(`req ${method} ${pathTemplate}`, () => {
      this.mustOperation(method, pathTemplate);
      const pointer = ["paths", pathTemplate, method.toLowerCase(), "requestBody", "content", "application/json", "schema"];
      const schema = this.at(pointer, `${this.name} ${method.toUpperCase()} ${pathTemplate} takes no application/json body`);
      return this.compile(`${this.name} ${method.toUpperCase()} ${pathTemplate} request`, this.absolutize(schema), false);
    });
  }

  /**
   * Validator of a schema written by the caller. `{ $ref: schemas.component("FactRecord") }`
   * inside it points into this document.
   */
  custom(label: string, schema: object, opts: { requireDeclared?: boolean } = {}): BodyValidator {
    return this.compile(`${this.name} ${label}`, relax(structuredClone(schema) as Json), opts.requireDeclared ?? false);
  }

  /** An absolute `$ref` to `#/components/schemas/<name>` of this document, for {@link custom}. */
  component(name: string): string {
    const schemas = ((this.doc.components as JsonObject | undefined)?.schemas as JsonObject | undefined) ?? {};
    if (!(name in schemas)) throw new Error(`${this.name}: no component schema ${name}`);
    return `${this.docId}#/components/schemas/${name}`;
  }

  private operation(method: string, pathTemplate: string): JsonObject | undefined {
    const m = method.toLowerCase();
    if (!(HTTP_METHODS as readonly string[]).includes(m)) return undefined;
    const item = (this.doc.paths as JsonObject | undefined)?.[pathTemplate] as JsonObject | undefined;
    const op = item?.[m];
    return op !== undefined && op !== null && typeof op === "object" && !Array.isArray(op) ? op : undefined;
  }

  private mustOperation(method: string, pathTemplate: string): JsonObject {
    const op = this.operation(method, pathTemplate);
    if (op === undefined) throw new Error(`${this.name} (${this.file}) has no operation ${method.toUpperCase()} ${pathTemplate}`);
    return op;
  }

  private at(pointer: string[], missing: string): Json {
    let node: Json | undefined = this.doc;
    for (const part of pointer) {
      node = node !== null && typeof node === "object" && !Array.isArray(node) ? node[part] : undefined;
      if (node === undefined) throw new Error(missing);
    }
    return node;
  }

  /** Rewrites local `#/...` refs of a fragment so they point into the registered document. */
  private absolutize(schema: Json): Json {
    return mapRefs(structuredClone(schema), (ref) => (ref.startsWith("#") ? this.docId + ref : ref));
  }

  /** Follows one absolute ref into this document (for {@link pinKnownFields}). */
  private resolveLocal(schema: Json): Json {
    if (schema !== null && typeof schema === "object" && !Array.isArray(schema) && typeof schema.$ref === "string") {
      const ref = schema.$ref;
      if (ref.startsWith(`${this.docId}#/`)) {
        const parts = ref.slice(this.docId.length + 2).split("/").map((p) => decodeURIComponent(p).replace(/~1/g, "/").replace(/~0/g, "~"));
        return this.at(parts, `${this.name}: dangling $ref ${ref}`);
      }
    }
    return schema;
  }

  private compile(label: string, schema: Json, strict: boolean): BodyValidator {
    const ajv = strict ? this.strict : this.plain;
    const prepared = strict ? requireDeclared(relax(structuredClone(schema))) : relax(structuredClone(schema));
    let validate: ValidateFunction;
    try {
      validate = ajv.compile(prepared as object);
    } catch (e) {
      throw new Error(`${label}: cannot compile schema: ${(e as Error).message}`, { cause: e });
    }
    return {
      label,
      check: (body: unknown) => (validate(body) ? [] : formatErrors(validate.errors ?? [])),
    };
  }

  private cached(key: string, make: () => BodyValidator): BodyValidator {
    let v = this.cache.get(key);
    if (v === undefined) {
      v = make();
      this.cache.set(key, v);
    }
    return v;
  }
}

/** What {@link loadReferenceSchemas} found. */
export type ReferenceLookup =
  | { readonly present: true; readonly schemas: OpenApiSchemas; readonly file: string }
  | { readonly present: false; readonly file: string; readonly message: string };

/**
 * Loads the reference description. Absent (a user's fresh clone) is reported,
 * not thrown, so the caller can skip — or fail when `CI` is set.
 */
export function loadReferenceSchemas(file = REFERENCE_OPENAPI_FILE): ReferenceLookup {
  if (!existsSync(file)) {
    return {
      present: false,
      file,
      message: `reference OpenAPI description not found at ${file}; the wire-compatibility checks need ../shared/reference/ (CI requires it)`,
    };
  }
  return { present: true, file, schemas: OpenApiSchemas.load("reference", file, { emitsEveryField: true }) };
}

/** Our own contract, `openapi/stigmem.yaml` (`required` as written there). */
export function loadOurSchemas(): OpenApiSchemas {
  return OpenApiSchemas.load("ours", OUR_OPENAPI_FILE, { emitsEveryField: false });
}

function newAjv(): Ajv2020 {
  // strict: false — OpenAPI documents carry keywords JSON Schema does not know (example, discriminator, …).
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  const addFormats = (ajvFormats as unknown as { default: (a: Ajv2020) => Ajv2020 }).default;
  addFormats(ajv);
  return ajv;
}

function formatErrors(errors: ErrorObject[]): string[] {
  return errors.map((e) => {
    const where = e.instancePath === "" ? "(body)" : e.instancePath;
    const extra =
      e.keyword === "required" || e.keyword === "type" || e.keyword === "enum" || e.keyword === "const"
        ? ` ${JSON.stringify(e.params)}`
        : "";
    return `${where}: ${e.message ?? e.keyword}${extra}`;
  });
}

function isObject(x: Json | undefined): x is JsonObject {
  return x !== null && x !== undefined && typeof x === "object" && !Array.isArray(x);
}

/** Applies `f` to every `$ref` string, in place. */
function mapRefs(node: Json, f: (ref: string) => string): Json {
  if (Array.isArray(node)) {
    node.forEach((x) => mapRefs(x, f));
  } else if (isObject(node)) {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") node[k] = f(v);
      else mapRefs(v, f);
    }
  }
  return node;
}

/**
 * Our additions may add fields: drop `additionalProperties: false`, and a
 * typed `additionalProperties` beside declared `properties` (the declared ones
 * are the reference's fields; anything else is ours). In place.
 */
function relax(node: Json): Json {
  if (Array.isArray(node)) {
    node.forEach(relax);
  } else if (isObject(node)) {
    if (isObject(node.properties) && node.additionalProperties !== undefined && node.additionalProperties !== true) {
      delete node.additionalProperties;
    }
    if (node.additionalProperties === false) delete node.additionalProperties;
    if (node.unevaluatedProperties === false) delete node.unevaluatedProperties;
    for (const v of Object.values(node)) relax(v);
  }
  return node;
}

/** Every declared property becomes required, in every object schema. In place. */
function requireDeclared(node: Json): Json {
  if (Array.isArray(node)) {
    node.forEach(requireDeclared);
  } else if (isObject(node)) {
    if (isObject(node.properties) && Object.values(node.properties).every(isSchemaLike)) {
      const required = new Set(Array.isArray(node.required) ? node.required.filter((r) => typeof r === "string") : []);
      for (const k of Object.keys(node.properties)) required.add(k);
      node.required = [...required];
    }
    for (const v of Object.values(node)) requireDeclared(v);
  }
  return node;
}

function isSchemaLike(x: Json): boolean {
  return typeof x === "boolean" || isObject(x);
}

/**
 * Turns a map schema (`additionalProperties: S`, no `properties`) into an
 * object whose `knownFields` are required and of type S, with any other field
 * free.
 */
function pinKnownFields(schema: Json, knownFields: readonly string[], resolved: Json): Json {
  if (!isObject(resolved) || isObject(resolved.properties) || !isObject(resolved.additionalProperties)) {
    throw new Error(`knownFields applies to a map schema (additionalProperties: <schema>), not to ${JSON.stringify(resolved)}`);
  }
  const valueSchema = resolved.additionalProperties;
  const { additionalProperties: _dropped, ...rest } = resolved;
  void _dropped;
  void schema;
  return {
    ...rest,
    properties: Object.fromEntries(knownFields.map((f) => [f, valueSchema])),
    required: [...knownFields],
  };
}
