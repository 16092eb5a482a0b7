/**
 * Converts an OpenAPI path template to a fastify route path.
 *
 * - `{name}` becomes `:name`;
 * - a final parameter whose name ends in `uri` becomes the wildcard `*`,
 *   because entity URIs contain slashes (`/v1/cards/{entity_uri}` must match
 *   `/v1/cards/stigmem://x/user/alice`);
 * - a literal `:` (as in `/v1/facts:batch`) is escaped as `::`.
 *
 * @module
 */
export function toFastifyPath(template: string): { path: string; wildcardParam: string | undefined } {
  const segments = template.split("/");
  let wildcardParam: string | undefined;
  const out = segments.map((seg, i) => {
    const whole = /^\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(seg);
    if (whole !== null && i === segments.length - 1 && /uri$/i.test(whole[1]!)) {
      wildcardParam = whole[1]!;
      return "*";
    }
    return seg.replace(/:/g, "::").replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ":$1");
  });
  return { path: out.join("/"), wildcardParam };
}
