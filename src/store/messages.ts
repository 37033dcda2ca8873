import type { Attachment } from '../domain/attachment.js';
import type { Message } from '../domain/message.js';
import type { Db } from './database.js';
import { type AttachmentRow, agentAttachmentUrl, type MessageRow, messageColumns, toAttachment, toMessage } from './mappers.js';

export type AttachmentUrl = (id: string) => string;

export async function hydrateMessages(db: Db, rows: readonly MessageRow[], urlFor: AttachmentUrl = agentAttachmentUrl): Promise<Message[]> {
  if (rows.length === 0) return [];
  const attachments = await db
    .selectFrom('attachments')
    .selectAll()
    .where(
      'message_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const byMessage = new Map<string, Attachment[]>();
  for (const row of attachments as AttachmentRow[]) {
    const list = byMessage.get(row.message_id!) ?? [];
    list.push(toAttachment(row, urlFor));
    byMessage.set(row.message_id!, list);
  }
  return rows.map((row) => toMessage(row, byMessage.get(row.id) ?? []));
}

/** Messages by id, in arrival order; ids that name nothing are left out. */
export async function messagesById(db: Db, ids: readonly string[], urlFor?: AttachmentUrl): Promise<Message[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('messages').select(messageColumns).where('id', 'in', ids).orderBy('seq').execute();
  return hydrateMessages(db, rows, urlFor);
}

export async function getMessage(db: Db, id: string, urlFor?: AttachmentUrl): Promise<Message | undefined> {
  const row = await db.selectFrom('messages').select(messageColumns).where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const [message] = await hydrateMessages(db, [row], urlFor);
  return message;
}

export interface MessagePage {
  limit: number;
  /** Return messages before this message id (older), for scrolling back. */
  before?: string | undefined;
  /** Return messages after this message id (newer), for catching up after a reconnect. */
  after?: string | undefined;
  includePrivate: boolean;
}

/**
 * Messages in the platform's order (sent time, then arrival), oldest first. With `before`, the
 * newest `limit` messages older than it; with `after`, the oldest `limit` newer than it.
 * Returns null when `before`/`after` names no message of this conversation.
 */
export async function listMessages(db: Db, conversationId: string, page: MessagePage, urlFor?: AttachmentUrl): Promise<Message[] | null> {
  let query = db.selectFrom('messages').select(messageColumns).where('conversation_id', '=', conversationId);
  if (!page.includePrivate) query = query.where('private', '=', false);
  const pivotId = page.before ?? page.after;
  if (pivotId) {
    const pivot = await db
      .selectFrom('messages')
      .select(['created_at', 'seq'])
      .where('id', '=', pivotId)
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    if (!pivot) return null;
    const op = page.before ? '<' : '>';
    query = query.where((eb) =>
      eb.or([
        eb('created_at', op, pivot.created_at),
        eb.and([eb('created_at', '=', pivot.created_at), eb('seq', op, pivot.seq)]),
      ]),
    );
  }
  const newestFirst = !page.after;
  const rows = await query
    .orderBy('created_at', newestFirst ? 'desc' : 'asc')
    .orderBy('seq', newestFirst ? 'desc' : 'asc')
    .limit(page.limit)
    .execute();
  if (newestFirst) rows.reverse();
  return hydrateMessages(db, rows, urlFor);
}

/** The texts a customer wrote in a conversation, oldest first (the most recent `limit`); undefined: no such conversation. */
export async function customerTexts(db: Db, conversationId: string, limit: number): Promise<{ id: string; text: string }[] | undefined> {
  const conversation = await db.selectFrom('conversations').select('id').where('id', '=', conversationId).executeTakeFirst();
  if (!conversation) return undefined;
  const rows = await db
    .selectFrom('messages')
    .select(['id', 'text', 'seq'])
    .where('conversation_id', '=', conversationId)
    .where('author_type', '=', 'contact')
    .where('deleted_at', 'is', null)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.reverse().map(({ id, text }) => ({ id, text }));
}
