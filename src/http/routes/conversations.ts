import { Router } from 'express';
import { z } from 'zod';
import { ConversationStatus, Priority } from '../../domain/conversation.js';
import { ReplyInput, sendReply } from '../../inbox/send-reply.js';
import { ConversationPatch, updateConversation } from '../../inbox/update-conversation.js';
import { retryMessage } from '../../inbox/retry-message.js';
import { getConversation, listConversations, markRead, withUnread } from '../../store/conversations.js';
import { iso } from '../../store/mappers.js';
import { listMessages } from '../../store/messages.js';
import type { HttpDeps } from '../deps.js';
import { HttpError, parse } from '../errors.js';
import { agentOf, requireAgent } from '../middleware/auth.js';

const Cursor = z.object({ t: z.iso.datetime(), id: z.string().max(64) });

const ListQuery = z.object({
  status: ConversationStatus.optional(),
  channel: z.string().max(63).optional(),
  /** An agent id, `me`, or `unassigned`. */
  assignee: z.string().max(64).optional(),
  priority: Priority.optional(),
  label: z.string().max(50).optional(),
  contact: z.string().max(64).optional(),
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().max(500).optional(),
});

const MessagesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.string().max(64).optional(),
  after: z.string().max(64).optional(),
});

const IdempotencyKey = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

export function conversationRoutes(deps: HttpDeps): Router {
  const router = Router();
  const auth = requireAgent(deps.db);

  router.get('/api/conversations', auth, async (req, res) => {
    const query = parse(ListQuery, req.query, 'query');
    let cursor: { lastMessageAt: string; id: string } | undefined;
    if (query.cursor) {
      try {
        const decoded = Cursor.parse(JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8')));
        cursor = { lastMessageAt: decoded.t, id: decoded.id };
      } catch {
        throw new HttpError(400, 'validation', 'cursor: not a cursor this API returned');
      }
    }
    const assignee = query.assignee === 'me' ? agentOf(req).id : query.assignee;
    const page = await listConversations(deps.db, {
      status: query.status,
      channelId: query.channel,
      assignee,
      priority: query.priority,
      label: query.label,
      contactId: query.contact,
      q: query.q || undefined,
      limit: query.limit,
      cursor,
    });
    const nextCursor = page.next ? Buffer.from(JSON.stringify({ t: iso(page.next.last_message_at), id: page.next.id })).toString('base64url') : null;
    res.json({ items: await withUnread(deps.db, agentOf(req).id, page.items), nextCursor });
  });

  router.get('/api/conversations/:id', auth, async (req, res) => {
    const conversation = await getConversation(deps.db, String(req.params.id));
    if (!conversation) throw new HttpError(404, 'not_found', 'conversation not found');
    const [withFlag] = await withUnread(deps.db, agentOf(req).id, [conversation]);
    res.json(withFlag);
  });

  /** Additive: the agent has read the conversation up to now (clears its unread marker). */
  router.post('/api/conversations/:id/read', auth, async (req, res) => {
    const conversation = await getConversation(deps.db, String(req.params.id));
    if (!conversation) throw new HttpError(404, 'not_found', 'conversation not found');
    await markRead(deps.db, agentOf(req).id, conversation.id, new Date());
    res.status(204).end();
  });

  router.get('/api/conversations/:id/messages', auth, async (req, res) => {
    const query = parse(MessagesQuery, req.query, 'query');
    if (query.before && query.after) throw new HttpError(400, 'validation', 'query: use before or after, not both');
    const id = String(req.params.id);
    const conversation = await getConversation(deps.db, id);
    if (!conversation) throw new HttpError(404, 'not_found', 'conversation not found');
    const items = await listMessages(deps.db, id, { ...query, includePrivate: true });
    if (!items) throw new HttpError(400, 'validation', `${query.before ? 'before' : 'after'}: no message with this id in this conversation`);
    res.json({ items });
  });

  router.post('/api/conversations/:id/messages', auth, async (req, res) => {
    const body = parse(ReplyInput, req.body ?? {});
    const key = req.get('idempotency-key');
    const idempotencyKey = key === undefined ? undefined : parse(IdempotencyKey, key, 'Idempotency-Key');
    const { message, created } = await sendReply(deps, agentOf(req), String(req.params.id), body, idempotencyKey);
    if (!created) res.setHeader('Idempotent-Replayed', 'true');
    res.status(202).json(message);
  });

  router.patch('/api/conversations/:id', auth, async (req, res) => {
    const patch = parse(ConversationPatch, req.body ?? {});
    res.json(await updateConversation(deps, agentOf(req), String(req.params.id), patch));
  });

  router.post('/api/messages/:id/retry', auth, async (req, res) => {
    res.status(202).json(await retryMessage(deps, String(req.params.id)));
  });
  return router;
}
