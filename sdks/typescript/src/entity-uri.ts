/**
 * Entity URIs as the node stores them (protocol.md §3): `type:id`, or the
 * formal `stigmem://authority/type/id`, normalized by the node's own rule
 * (the same code, from its pure core) so what you build is what you query.
 *
 * @module
 */
import { CoreError } from "../../../src/core/errors.js";
import { normalizeEntityUri } from "../../../src/core/normalize-uri.js";
import { pyStrip } from "../../../src/core/whitespace.js";

export { normalizeEntityUri };

/**
 * Builds a normalized entity URI: `type:id`, or with `authority` the formal
 * form. Whitespace runs in the id become `-`, text is lower-cased.
 *
 * @throws CoreError `invalid_entity_uri` when a part is empty.
 * @example
 * entityUri("user", "Alice Smith"); // "user:alice-smith"
 * entityUri("user", "Alice", { authority: "acme.example" }); // "stigmem://acme.example/user/alice"
 */
export function entityUri(type: string, id: string, opts: { authority?: string } = {}): string {
  if (pyStrip(type) === "" || pyStrip(id) === "") throw new CoreError("invalid_entity_uri", "entity", "type and id must not be empty");
  const raw = opts.authority === undefined ? `${type}:${id}` : `stigmem://${opts.authority}/${type}/${id}`;
  return normalizeEntityUri(raw);
}
