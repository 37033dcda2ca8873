import express, { Router } from 'express';
import type { WebhookRequest } from '../../channels/contract.js';
import { WebhookRejection } from '../../channels/errors.js';
import { InvalidInboundMessage, QueueUnavailable } from '../../queue/sink.js';
import type { HttpDeps } from '../deps.js';
import { sendError } from '../errors.js';

/** Platform webhooks are small; anything bigger is not from the platform. */
const WEBHOOK_LIMIT = '1mb';

/**
 * `/webhooks/:channelId` for push channels (DESIGN §7). The body stays raw bytes so adapters verify
 * signatures over exactly what was sent; the adapter answers as soon as the message is queued.
 */
export function webhookRoutes(deps: HttpDeps): Router {
  const router = Router();
  router.all('/webhooks/:channelId', express.raw({ type: () => true, limit: WEBHOOK_LIMIT }), async (req, res) => {
    const adapter = deps.adapters.get(String(req.params.channelId));
    if (!adapter?.webhook) return sendError(res, 404, 'not_found', 'no webhook channel with this id');
    const request: WebhookRequest = {
      method: req.method,
      query: Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, typeof v === 'string' ? v : undefined])),
      headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v])),
      rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
    };
    try {
      const reply = await adapter.webhook(request, deps.sink);
      res.status(reply.status);
      if (reply.contentType) res.setHeader('Content-Type', reply.contentType);
      res.end(reply.body ?? '');
    } catch (error) {
      if (error instanceof WebhookRejection) return sendError(res, error.status, 'rejected', error.message);
      if (error instanceof InvalidInboundMessage) return sendError(res, 400, 'invalid_message', error.message);
      if (error instanceof QueueUnavailable) {
        res.setHeader('Retry-After', '5');
        return sendError(res, 503, 'unavailable', 'queue unavailable, retry later');
      }
      throw error;
    }
  });
  return router;
}
