/**
 * Breaking differences between two OpenAPI documents, as api-smart-diff
 * classifies them (it knows requests from responses: a new optional response
 * field is fine, a new required input is not). Chosen over the alternatives
 * on npm: oasdiff is not published there, openapi-diff handles OpenAPI 3.0
 * only (our document is 3.1), @pb33f/openapi-changes downloads a Go binary at
 * install, and Optic's CLI is no longer maintained.
 *
 * @module
 */
import { apiDiff } from "api-smart-diff";

/**
 * One line per breaking difference, components first (a schema change also
 * shows wherever the schema is inlined), at most `limit` lines.
 */
export function openApiBreaks(before, after, limit = 20) {
  // info.version moves with every release; it is not part of what clients rely on.
  const b = { ...before, info: { ...before.info, version: after.info?.version } };
  const breaking = apiDiff(b, after).filter((d) => d.type === "breaking");
  const own = breaking.filter((d) => d.path[0] === "components");
  const rest = breaking.filter((d) => d.path[0] !== "components");
  return [...own, ...rest].slice(0, limit).map((d) => `${d.action} ${d.path.join(".")}${d.description ? ` (${d.description})` : ""}`);
}
