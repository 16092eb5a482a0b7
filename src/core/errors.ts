/**
 * @module core/errors
 *
 * The single error type thrown by the pure domain core. The core never speaks
 * HTTP or Connect: the application layer turns a {@link CoreError} into a
 * field violation or an application error (node/validation.ts), and only
 * those reach the transports. Errors stay plain data so they survive
 * `JSON.stringify`, worker boundaries and audit `detail` fields.
 */

/**
 * The closed set of reasons core validation can fail. Closed on purpose:
 * callers can tell every reason apart, and a new one is a reviewed change.
 */
export const CORE_ERROR_CODES = [
  /** Entity/source normalized to nothing, or a formal URI with an empty part (§3). */
  "invalid_entity_uri",
  /** `value_v` above 65,536 UTF-8 bytes (§2, 413). */
  "value_too_large",
  /** `v` does not fit its value type, or a value cannot be serialized. */
  "invalid_value",
  /** `value.type` is not one of the seven value types (§2). */
  "invalid_value_type",
  /** `interpret_as` is neither `content` nor `instruction` (§2). */
  "invalid_interpret_as",
  /** Not one of local, team, company, public (§2). */
  "invalid_scope",
  /** Confidence not a finite number in [0, 1] (§2). */
  "invalid_confidence",
  /** HLC text or pair outside the §5 grammar. */
  "invalid_hlc",
  /** Not an RFC 3339 / ISO 8601 timestamp, or not representable. */
  "invalid_timestamp",
  /** A string holds an unpaired UTF-16 surrogate: it has no UTF-8 form, so no CID (§4). */
  "lone_surrogate",
  /** entity, relation or source above 2,048 UTF-8 bytes (§2). */
  "field_too_long",
] as const;

/** One of {@link CORE_ERROR_CODES}. */
export type CoreErrorCode = (typeof CORE_ERROR_CODES)[number];

/** The JSON shape of a {@link CoreError}; also what {@link isCoreError} accepts. */
export interface CoreErrorJson {
  readonly name: "CoreError";
  readonly code: CoreErrorCode;
  readonly field: string | undefined;
  readonly message: string;
}

/**
 * A validation failure in the core, naming the input `field` (dotted path such
 * as `value.v`) so transports can build a 422 `loc` without re-parsing text.
 *
 * @example
 * throw new CoreError("invalid_scope", "scope", `unknown scope "${s}"`);
 */
export class CoreError extends Error {
  /** Fixed so {@link isCoreError} works across realms and after JSON round trips. */
  override readonly name = "CoreError" as const;
  /** Why it failed; stable, machine-readable. */
  readonly code: CoreErrorCode;
  /** Which input field failed, when one is known. */
  readonly field: string | undefined;

  constructor(code: CoreErrorCode, field?: string, message?: string) {
    super(message ?? (field === undefined ? code : `${code}: ${field}`));
    this.code = code;
    this.field = field;
  }

  /** Keeps `message` (non-enumerable on Error) when serialized. */
  toJSON(): CoreErrorJson {
    return { name: this.name, code: this.code, field: this.field, message: this.message };
  }
}

const CODE_SET: ReadonlySet<string> = new Set(CORE_ERROR_CODES);

/**
 * True for a {@link CoreError} or its JSON form. Checks `name` and `code`, not
 * the prototype, so it holds across module copies and after serialization.
 */
export function isCoreError(x: unknown): x is CoreError | CoreErrorJson {
  if (typeof x !== "object" || x === null) return false;
  const r = x as { name?: unknown; code?: unknown };
  return r.name === "CoreError" && typeof r.code === "string" && CODE_SET.has(r.code);
}
