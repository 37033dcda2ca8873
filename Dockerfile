# syntax=docker/dockerfile:1
# Build stage: install everything, compile TypeScript, then drop dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY adapters ./adapters
COPY config ./config
COPY scripts ./scripts
RUN npm run build && npm prune --omit=dev

# Runtime stage: Node, the compiled code and the built inbox and widget (dist/ui); redis-server so the embedded default
# (no REDIS_URL) also works in a single container; fonts-wqy-microhei so PDF transcripts can embed a CJK font (Chinese
# renders on any reader). Runs as the unprivileged `node` user.
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server tini fonts-wqy-microhei \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown node:node /data
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY config/channels.example.yaml ./config/channels.example.yaml
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# tini forwards SIGTERM so the gateway drains its workers and stops its embedded Redis cleanly.
ENTRYPOINT ["tini", "--"]
CMD ["node", "dist/src/main.js"]
