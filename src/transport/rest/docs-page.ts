/**
 * `/docs`: the REST contract rendered by Swagger UI, served entirely from
 * the `swagger-ui-dist` package so it works offline and behind firewalls.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { FastifyInstance } from "fastify";

const require = createRequire(import.meta.url);
const DIST = path.dirname(require.resolve("swagger-ui-dist/package.json"));

/** Files of swagger-ui-dist the page needs, with their content types. */
const ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "application/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

/** The HTML of the docs page; the initializer is a separate file so a strict CSP can allow 'self' only. */
export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Stigmem node API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/init.js"></script>
</body>
</html>
`;

const INIT_JS = `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });\n`;

/** Registers `/docs/assets/*`. The `/docs` page itself is a contract operation. */
export function registerDocsAssets(app: FastifyInstance): void {
  const cache = new Map<string, Buffer>();
  app.get("/docs/assets/:file", async (req, reply) => {
    const file = (req.params as { file: string }).file;
    if (file === "init.js") return reply.type("application/javascript; charset=utf-8").send(INIT_JS);
    const type = ASSETS[file];
    if (type === undefined) return reply.code(404).send({ detail: { code: "not_found", message: "no such asset" } });
    let body = cache.get(file);
    if (body === undefined) {
      body = readFileSync(path.join(DIST, file));
      cache.set(file, body);
    }
    return reply.type(type).header("cache-control", "public, max-age=86400").send(body);
  });
}
