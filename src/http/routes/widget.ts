import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { isWebchatAdapter, type WebchatAdapter } from '../../../adapters/webchat/index.js';
import { parseVisitorMessage, VisitorMessageBody } from '../../../adapters/webchat/inbound.js';
import {
  anonymousVisitorId,
  identifiedVisitorId,
  issueVisitorToken,
  type VisitorClaims,
  verifyUserHash,
  verifyVisitorToken,
} from '../../../adapters/webchat/session.js';
import { senderUploadScope } from '../../domain/attachment.js';
import type { Message } from '../../domain/message.js';
import { QueueUnavailable } from '../../queue/sink.js';
import { listMessages } from '../../store/messages.js';
import { getAttachmentRow, saveUpload } from '../../store/uploads.js';
import type { HttpDeps } from '../deps.js';
import { HttpError, parse } from '../errors.js';
import { overLimit } from '../middleware/rate-limit.js';
import { openSse } from '../sse.js';
import { readUpload, sendAttachment } from '../uploads.js';

const SessionBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    email: z.email().max(320).optional(),
    userId: z.string().min(1).max(200).optional(),
    userHash: z.string().regex(/^[0-9a-fA-F]{64}$/, '64 hex characters').optional(),
  })
  .strict()
  .refine((b) => (b.userId === undefined) === (b.userHash === undefined), { message: 'userId and userHash go together', path: ['userHash'] });

const HistoryQuery = z.object({ after: z.string().max(64).optional(), limit: z.coerce.number().int().min(1).max(200).default(100) });

interface WidgetLocals {
  adapter: WebchatAdapter;
  visitor?: VisitorClaims;
}

/** What a visitor may see of a message: no agent ids, no internal notes, no raw payloads. */
function toVisitorMessage(channelId: string, message: Message) {
  return {
    id: message.id,
    direction: message.direction,
    author: { type: message.author.type, name: message.direction === 'inbound' ? 'You' : message.author.name },
    text: message.text,
    attachments: message.attachments.map((a) => ({ ...a, url: `/widget/${channelId}/attachments/${a.id}` })),
    status: message.direction === 'inbound' ? 'received' : message.status === 'sent' ? 'sent' : 'sending',
    clientMessageId: message.clientMessageId,
    createdAt: message.createdAt,
  };
}

/**
 * The customer side of web chat (DESIGN §7): sessions with signed visitor tokens, messages with
 * client ids, history, an SSE stream, uploads. A token scopes its bearer to one visitor, and so to
 * that visitor's own conversation only.
 */
