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
