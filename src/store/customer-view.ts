import type { Db } from './database.js';

/**
 * What a customer may see of their own conversation on a channel (the web chat widget): the SQL
 * behind the customer side's use cases (src/inbox/customers.ts).
 */

export async function customerConversation(db: Db, channelId: string, threadKey: string): Promise<{ id: string; status: 'open' | 'pending' | 'snoozed' | 'resolved' } | undefined> {
  return db.selectFrom('conversations').select(['id', 'status']).where('channel_id', '=', channelId).where('thread_key', '=', threadKey).executeTakeFirst();
}

/** Whether a message is a non-private message of the customer's conversation on this channel. */
export async function isCustomerMessage(db: Db, channelId: string, threadKey: string, messageId: string): Promise<boolean> {
  const row = await db
    .selectFrom('messages')
    .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .select('messages.id')
    .where('messages.id', '=', messageId)
    .where('messages.private', '=', false)
    .where('conversations.channel_id', '=', channelId)
    .where('conversations.thread_key', '=', threadKey)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Which conversations a customer may read: `thread` their own conversation on the channel only
 * (an anonymous widget visitor); `identity` every conversation on the channel of the contact their
 * identity belongs to (an identified app user: their earlier threads, and those a verified link or
 * an agent's merge joined to them) — never another contact's.
 */
export type CustomerScope = 'thread' | 'identity';

export interface CustomerConversationRow {
  id: string;
  status: 'open' | 'pending' | 'snoozed' | 'resolved';
  thread_key: string;
  subject: string | null;
  created_at: Date;
  last_message_at: Date;
  resolved_at: Date | null;
}

const identityContact = (db: Db, channelId: string, externalId: string) =>
  db.selectFrom('contact_identities').select('contact_id').where('channel_id', '=', channelId).where('external_id', '=', externalId);

/** The conversations of the contact owning this identity on this channel, newest activity first. */
export async function identityConversations(db: Db, channelId: string, externalId: string, limit: number): Promise<CustomerConversationRow[]> {
  return db
    .selectFrom('conversations')
    .select(['id', 'status', 'thread_key', 'subject', 'created_at', 'last_message_at', 'resolved_at'])
    .where('channel_id', '=', channelId)
    .where('contact_id', 'in', identityContact(db, channelId, externalId))
    .orderBy('last_message_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** The newest text a customer may see in each of these conversations (no notes, no system lines). */
export async function lastVisibleTexts(db: Db, conversationIds: readonly string[]): Promise<Map<string, string>> {
  if (conversationIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('messages')
    .distinctOn('conversation_id')
    .select(['conversation_id', 'text'])
    .where('conversation_id', 'in', conversationIds)
    .where('private', '=', false)
    .where('author_type', '!=', 'system')
    .orderBy('conversation_id')
    .orderBy('created_at', 'desc')
    .orderBy('seq', 'desc')
    .execute();
  return new Map(rows.map((r) => [r.conversation_id, r.text]));
}

/** A conversation the customer may read in this scope, or undefined (not theirs, or none). */
export async function conversationInScope(db: Db, channelId: string, threadKey: string, conversationId: string, scope: CustomerScope): Promise<CustomerConversationRow | undefined> {
  let query = db
    .selectFrom('conversations')
    .select(['id', 'status', 'thread_key', 'subject', 'created_at', 'last_message_at', 'resolved_at'])
    .where('id', '=', conversationId)
    .where('channel_id', '=', channelId);
  query = scope === 'thread' ? query.where('thread_key', '=', threadKey) : query.where('contact_id', 'in', identityContact(db, channelId, threadKey));
  return query.executeTakeFirst();
}

/** Whether a message is a non-private message of a conversation this identity's contact has on the channel. */
export async function isIdentityMessage(db: Db, channelId: string, externalId: string, messageId: string): Promise<boolean> {
  const row = await db
    .selectFrom('messages')
    .innerJoin('conversations', 'conversations.id', 'messages.conversation_id')
    .select('messages.id')
    .where('messages.id', '=', messageId)
    .where('messages.private', '=', false)
    .where('conversations.channel_id', '=', channelId)
    .where('conversations.contact_id', 'in', identityContact(db, channelId, externalId))
    .executeTakeFirst();
  return row !== undefined;
}
