/**
 * @module core
 *
 * The pure domain core: protocol rules with no I/O (CID bytes, canonical JSON,
 * URI normalization, values, HLC, fact order, timestamps, limits). Every
 * export is listed by name so the public surface is reviewed, not inferred.
 */
export { asciiJson, quoteAsciiJsonString } from "./ascii-json.js";
export { canonicalJson, quoteJsonString } from "./canonical-json.js";
export { cidBody, computeCid, isCidString } from "./cid.js";
export type { CidInput } from "./cid.js";
export { compareCodePoints } from "./code-point-order.js";
export { parseConfidence } from "./confidence.js";
export { contentHash, HASH_PREFIX, sha256Tagged } from "./content-hash.js";
export { CORE_ERROR_CODES, CoreError, isCoreError } from "./errors.js";
export type { CoreErrorCode, CoreErrorJson } from "./errors.js";
export { compareFacts, laterFact } from "./fact-order.js";
export type { FactOrderKey } from "./fact-order.js";
export {
  checkSkew,
  compareHlc,
  formatHlc,
  HLC_ZERO,
  isValidHlc,
  MAX_HLC_COUNTER,
  MAX_HLC_WALL,
  maxHlc,
  parseHlc,
  receive,
  tick,
} from "./hlc.js";
export type { Hlc, SkewBounds, SkewCheck } from "./hlc.js";
export { isIsoDateTime } from "./iso-datetime.js";
export {
  DEFAULT_CONFIDENCE,
  DEFAULT_LIMIT,
  DEFAULT_MAX_FUTURE_SKEW_MS,
  DEFAULT_MAX_PAST_SKEW_MS,
  DEFAULT_PULL_LIMIT,
  DEFAULT_RECALL_DEPTH,
  DEFAULT_TOKEN_BUDGET,
  GARDEN_SLUG_PATTERN,
  isGardenSlug,
  MAX_BATCH,
  MAX_CONFIDENCE,
  MAX_DEPTH,
  MAX_FIELD_BYTES,
  MAX_LIMIT,
  MAX_TOKEN_BUDGET,
  MAX_VALUE_BYTES,
  MIN_CONFIDENCE,
  MIN_DEPTH,
  MIN_TOKEN_BUDGET,
} from "./limits.js";
export { assertNoLoneSurrogate, findLoneSurrogate } from "./lone-surrogate.js";
export { normalizeEntityUri } from "./normalize-uri.js";
export { isPyFloat, PyFloat, pyFloat } from "./py-float-value.js";
export { canonicalNumberText, pythonFloatRepr } from "./python-float.js";
export { DEFAULT_SCOPE, isScope, parseScope, SCOPES } from "./scope.js";
export type { Scope } from "./scope.js";
export { checkTextField } from "./text-field.js";
export { formatTimestamp, isRfc3339, parseRfc3339 } from "./timestamp.js";
export { utf8ByteLength } from "./utf8.js";
export {
  fromValueV,
  INTERPRET_AS,
  isValueType,
  numberValueVCandidates,
  parseInterpretAs,
  parseValueType,
  toValueV,
  VALUE_TYPES,
} from "./values.js";
export type { InterpretAs, RawValue, ValueType, ValueV } from "./values.js";
export { collapsePyWhitespace, isPyWhitespace, PY_WHITESPACE_CLASS, pyStrip } from "./whitespace.js";
