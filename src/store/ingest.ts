import { sql, type Transaction } from 'kysely';
import { senderUploadScope } from '../domain/attachment.js';
import { newId } from '../domain/ids.js';
import type { InboundMessage } from '../domain/message.js';
import type { Db } from './database.js';
import type { Database } from './schema.js';

export interface IngestContext {
  channelKind: string;
  /** Hours the channel allows replies after a customer message; null = no window. */
  replyWindowHours: number | null;
}

export type IngestResult =
  | { duplicate: true }
  | { duplicate: false; messageId: string; conversationId: string; conversationCreated: boolean };

class DuplicateMessage extends Error {}

/**
 * Stores one inbound message in one transaction: contact and identity, conversation (opened, or
 * reopened when resolved/snoozed), message. A redelivered message (same channel + external id)
 * changes nothing: the unique index turns it into a rolled-back no-op (DESIGN §1).
 */
export async function ingestInbound(db: Db, message: InboundMessage, context: IngestContext): Promise<IngestResult> {
  const seen = await db
    .selectFrom('messages')
    .select('id')
    .where('channel_id', '=', message.channelId)
    .where('external_id', '=', message.externalId)
    .executeTakeFirst();
  if (seen) return { duplicate: true };
  try {
    return await db.transaction().execute((trx) => ingestInTransaction(trx, message, context));
  } catch (error) {
    if (error instanceof DuplicateMessage) return { duplicate: true };
    throw error;
  }
}

