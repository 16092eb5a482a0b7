/**
 * The layering of ../shared/docs/architecture.md ("dependencies point
 * downward only"), checked in CI by `npm run lint:layers`:
 *
 *   cli → server → transport, embed → node → store, federation → core
 *
 * (`federation/` holds the node's key and the guarded network reads of the
 * handshake: infrastructure the federation use cases call, like `store/`.)
 *
 * with the top-level ports (config.ts, logger.ts, version.ts,
 * project-root.ts) usable from any layer. Each rule names what it keeps out.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      comment: "Files that import each other cannot be understood, tested or moved one at a time.",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "core-is-pure",
      comment: "core/ holds the protocol's exact rules: it imports only core/ (and libraries), never I/O layers.",
      severity: "error",
      from: { path: "^src/core/" },
      to: { path: "^(src/(?!core/)|gen/)" },
    },
    {
      name: "store-below-node",
      comment: "store/ never sees a request, a use case or a transport.",
      severity: "error",
      from: { path: "^src/store/" },
      to: { path: "^(src/(node|transport|server|cli|embed|federation)/|gen/)" },
    },
    {
      name: "node-below-transports",
      comment: "node/ speaks domain types: no transport, server, CLI or embedder, no generated wire code.",
      severity: "error",
      from: { path: "^src/node/" },
      to: { path: "^(src/(transport|server|cli|embed)/|gen/)" },
    },
    {
      name: "federation-infrastructure",
      comment: "federation/ (node key, discovery fetch, SSRF guard) sits below node/: it knows only core/.",
      severity: "error",
      from: { path: "^src/federation/" },
      to: { path: "^(src/(node|store|transport|server|cli|embed)/|gen/)" },
    },
    {
      name: "adapters-not-upward",
      comment: "transport/, embed/ and federation/ sit below the server and the CLI.",
      severity: "error",
      from: { path: "^src/(transport|embed)/" },
      to: { path: "^src/(server|cli)/" },
    },
    {
      name: "transport-no-sql",
      comment: "Transports reach data through use cases, never through store/.",
      severity: "error",
      from: { path: "^src/transport/" },
      to: { path: "^src/store/" },
    },
    {
      name: "server-not-cli",
      comment: "The server is started by the CLI, never the reverse.",
      severity: "error",
      from: { path: "^src/server/" },
      to: { path: "^src/cli/" },
    },
    {
      name: "database-driver-in-store",
      comment: "Only store/ opens SQLite: everything above it goes through Storage.",
      severity: "error",
      from: { path: "^src/(?!store/)" },
      to: { path: "node_modules/(better-sqlite3|sqlite-vec)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^dist/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"] },
  },
};
