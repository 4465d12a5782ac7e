# syntax=docker/dockerfile:1
# Build stage: compiles TypeScript and native addons with the full toolchain.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN npm install --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY proto ./proto
COPY gen ./gen
COPY src ./src
COPY bench ./bench
COPY bin ./bin
RUN npm rebuild && npm run build && npm prune --omit=dev

# Runtime stage: only the built server and its production dependencies, as a non-root user.
# It listens on every interface of the container, so it needs tokens from the environment
# (LIGHTNING_STORE_TOKEN_FILE, e.g. a mounted secret, or LIGHTNING_STORE_TOKENS), or the explicit
# LIGHTNING_STORE_INSECURE_NO_AUTH=true; with neither it refuses to start. TLS: LIGHTNING_STORE_TLS_CERT
# and LIGHTNING_STORE_TLS_KEY (the health check then speaks TLS too; README, "Security").
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    LIGHTNING_STORE_HOST=0.0.0.0 \
    LIGHTNING_STORE_PORT=4748 \
    LIGHTNING_STORE_HTTP_PORT=4747 \
    LIGHTNING_STORE_DB=/data/store.db
WORKDIR /app
RUN mkdir -p /data && chown node:node /data
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/gen ./gen
COPY --from=build --chown=node:node /app/bin ./bin
# The node image's unprivileged "node" user.
USER 1000:1000
VOLUME ["/data"]
EXPOSE 4748 4747
# The check follows LIGHTNING_STORE_PORT and uses TLS when LIGHTNING_STORE_TLS_CERT is set.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "bin/lightning-store.js", "health"]
ENTRYPOINT ["node", "bin/lightning-store.js"]
CMD ["serve"]
