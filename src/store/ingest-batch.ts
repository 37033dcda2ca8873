import { sql, type Transaction } from 'kysely';
import { newId } from '../domain/ids.js';
import type { InboundMessage } from '../domain/message.js';
import type { Db } from './database.js';
import { type AttachmentRow, type ConversationRow, type MessageRow, messageColumns } from './mappers.js';
import { displayName, resolveContacts, senderOf } from './contacts.js';
import { type IngestContext, type IngestResult, ingestInbound, insertAutoReply, previewOf, reopenThread } from './ingest.js';
import type { Database } from './schema.js';

export interface IngestItem {
  readonly message: InboundMessage;
  readonly context: IngestContext;
}

/**
 * Rows the batch wrote, as Postgres returned them (INSERT … RETURNING), so announcing them needs
 * no second read. Filled for messages of the set-based path only.
 */
export interface WrittenRows {
  readonly messages: Map<string, MessageRow>;
  readonly attachments: AttachmentRow[];
  readonly conversations: Map<string, ConversationRow>;
}

export const noRows = (): WrittenRows => ({ messages: new Map(), attachments: [], conversations: new Map() });

/**
 * Messages the set-based path stores: a customer's plain message (text and platform media). Edits,
 * deletes, channel events, thread references, machine mail, delivery reports and claimed uploads
 * each have their own rules and take the one-message path.
 */
const plain = (m: InboundMessage): boolean =>
  !m.revision && !m.event && !m.threadRefs?.length && !m.automated && !m.deliveryFailure && m.attachments.every((a) => !a.storedId);

/** A concurrent transaction committed one of this batch's messages first; the batch is redone without it. */
class BatchConflict extends Error {}

/**
 * Stores many inbound messages with the guarantees of `ingestInbound` (each message once,
 * conversations opened or reopened, contacts resolved) in one transaction of about ten
 * statements instead of ten per message: under load the database round trips, not the work,
 * were the ceiling. Results come back in the order of `items`.
 */
export async function ingestBatch(db: Db, items: readonly IngestItem[], written: WrittenRows = noRows()): Promise<IngestResult[]> {
  const results: IngestResult[] = new Array(items.length);
  const fast: number[] = [];
  const seenInBatch = new Set<string>();
  items.forEach((item, index) => {
    if (!plain(item.message)) return;
    const key = `${item.message.channelId}\u0000${item.message.externalId}`;
    // The same message twice in one batch (a redelivery after the job was completed): once.
    if (seenInBatch.has(key)) results[index] = { outcome: 'duplicate' };
    else {
      seenInBatch.add(key);
      fast.push(index);
    }
  });
  if (fast.length > 0) {
    for (let attempt = 0; ; attempt++) {
      try {
        const attempt = noRows();
        const stored = await db.transaction().execute((trx) => storePlain(trx, fast.map((i) => items[i]!), attempt));
        stored.forEach((result, k) => (results[fast[k]!] = result));
        for (const [id, row] of attempt.messages) written.messages.set(id, row);
        for (const [id, row] of attempt.conversations) written.conversations.set(id, row);
        written.attachments.push(...attempt.attachments);
        break;
      } catch (error) {
        // Another worker committed one of these messages between our check and our insert; the
        // redo sees it as already stored. Rows are locked in a fixed order, but a deadlock with a
        // one-message write is still possible; Postgres rolled us back, so redoing is safe.
        const redo = error instanceof BatchConflict || (error as { code?: string }).code === '40P01';
        if (!redo || attempt >= 10) throw error;
      }
    }
  }
  for (let index = 0; index < items.length; index++) {
    if (results[index]) continue;
    results[index] = await ingestInbound(db, items[index]!.message, items[index]!.context);
  }
  return results;
}

