import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { WebhookRequest } from '../../channels/contract.js';
import { WebhookRejection } from '../../channels/errors.js';
import { InvalidInboundMessage, QueueUnavailable } from '../../queue/sink.js';
import type { HttpDeps } from '../deps.js';
import { sendError } from '../errors.js';

/** Platform webhooks are small; anything bigger is not from the platform. */
const WEBHOOK_LIMIT = 1024 * 1024;
const PREFIX = '/webhooks/';

/**
 * `/webhooks/:channelId` for push channels (DESIGN §7), answered before express sees the request:
 * under a burst this is the hottest path there is (Telegram alone opens 40 connections per bot),
 * and it needs none of the router, query or body parsers of the API (measured: express dispatch
 * was ~7% of the gateway's CPU per webhook). The body stays raw bytes so adapters verify
 * signatures over exactly what was sent; the adapter answers as soon as the message is queued.
 * Returns false for any other path.
 */
export function webhookHandler(deps: HttpDeps, logger: Logger): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const url = req.url ?? '';
    if (!url.startsWith(PREFIX)) return false;
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const end = url.indexOf('?');
    let channelId: string;
    try {
      channelId = decodeURIComponent(url.slice(PREFIX.length, end < 0 ? undefined : end));
    } catch {
      sendError(res, 404, 'not_found', 'no webhook channel with this id');
      return true;
    }
    const adapter = deps.adapters.get(channelId);
    if (!adapter?.webhook) {
      sendError(res, 404, 'not_found', 'no webhook channel with this id');
      return true;
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > WEBHOOK_LIMIT) {
      sendError(res, 413, 'too_large', `webhook bodies are limited to ${WEBHOOK_LIMIT} bytes`);
      return true;
    }
    readBody(req, WEBHOOK_LIMIT).then(
      async (rawBody) => {
        if (!rawBody) return sendError(res, 413, 'too_large', `webhook bodies are limited to ${WEBHOOK_LIMIT} bytes`);
        const request: WebhookRequest = { method: req.method ?? 'GET', query: queryOf(url, end), headers: flatHeaders(req), rawBody };
        try {
          const answer = await adapter.webhook!(request, deps.sink);
          res.statusCode = answer.status;
          if (answer.contentType) res.setHeader('Content-Type', answer.contentType);
          res.end(answer.body ?? '');
        } catch (error) {
          if (error instanceof WebhookRejection) return sendError(res, error.status, 'rejected', error.message);
          if (error instanceof InvalidInboundMessage) return sendError(res, 400, 'invalid_message', error.message);
          if (error instanceof QueueUnavailable) {
            res.setHeader('Retry-After', '5');
            return sendError(res, 503, 'unavailable', 'queue unavailable, retry later');
          }
          logger.error({ err: error, channel: channelId }, 'webhook failed');
          // Not acknowledged: the platform delivers it again.
          sendError(res, 500, 'internal', 'internal error');
        }
      },
      // The platform hung up mid-body: there is nobody to answer.
      () => undefined,
    );
    return true;
  };
}

/** The body, or null past `limit` (the rest is drained so the connection stays usable). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? null : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('request aborted')));
  });
}

function queryOf(url: string, start: number): Record<string, string> {
  if (start < 0) return {};
  // No prototype: a parameter named `__proto__` is just a parameter.
  const query: Record<string, string> = Object.create(null);
  // A repeated parameter keeps its first value; adapters only read single-valued ones.
  for (const [key, value] of new URLSearchParams(url.slice(start + 1))) if (!(key in query)) query[key] = value;
  return query;
}

function flatHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}
