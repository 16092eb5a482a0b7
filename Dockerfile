# syntax=docker/dockerfile:1
# Stigmem node image. Build: docker build -t stigmem-node .
# Run:  docker run -p 8765:8765 -v stigmem-data:/data stigmem-node
# (the admin key is printed once on first start and kept in /data/bootstrap-admin.key)

ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: compile better-sqlite3 from source and the TypeScript, then drop dev dependencies
FROM ${NODE_IMAGE} AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
# The TypeScript SDK is a workspace: npm ci links it, the build compiles it, and the CLI and /mcp use it.
COPY sdks/typescript/package.json ./sdks/typescript/package.json
# No install scripts yet (prepare needs the sources). better-sqlite3 is compiled here:
# no prebuilt binary is downloaded, and node-gyp uses the image's own Node headers.
ENV npm_config_build_from_source=true \
    npm_config_nodedir=/usr/local
RUN npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3 --build-from-source
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY gen ./gen
COPY src ./src
COPY openapi ./openapi
COPY sdks/typescript/tsconfig.json ./sdks/typescript/tsconfig.json
COPY sdks/typescript/src ./sdks/typescript/src
RUN node scripts/build.mjs \
 && npm prune --omit=dev --ignore-scripts --no-audit --no-fund

# --- runtime: the built node, as an unprivileged user, data on a volume
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    STIGMEM_HOST=0.0.0.0 \
    STIGMEM_PORT=8765 \
    STIGMEM_DATA_DIR=/data
WORKDIR /app
COPY --from=build /src/package.json ./package.json
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/openapi ./openapi
COPY --from=build /src/sdks/typescript/package.json ./sdks/typescript/package.json
COPY --from=build /src/sdks/typescript/dist ./sdks/typescript/dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8765
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.STIGMEM_PORT || 8765) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["serve"]
