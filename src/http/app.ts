import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Express } from 'express';
import type { HttpDeps } from './deps.js';
import { errorHandler, sendError } from './errors.js';
import { agentRoutes } from './routes/agents.js';
import { attachmentRoutes } from './routes/attachments.js';
import { authRoutes } from './routes/auth.js';
import { channelRoutes } from './routes/channels.js';
import { conversationRoutes } from './routes/conversations.js';
import { eventRoutes } from './routes/events.js';
import { openapiRoutes } from './routes/openapi.js';
import { opsRoutes } from './routes/ops.js';
import { staticRoutes } from './routes/static.js';
import { webhookHandler } from './routes/webhooks.js';
import { widgetRoutes } from './routes/widget.js';
import { inboxRoutes } from './routes/inbox.js';

/**
 * Builds the HTTP app; never listens (STYLE §3). Widget routes come first and parse only what
 * they need, before the API's JSON parser; platform webhooks never reach it (createHttpHandler).
 */
export function createApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy);
  app.set('etag', false);
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    next();
  });
  app.use(opsRoutes(deps));
  app.use(widgetRoutes(deps));
  app.use(staticRoutes());
  const json = express.json({ limit: '256kb', strict: true, type: ['application/json', 'application/*+json'] });
  // Uploads carry raw bytes of any type (a .json file too), so they skip the JSON parser.
  app.use('/api', (req, res, next) => (req.path === '/attachments' ? next() : json(req, res, next)));
  app.use(authRoutes(deps));
  app.use(agentRoutes(deps));
  app.use(channelRoutes(deps));
  app.use(conversationRoutes(deps));
  app.use(attachmentRoutes(deps));
  app.use(eventRoutes(deps));
  app.use(openapiRoutes());
  app.use(inboxRoutes());
  app.use((req, res) => sendError(res, 404, 'not_found', `no route for ${req.method} ${req.path}`));
  app.use(errorHandler(deps.logger));
  return app;
}

/** What the HTTP server runs: platform webhooks first, without express; everything else the app. */
export function createHttpHandler(deps: HttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const app = createApp(deps);
  const webhooks = webhookHandler(deps, deps.logger);
  return (req, res) => {
    if (!webhooks(req, res)) app(req, res);
  };
}