async function storePlain(trx: Transaction<Database>, items: readonly IngestItem[], written: WrittenRows): Promise<IngestResult[]> {
  const results: IngestResult[] = new Array(items.length);
  const { rows: stored } = await sql<{ channel_id: string; external_id: string }>`
    select m.channel_id, m.external_id from messages m
    join unnest(${items.map((i) => i.message.channelId)}::text[], ${items.map((i) => i.message.externalId)}::text[]) as k(c, e)
      on m.channel_id = k.c and m.external_id = k.e`.execute(trx);
  const already = new Set(stored.map((r) => `${r.channel_id}\u0000${r.external_id}`));
  const fresh: number[] = [];
  items.forEach((item, index) => {
    if (already.has(`${item.message.channelId}\u0000${item.message.externalId}`)) results[index] = { outcome: 'duplicate' };
    else fresh.push(index);
  });
  if (fresh.length === 0) return results;
  const batch = fresh.map((i) => items[i]!);

  const contacts = await resolveContacts(trx, batch.map((i) => i.message));
  const conversations = await touchConversations(trx, batch, contacts, written);

  const now = new Date();
  const rows = batch.map(({ message }) => {
    const sentAt = new Date(message.sentAt);
    return {
      id: newId(),
      conversation_id: conversations.get(threadOf(message))!.id,
      channel_id: message.channelId,
      direction: 'inbound' as const,
      author_type: 'contact' as const,
      author_id: contacts.get(senderOf(message))!,
      author_name: displayName(message.sender),
      text: message.text,
      html: message.html ?? null,
      private: false,
      status: 'received' as const,
      error: null,
      external_id: message.externalId,
      reply_to_external_id: message.replyToExternalId ?? null,
      client_message_id: message.clientMessageId ?? null,
      idempotency_key: null,
      raw: message.raw === undefined ? null : JSON.stringify(message.raw),
      created_at: sentAt,
      sent_at: sentAt,
      updated_at: now,
    };
  });
  const inserted = await trx
    .insertInto('messages')
    .values(rows)
    .onConflict((oc) => oc.columns(['channel_id', 'external_id']).doNothing())
    .returning(messageColumns)
    .execute();
  if (inserted.length !== rows.length) throw new BatchConflict();
  for (const row of inserted) written.messages.set(row.id, row);

  const files = batch.flatMap(({ message }, k) =>
    message.attachments.map((a) => ({
      id: newId(),
      message_id: rows[k]!.id,
      owner: `channel:${message.channelId}`,
      kind: a.kind,
      name: a.name ?? null,
      mime_type: a.mimeType ?? null,
      size: a.size ?? null,
      storage_key: null,
      remote: a.remote ?? null,
      meta: a.latitude !== undefined ? JSON.stringify({ latitude: a.latitude, longitude: a.longitude }) : null,
    })),
  );
  if (files.length > 0) written.attachments.push(...(await trx.insertInto('attachments').values(files).returningAll().execute()));

  // One acknowledgement per newly opened conversation, after its first message of this batch.
  const acknowledged = new Set<string>();
  for (let k = 0; k < batch.length; k++) {
    const { message, context } = batch[k]!;
    const conversation = conversations.get(threadOf(message))!;
    let autoReplyId: string | undefined;
    if (conversation.created && context.autoReply && !acknowledged.has(conversation.id)) {
      acknowledged.add(conversation.id);
      autoReplyId = await insertAutoReply(trx, conversation.id, message.channelId, context.autoReply);
    }
    results[fresh[k]!] = {
      outcome: 'stored',
      messageId: rows[k]!.id,
      conversationId: conversation.id,
      conversationCreated: conversation.created && conversation.firstMessage === k,
      ...(autoReplyId ? { autoReplyId } : {}),
    };
  }
  return results;
}

const threadOf = (m: InboundMessage): string => `${m.channelId}\u0000${m.threadKey}`;

interface TouchedConversation {
  id: string;
  created: boolean;
  /** Index in the batch of the thread's first message (the one that "created" it). */
  firstMessage: number;
}

/**
 * Opens or reopens every conversation the batch writes to, one row per thread (Postgres refuses
 * to update a row twice in one INSERT … ON CONFLICT), in a fixed order so two concurrent batches
 * lock rows in the same order and cannot deadlock.
 */
async function touchConversations(
  trx: Transaction<Database>,
  batch: readonly IngestItem[],
  contacts: Map<string, string>,
  written: WrittenRows,
): Promise<Map<string, TouchedConversation>> {
  const threads = new Map<string, { first: number; newest: InboundMessage; oldestAt: Date; newestAt: Date; subject: string | null; context: IngestContext }>();
  batch.forEach(({ message, context }, index) => {
    const at = new Date(message.sentAt);
    const thread = threads.get(threadOf(message));
    if (!thread) {
      threads.set(threadOf(message), { first: index, newest: message, oldestAt: at, newestAt: at, subject: message.subject ?? null, context });
      return;
    }
    if (at >= thread.newestAt) {
      thread.newest = message;
      thread.newestAt = at;
    }
    if (at < thread.oldestAt) thread.oldestAt = at;
    thread.subject ??= message.subject ?? null;
  });
  const ordered = [...threads.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const values = ordered.map(([, t]) => {
    const first = batch[t.first]!.message;
    const hours = t.context.replyWindowHours;
    return {
      id: newId(),
      channel_id: first.channelId,
      channel_kind: t.context.channelKind,
      thread_key: first.threadKey,
      contact_id: contacts.get(senderOf(first))!,
      subject: t.subject,
      last_message_at: t.newestAt,
      last_inbound_at: t.newestAt,
      last_message_preview: previewOf(t.newest),
      reply_window_ends_at: hours === null ? null : new Date(t.newestAt.getTime() + hours * 3_600_000),
      waiting_since: t.oldestAt,
    };
  });
  const rows = await trx
    .insertInto('conversations')
    .values(values)
    // Batches hold only plain customer messages (never machine mail): every thread reopens.
    .onConflict(reopenThread(false))
    .returningAll()
    .returning(sql<boolean>`(xmax = 0)`.as('created'))
    .execute();
  const result = new Map<string, TouchedConversation>();
  for (const { created, ...row } of rows) {
    const key = `${row.channel_id}\u0000${row.thread_key}`;
    result.set(key, { id: row.id, created: Boolean(created), firstMessage: threads.get(key)!.first });
    written.conversations.set(row.id, row);
  }
  return result;
}