export function widgetRoutes(deps: HttpDeps): Router {
  const router = Router();
  const json = express.json({ limit: '64kb' });
  const raw = express.raw({ type: () => true, limit: deps.attachmentMaxBytes });

  const channel = (req: Request, res: Response, next: NextFunction): void => {
    const adapter = deps.adapters.get(String(req.params.channelId));
    if (!isWebchatAdapter(adapter)) throw new HttpError(404, 'not_found', 'no web chat channel with this id');
    const origin = req.get('origin');
    if (origin) {
      const allowed = adapter.widget.allowedOrigins?.map((o) => new URL(o).origin);
      if (!allowed || allowed.includes(origin)) {
        res.setHeader('Access-Control-Allow-Origin', allowed ? origin : '*');
        res.setHeader('Vary', 'Origin');
        res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Filename');
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
        res.setHeader('Access-Control-Max-Age', '600');
        res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
      } else if (origin !== new URL(deps.publicUrl).origin) {
        throw new HttpError(403, 'forbidden_origin', 'this site may not embed the widget of this channel');
      }
    }
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    (res.locals as WidgetLocals).adapter = adapter;
    next();
  };

  const visitor = (req: Request, res: Response, next: NextFunction): void => {
    const token = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
    if (!token) throw new HttpError(401, 'unauthorized', 'missing visitor token: create a session first');
    const claims = verifyVisitorToken(deps.secretKey, token, String(req.params.channelId));
    if (!claims) throw new HttpError(401, 'unauthorized', 'visitor token is invalid or expired');
    (res.locals as WidgetLocals).visitor = claims;
    next();
  };

  const adapterOf = (res: Response): WebchatAdapter => (res.locals as WidgetLocals).adapter;
  const locals = (res: Response): Required<WidgetLocals> => {
    const l = res.locals as WidgetLocals;
    if (!l.visitor) throw new Error('visitor middleware missing');
    return { adapter: l.adapter, visitor: l.visitor };
  };

  const limit = async (key: string, max: number, seconds: number, res: Response): Promise<void> => {
    const wait = await overLimit(deps.redis, `${deps.rateLimitPrefix}:widget:${key}`, max, seconds);
    if (wait !== null) {
      res.setHeader('Retry-After', String(wait));
      throw new HttpError(429, 'rate_limited', `too many requests; try again in ${wait} s`);
    }
  };

  router.options('/widget/:channelId/*rest', channel);

  router.post('/widget/:channelId/session', channel, json, async (req, res) => {
    const adapter = adapterOf(res);
    const body = parse(SessionBody, req.body ?? {});
    await limit(`session:${adapter.id}:${req.ip}`, adapter.widget.limits.sessionsPerTenMinutes, 600, res);
    let visitorId = anonymousVisitorId();
    if (body.userId && body.userHash) {
      const secret = adapter.widget.identitySecret;
      if (!secret) throw new HttpError(400, 'validation', 'userHash: this channel has no identitySecret configured');
      if (!verifyUserHash(secret, body.userId, body.userHash)) throw new HttpError(403, 'forbidden', 'userHash does not match userId');
      visitorId = identifiedVisitorId(body.userId);
    }
    const expiresAt = new Date(Date.now() + adapter.widget.sessionDays * 86_400_000);
    const token = issueVisitorToken(deps.secretKey, {
      c: adapter.id,
      v: visitorId,
      ...(body.name ? { n: body.name } : {}),
      ...(body.email ? { e: body.email } : {}),
      exp: Math.floor(expiresAt.getTime() / 1000),
    });
    res.status(201).json({
      token,
      visitorId,
      expiresAt: expiresAt.toISOString(),
      welcomeMessage: adapter.widget.welcomeMessage ?? null,
      maxUploadBytes: deps.attachmentMaxBytes,
    });
  });

  router.post('/widget/:channelId/messages', channel, visitor, json, async (req, res) => {
    const { adapter, visitor: claims } = locals(res);
    const body = parse(VisitorMessageBody, req.body ?? {});
    await limit(`messages:${adapter.id}:${claims.v}`, adapter.widget.limits.messagesPerMinute, 60, res);
    const message = parseVisitorMessage(adapter.id, { id: claims.v, name: claims.n, email: claims.e }, body, new Date());
    try {
      await deps.sink.accept(message);
    } catch (error) {
      if (error instanceof QueueUnavailable) {
        res.setHeader('Retry-After', '5');
        throw new HttpError(503, 'unavailable', 'message not accepted: the queue is unavailable, please retry');
      }
      throw error;
    }
    res.status(202).json({ clientMessageId: body.clientMessageId, status: 'accepted' });
  });

  router.get('/widget/:channelId/messages', channel, visitor, async (req, res) => {
    const { adapter, visitor: claims } = locals(res);
    const query = parse(HistoryQuery, req.query, 'query');
    const conversation = await deps.db
      .selectFrom('conversations')
      .select(['id', 'status'])
      .where('channel_id', '=', adapter.id)
      .where('thread_key', '=', claims.v)
      .executeTakeFirst();
    if (!conversation) return void res.json({ items: [], conversation: null });
    // An `after` id the visitor cannot know (stale cache, another conversation) yields the recent
    // history rather than an empty page, so a reconnecting widget never silently misses messages.
    const messages =
      (await listMessages(deps.db, conversation.id, { limit: query.limit, after: query.after, includePrivate: false })) ??
      (await listMessages(deps.db, conversation.id, { limit: query.limit, includePrivate: false }))!;
    res.json({ items: messages.map((m) => toVisitorMessage(adapter.id, m)), conversation: { status: conversation.status } });
  });

  router.get('/widget/:channelId/events', channel, visitor, (req, res) => {
    const { adapter, visitor: claims } = locals(res);
    const stream = openSse(req, res);
    stream.onClose(deps.bus.onVisitor(adapter.id, claims.v, (payload) => stream.send('message', payload)));
    stream.send('ready', { at: new Date().toISOString() });
  });

  router.post('/widget/:channelId/attachments', channel, visitor, raw, async (req, res) => {
    const { adapter, visitor: claims } = locals(res);
    await limit(`uploads:${adapter.id}:${claims.v}`, adapter.widget.limits.uploadsPerTenMinutes, 600, res);
    const upload = readUpload(req);
    const row = await saveUpload(deps.db, deps.attachments, { ...upload, owner: senderUploadScope(adapter.id, claims.v) });
    res.status(201).json({ id: row.id, name: row.name, mimeType: row.mime_type, size: row.size, kind: row.kind, url: `/widget/${adapter.id}/attachments/${row.id}` });
  });

  router.get('/widget/:channelId/attachments/:id', channel, visitor, async (req, res) => {
    const { adapter, visitor: claims } = locals(res);
    const row = await getAttachmentRow(deps.db, String(req.params.id));
    if (!row) throw new HttpError(404, 'not_found', 'attachment not found');
    let visible = row.owner === senderUploadScope(adapter.id, claims.v);
    if (!visible && row.message_id) {
      const owner = await deps.db
        .selectFrom('messages')
        .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
        .select('messages.id')
        .where('messages.id', '=', row.message_id)
        .where('messages.private', '=', false)
        .where('conversations.channel_id', '=', adapter.id)
        .where('conversations.thread_key', '=', claims.v)
        .executeTakeFirst();
      visible = owner !== undefined;
    }
    if (!visible) throw new HttpError(404, 'not_found', 'attachment not found');
    await sendAttachment(res, deps.attachments, row);
  });
  return router;
}