async function ingestInTransaction(trx: Transaction<Database>, message: InboundMessage, context: IngestContext): Promise<IngestResult> {
  const contactId = await resolveContact(trx, message);
  const sentAt = new Date(message.sentAt);
  const preview = previewOf(message);
  const windowEnds = context.replyWindowHours === null ? null : new Date(sentAt.getTime() + context.replyWindowHours * 3_600_000);
  const conversation = await trx
    .insertInto('conversations')
    .values({
      id: newId(),
      channel_id: message.channelId,
      channel_kind: context.channelKind,
      thread_key: message.threadKey,
      contact_id: contactId,
      subject: message.subject ?? null,
      last_message_at: sentAt,
      last_inbound_at: sentAt,
      last_message_preview: preview,
      reply_window_ends_at: windowEnds,
      waiting_since: sentAt,
    })
    .onConflict((oc) =>
      oc.columns(['channel_id', 'thread_key']).doUpdateSet({
        status: 'open',
        resolved_at: null,
        snoozed_until: null,
        last_message_preview: sql`case when excluded.last_message_at >= conversations.last_message_at then excluded.last_message_preview else conversations.last_message_preview end`,
        last_message_at: sql`greatest(conversations.last_message_at, excluded.last_message_at)`,
        last_inbound_at: sql`greatest(conversations.last_inbound_at, excluded.last_inbound_at)`,
        reply_window_ends_at: sql`greatest(conversations.reply_window_ends_at, excluded.reply_window_ends_at)`,
        subject: sql`coalesce(conversations.subject, excluded.subject)`,
        waiting_since: sql`coalesce(conversations.waiting_since, excluded.waiting_since)`,
      }),
    )
    .returning(['id', sql<boolean>`(xmax = 0)`.as('created')])
    .executeTakeFirstOrThrow();

  const messageId = newId();
  const inserted = await trx
    .insertInto('messages')
    .values({
      id: messageId,
      conversation_id: conversation.id,
      channel_id: message.channelId,
      direction: 'inbound',
      author_type: 'contact',
      author_id: contactId,
      author_name: message.sender.name ?? message.sender.handle ?? message.sender.externalId,
      text: message.text,
      html: message.html ?? null,
      private: false,
      status: 'received',
      error: null,
      external_id: message.externalId,
      reply_to_external_id: message.replyToExternalId ?? null,
      client_message_id: message.clientMessageId ?? null,
      idempotency_key: null,
      raw: message.raw === undefined ? null : JSON.stringify(message.raw),
      created_at: sentAt,
      sent_at: sentAt,
      updated_at: new Date(),
    })
    .onConflict((oc) => oc.columns(['channel_id', 'external_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
  // A concurrent delivery of the same message committed first: undo the conversation touch.
  if (!inserted) throw new DuplicateMessage();

  await attach(trx, messageId, message);
  return { duplicate: false, messageId, conversationId: conversation.id, conversationCreated: Boolean(conversation.created) };
}

async function resolveContact(trx: Transaction<Database>, message: InboundMessage): Promise<string> {
  const { channelId } = message;
  const sender = message.sender;
  const existing = await trx
    .selectFrom('contact_identities')
    .innerJoin('contacts', 'contacts.id', 'contact_identities.contact_id')
    .select(['contacts.id', 'contacts.name', 'contacts.email', 'contact_identities.handle'])
    .where('channel_id', '=', channelId)
    .where('external_id', '=', sender.externalId)
    .executeTakeFirst();
  if (existing) {
    const name = sender.name ?? existing.name;
    const email = existing.email ?? sender.email ?? null;
    if (name !== existing.name || email !== existing.email) {
      await trx.updateTable('contacts').set({ name, email, updated_at: new Date() }).where('id', '=', existing.id).execute();
    }
    if (sender.handle && sender.handle !== existing.handle) {
      await trx
        .updateTable('contact_identities')
        .set({ handle: sender.handle })
        .where('channel_id', '=', channelId)
        .where('external_id', '=', sender.externalId)
        .execute();
    }
    return existing.id;
  }
  const contactId = newId();
  await trx
    .insertInto('contacts')
    .values({
      id: contactId,
      name: sender.name ?? sender.handle ?? sender.email ?? 'Customer',
      email: sender.email ?? null,
      updated_at: new Date(),
    })
    .execute();
  const identity = await trx
    .insertInto('contact_identities')
    .values({ channel_id: channelId, external_id: sender.externalId, contact_id: contactId, handle: sender.handle ?? null })
    .onConflict((oc) => oc.columns(['channel_id', 'external_id']).doNothing())
    .returning('contact_id')
    .executeTakeFirst();
  if (identity) return identity.contact_id;
  // Another message of the same new sender won the race; use its contact.
  await trx.deleteFrom('contacts').where('id', '=', contactId).execute();
  const winner = await trx
    .selectFrom('contact_identities')
    .select('contact_id')
    .where('channel_id', '=', channelId)
    .where('external_id', '=', sender.externalId)
    .executeTakeFirstOrThrow();
  return winner.contact_id;
}

async function attach(trx: Transaction<Database>, messageId: string, message: InboundMessage): Promise<void> {
  const stored = message.attachments.filter((a) => a.storedId).map((a) => a.storedId!);
  if (stored.length > 0) {
    await trx
      .updateTable('attachments')
      .set({ message_id: messageId })
      .where('id', 'in', stored)
      .where('owner', '=', senderUploadScope(message.channelId, message.sender.externalId))
      .where('message_id', 'is', null)
      .execute();
  }
  const remote = message.attachments.filter((a) => !a.storedId);
  if (remote.length > 0) {
    await trx
      .insertInto('attachments')
      .values(
        remote.map((a) => ({
          id: newId(),
          message_id: messageId,
          owner: `channel:${message.channelId}`,
          kind: a.kind,
          name: a.name ?? null,
          mime_type: a.mimeType ?? null,
          size: a.size ?? null,
          storage_key: null,
          remote: a.remote ?? null,
          meta: a.latitude !== undefined ? JSON.stringify({ latitude: a.latitude, longitude: a.longitude }) : null,
        })),
      )
      .execute();
  }
}

export function previewOf(message: { text: string; attachments: readonly { kind: string; name?: string | undefined }[] }): string {
  const text = message.text.replace(/\s+/g, ' ').trim();
  if (text) return text.slice(0, 200);
  const first = message.attachments[0];
  return first ? `[${first.kind}${first.name ? `: ${first.name}` : ''}]` : '';
}
