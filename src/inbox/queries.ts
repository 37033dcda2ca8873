import { z } from 'zod';
import type { Agent } from '../domain/agent.js';
import { agentUploadScope } from '../domain/attachment.js';
import type { Conversation, ConversationStatus, Priority } from '../domain/conversation.js';
import type { Message } from '../domain/message.js';
import { type ConversationFilter, type CsatFilter, getConversation, listConversations, markRead, withUnread } from '../store/conversations.js';
import { agentAttachmentUrl, type AttachmentRow, iso, toAttachment } from '../store/mappers.js';
import { listMessages } from '../store/messages.js';
import { getAttachmentRow, saveUpload } from '../store/uploads.js';
import type { InboxDeps } from './deps.js';
import { InboxError } from './errors.js';

/** What agents read: conversations, messages and files, each through the rules that apply to them. */

const Cursor = z.union([
  z.object({ t: z.iso.datetime(), id: z.string().max(64) }),
  /** `sort=due`: the last row's due time (null: among those without one). */
  z.object({ d: z.iso.datetime().nullable(), id: z.string().max(64) }),
]);

export interface ConversationQuery {
  status?: ConversationStatus | undefined;
  channel?: string | undefined;
  /** An agent id, `me`, or `unassigned`. */
  assignee?: string | undefined;
  priority?: Priority | undefined;
  label?: string | undefined;
  contact?: string | undefined;
  q?: string | undefined;
  team?: string | undefined;
  escalated?: boolean | undefined;
  sla?: 'breached' | 'running' | undefined;
  csat?: CsatFilter | undefined;
  dueBefore?: string | undefined;
  sort?: 'activity' | 'due' | undefined;
  limit: number;
  cursor?: string | undefined;
}

export async function conversationsFor(deps: InboxDeps, agent: Agent, query: ConversationQuery): Promise<{ items: Conversation[]; nextCursor: string | null }> {
  const sort = query.sort ?? 'activity';
  let cursor: ConversationFilter['cursor'];
  if (query.cursor) {
    let decoded: z.infer<typeof Cursor>;
    try {
      decoded = Cursor.parse(JSON.parse(Buffer.from(query.cursor, 'base64url').toString('utf8')));
    } catch {
      throw new InboxError(400, 'validation', 'cursor: not a cursor this API returned');
    }
    if (('t' in decoded) !== (sort === 'activity')) throw new InboxError(400, 'validation', 'cursor: from a list with another sort');
    cursor = 't' in decoded ? { lastMessageAt: decoded.t, id: decoded.id } : { dueAt: decoded.d, id: decoded.id };
  }
  const page = await listConversations(deps.db, {
    status: query.status,
    channelId: query.channel,
    assignee: query.assignee === 'me' ? agent.id : query.assignee,
    priority: query.priority,
    label: query.label,
    contactId: query.contact,
    q: query.q || undefined,
    team: query.team,
    escalated: query.escalated,
    sla: query.sla,
    csat: query.csat,
    dueBefore: query.dueBefore,
    sort,
    limit: query.limit,
    cursor,
  });
  const next = page.next;
  const position = next && (sort === 'due' ? { d: next.sla_due_at ? iso(next.sla_due_at) : null, id: next.id } : { t: iso(next.last_message_at), id: next.id });
  const nextCursor = position ? Buffer.from(JSON.stringify(position)).toString('base64url') : null;
  return { items: await withUnread(deps.db, agent.id, page.items), nextCursor };
}

export async function conversationFor(deps: InboxDeps, agent: Agent, id: string): Promise<Conversation> {
  const conversation = await getConversation(deps.db, id);
  if (!conversation) throw new InboxError(404, 'not_found', 'conversation not found');
  const [withFlag] = await withUnread(deps.db, agent.id, [conversation]);
  return withFlag!;
}

/** The agent has read the conversation up to now (clears its unread marker). */
export async function markConversationRead(deps: InboxDeps, agent: Agent, id: string): Promise<void> {
  const conversation = await getConversation(deps.db, id);
  if (!conversation) throw new InboxError(404, 'not_found', 'conversation not found');
  await markRead(deps.db, agent.id, conversation.id, new Date());
}

export async function messagesOf(deps: InboxDeps, id: string, page: { limit: number; before?: string | undefined; after?: string | undefined }): Promise<Message[]> {
  if (page.before && page.after) throw new InboxError(400, 'validation', 'query: use before or after, not both');
  const conversation = await getConversation(deps.db, id);
  if (!conversation) throw new InboxError(404, 'not_found', 'conversation not found');
  const items = await listMessages(deps.db, id, { ...page, includePrivate: true });
  if (!items) throw new InboxError(400, 'validation', `${page.before ? 'before' : 'after'}: no message with this id in this conversation`);
  return items;
}

/** An agent's upload for a reply; only they can use it until it is sent. */
export async function uploadForReply(deps: InboxDeps, agent: Agent, file: { name: string; mimeType: string; bytes: Buffer }) {
  const row = await saveUpload(deps.db, deps.attachments, { ...file, owner: agentUploadScope(agent.id) });
  return toAttachment(row, agentAttachmentUrl);
}

/** Unlinked uploads are visible only to their uploader; linked ones to every agent. */
export async function attachmentFor(deps: InboxDeps, agent: Agent, id: string): Promise<AttachmentRow> {
  const row = await getAttachmentRow(deps.db, id);
  if (!row || (row.message_id === null && row.owner !== agentUploadScope(agent.id))) throw new InboxError(404, 'not_found', 'attachment not found');
  return row;
}
