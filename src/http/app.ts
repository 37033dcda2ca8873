import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import express, { type Express } from 'express';
import type { Contract } from '../api/route.js';
import type { Implementation } from '../api/handler.js';
import { type CoreRoutes, coreRoutes } from '../api/routes.js';
import type { ChannelApi, ChannelRouteDeps } from '../channels/routes.js';
import { customerAttachment, customerConversations, customerHistory, customerUpload } from '../inbox/customers.js';
import { agentAttachmentUrl, toAttachment } from '../store/mappers.js';
import type { HttpDeps } from './deps.js';
import { errorHandler, sendError } from './errors.js';
import { type MountOptions, mount } from './implement.js';
import { requireAdmin, requireAgent } from './middleware/auth.js';
import { overLimit } from './middleware/rate-limit.js';
import { openapiDocument } from './openapi.js';
import { agentHandlers } from './routes/agents.js';
import { attachmentHandlers } from './routes/attachments.js';
import { authHandlers } from './routes/auth.js';
import { channelHandlers } from './routes/channels.js';
import { conversationHandlers } from './routes/conversations.js';
import { eventHandlers } from './routes/events.js';
import type { CoreHandlers } from './routes/handlers.js';
import { opsHandlers } from './routes/ops.js';
import { builtInbox, pageHandlers } from './routes/pages.js';
import { webhookHandler } from './routes/webhooks.js';
import { storedFile } from './uploads.js';

/** Every route declaration the app serves: the gateway's own, each channel kind's, the desk's. */
export const apiContracts = (channelApis: readonly ChannelApi[], deskApis: readonly { contract: Contract }[]): Contract[] => [
  coreRoutes,
  ...channelApis.map((api) => api.contract),
  ...deskApis.map((api) => api.contract),
];

/**
 * Builds the HTTP app; never listens (STYLE §3). Every route comes from a declaration
 * (`mount`); platform webhooks never reach express (createHttpHandler).
 */
export function createApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  app.set('etag', false);
  app.use(function securityHeaders(_req, res, next) {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    next();
  });
  const options: MountOptions = { agent: requireAgent(deps.db), admin: requireAdmin, uploadLimit: deps.attachmentMaxBytes };
  for (const api of deps.channelApis) api.mount(channelRouteDeps(deps), (implementation) => mount(app, implementation, options));
  for (const api of deps.deskApis) api.mount((implementation) => mount(app, implementation, options));
  const documentJson = JSON.stringify(openapiDocument(apiContracts(deps.channelApis, deps.deskApis)));
  const handlers: CoreHandlers = {
    ...authHandlers(deps),
    ...agentHandlers(deps),
    ...channelHandlers(deps),
    ...conversationHandlers(deps),
    ...attachmentHandlers(deps),
    ...eventHandlers(deps),
    ...opsHandlers(deps),
    ...pageHandlers(() => documentJson),
  };
  const core: Implementation<CoreRoutes> = { contract: coreRoutes, handlers, json: { limit: '256kb', beforeAuth: true } };
  mount(app, core, options);
  // The inbox's hashed build output, cached for a year (its entry page, never).
  app.use('/assets', express.static(join(builtInbox, 'assets'), { immutable: true, maxAge: '365d', index: false, fallthrough: false }));
  app.use(function notFound(req, res) {
    sendError(res, 404, 'not_found', `no route for ${req.method} ${req.path}`);
  });
  app.use(errorHandler(deps.logger));
  return app;
}

/** What a channel kind's own routes get: the customer side of the inbox, never the database. */
function channelRouteDeps(deps: HttpDeps): ChannelRouteDeps {
  return {
    adapters: deps.adapters,
    sink: deps.sink,
    secretKey: deps.secretKey,
    publicUrl: deps.publicUrl,
    attachmentMaxBytes: deps.attachmentMaxBytes,
    limit: (key, max, windowSeconds) => overLimit(deps.redis, `${deps.rateLimitPrefix}:${key}`, max, windowSeconds),
    customers: {
      history: (channelId, threadKey, page) => customerHistory(deps, channelId, threadKey, page),
      conversations: (channelId, threadKey) => customerConversations(deps, channelId, threadKey),
      async attachment(channelId, threadKey, attachmentId, scope) {
        const row = await customerAttachment(deps, channelId, threadKey, attachmentId, scope);
        return row ? storedFile(deps.attachments, row) : undefined;
      },
      upload: async (channelId, senderId, file) => toAttachment(await customerUpload(deps, channelId, senderId, file), agentAttachmentUrl),
    },
    onVisitor: (channelId, visitorId, listener) => deps.bus.onVisitor(channelId, visitorId, listener),
  };
}

/** What the HTTP server runs: platform webhooks first, without express; everything else the app. */
export function createHttpHandler(deps: HttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const app = createApp(deps);
  const webhooks = webhookHandler(deps, deps.logger);
  return (req, res) => {
    if (!webhooks(req, res)) app(req, res);
  };
}
