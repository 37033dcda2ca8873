import { sql } from 'kysely';
import type { DomainEvent } from '../domain/events.js';
import type { MessageError } from '../domain/message.js';
import { type Db, preparedAs } from './database.js';
import { type AttachmentRow, type ContactRow, type ConversationRow, type IdentityRow, type MessageRow, messageColumns } from './mappers.js';
import { insertSelectParts, outboundMessageRow } from './message-rows.js';
import type { StoredChoice } from './schema.js';
import { appendEvents, type Cause, caused, type Executor, type OutboxBatch, toBatch } from './outbox.js';

/** Everything sending one reply needs, read while marking it `sending`. */
export interface ClaimedReply {
  id: string;
  text: string;
  author_name: string;
  author_type: string;
  reply_to_external_id: string | null;
  created_at: Date;
  sent_parts: string[];
  /** A question's options (a survey), for `sendChoice`. */
  choice: StoredChoice | null;
  conversation_id: string;
  channel_id: string;
  thread_key: string;
  subject: string | null;
  contact_email: string | null;
  /** The contact's first identity on this channel (its platform address). */
  identity: string | null;
  files: AttachmentRow[];
  /** The conversation's first platform id, and its newest 30 (newest first), for threading. */
  first_external_id: string | null;
  recent: { external_id: string; direction: 'inbound' | 'outbound'; seq: string }[];
}

/**
 * Marks a queued reply `sending` and reads what sending it needs, in one statement: each round
 * trip to Postgres was ~150 µs of kernel time on our 2-core test machine, and the seven this
 * took one query at a time made replies, not Postgres, the bottleneck. Returns undefined when the
 * message is not a reply waiting to be sent (gone, a note, already sent or failed).
 */
export async function claimForSending(db: Db, messageId: string, withHistory: boolean): Promise<ClaimedReply | undefined> {
  const history = withHistory
    ? sql`(select f.external_id from messages f
        where f.conversation_id = c.id and f.external_id is not null and not f.private order by f.seq limit 1) as first_external_id,
      coalesce((select json_agg(h) from (
        select r.external_id, r.direction, r.seq::text as seq from messages r
        where r.conversation_id = c.id and r.external_id is not null and not r.private order by r.seq desc limit 30) h), '[]'::json) as recent`
    : sql`null as first_external_id, '[]'::json as recent`;
  const { rows } = await sql<ClaimedReply>`
    with claimed as (
      update messages set status = 'sending', updated_at = now()
      where id = ${messageId} and direction = 'outbound' and not private and status in ('queued', 'sending')
      returning id, text, author_name, author_type, reply_to_external_id, created_at, sent_parts, choice, conversation_id
    )
    select claimed.*, c.channel_id, c.thread_key, c.subject, ct.email as contact_email,
      (select i.external_id from contact_identities i
        where i.contact_id = c.contact_id and i.channel_id = c.channel_id order by i.created_at limit 1) as identity,
      coalesce((select json_agg(a order by a.created_at, a.id) from attachments a where a.message_id = claimed.id), '[]'::json) as files,
      ${history}
    from claimed
    join conversations c on c.id = claimed.conversation_id
    join contacts ct on ct.id = c.contact_id${preparedAs(withHistory ? 'claim_reply_with_history' : 'claim_reply')}`.execute(db);
  return rows[0];
}

/** Why a reply was not claimed, for the worker's log. */
export async function unsendableReason(db: Db, messageId: string): Promise<string> {
  const row = await db.selectFrom('messages').select(['status', 'private', 'direction']).where('id', '=', messageId).executeTakeFirst();
  if (!row) return 'message no longer exists';
  if (row.direction !== 'outbound') return 'message is inbound';
  if (row.private) return 'message is an internal note';
  return `message is ${row.status}`;
}

export interface NewReply {
  id: string;
  conversationId: string;
  channelId: string;
  author: { type: 'agent' | 'bot'; id: string; name: string };
  text: string;
  /** An internal note: never sent, and never the customer's answer. */
  private: boolean;
  /**
   * Sent by the desk itself (an acknowledgement, a safety warning): it answers nobody, so the
   * conversation's first response, waiting time and preview stay as they are.
   */
  automatic: boolean;
  replyToExternalId: string | null;
  idempotencyKey: string | null;
  preview: string;
  at: Date;
  /** Its place in the timeline, when not `at`. */
  createdAt?: Date;
  /** A question with options (a survey), presented natively by channels that can. */
  choice?: StoredChoice;
  /** Sent by an automation rule's action (issue 18): its events carry the rules' chain. */
  cause?: Cause;
  /**
   * Written by an agent bot (issue 18): saved only while that bot holds the conversation, and it
   * answers the customer without being the team's first response or taking the conversation over.
   */
  onlyBot?: string;
}

export interface SavedReply {
  message: MessageRow;
  conversation: ConversationRow;
  contact: ContactRow;
  identities: IdentityRow[];
  batch: OutboxBatch;
}

/**
 * Saves an agent's reply or note, or an automatic message, moves its conversation forward (the
 * reply bookkeeping — first response, waiting since, preview — lives here and nowhere else) and
 * records the events, as one statement: atomic without BEGIN/COMMIT, one round trip where a
 * transaction and the reads after it took nine. Inside a transaction (replies with files) it is
 * the same statement. Undefined when the conversation does not exist.
 */
export async function insertReply(db: Executor, reply: NewReply): Promise<SavedReply | undefined> {
  // Someone answered the customer (a person or an agent bot); a person's answer is the team's.
  const answers = !reply.private && !reply.automatic;
  const person = answers && reply.onlyBot === undefined;
  const onlyBot = reply.onlyBot ?? null;
  const row = outboundMessageRow({ ...reply, author: reply.author });
  const { columns, values } = insertSelectParts(row);
  const events: DomainEvent[] = caused<DomainEvent>(
    [
      { type: 'message.created', conversationId: reply.conversationId, messageId: reply.id, direction: 'outbound', author: reply.author.type },
      ...(reply.automatic ? [] : [{ type: 'conversation.updated' as const, conversationId: reply.conversationId }]),
    ],
    reply.cause,
  );
  const { rows } = await sql<MessageRow & { conversation: ConversationRow; contact: ContactRow; identities: IdentityRow[]; outbox_id: string }>`
    with conv as (
      update conversations set
        last_message_at = case when ${reply.automatic} then last_message_at else ${reply.at} end,
        last_message_preview = case when ${answers} then ${reply.preview} else last_message_preview end,
        first_response_at = case when ${person} then coalesce(first_response_at, ${reply.at}) else first_response_at end,
        waiting_since = case when ${answers} then null else waiting_since end,
        -- A person answered: the bot stops here for good (issue 16), and a conversation it
        -- still held counts as taken over from it.
        handoff = case when ${person} and handled_by = 'bot' then jsonb_build_object('at', ${reply.at.toISOString()}::text, 'reason', 'taken-over') else handoff end,
        handled_by = case when ${person} then 'agent' else handled_by end
      where id = ${reply.conversationId}
        and (${onlyBot}::text is null or (handled_by = 'bot' and bot_id = ${onlyBot}::text))
      returning *
    ), msg as (
      insert into messages (${columns}) select ${values} from conv
      returning ${sql.join(messageColumns.map((c) => sql.ref(c)))}
    ), event as (
      insert into outbox (events) select ${JSON.stringify(events)}::jsonb from msg returning id
    )
    select msg.*, row_to_json(conv) as conversation, row_to_json(ct) as contact,
      coalesce((select json_agg(i order by i.created_at) from contact_identities i where i.contact_id = conv.contact_id), '[]'::json) as identities,
      (select id::text from event) as outbox_id
    from msg join conv on conv.id = msg.conversation_id join contacts ct on ct.id = conv.contact_id${preparedAs('insert_reply')}`.execute(db);
  const found = rows[0];
  if (!found) return undefined;
  const { conversation, contact, identities, outbox_id, ...message } = found;
  return { message, conversation, contact, identities, batch: toBatch(outbox_id, events) };
}

/**
 * A delivered reply: `sent` with the platform's ids, and its event, in one statement (prepared:
 * this runs once per reply).
 */
export async function markSent(db: Db, messageId: string, parts: readonly string[], at: Date): Promise<{ message: MessageRow; batch: OutboxBatch } | undefined> {
  const { rows } = await sql<MessageRow & { outbox_id: string }>`
    with sent as (
      update messages set status = 'sent', sent_at = ${at}, updated_at = ${at}, error = null, external_id = ${parts[0] ?? null}, sent_parts = ${parts}::text[]
      where id = ${messageId}
      returning ${sql.join(messageColumns.map((c) => sql.ref(c)))}
    ), event as (
      insert into outbox (events)
      select jsonb_build_array(jsonb_build_object('type', 'message.updated', 'conversationId', sent.conversation_id, 'messageId', sent.id)) from sent
      returning id
    )
    select sent.*, (select id::text from event) as outbox_id from sent${preparedAs('mark_reply_sent')}`.execute(db);
  const found = rows[0];
  if (!found) return undefined;
  const { outbox_id, ...message } = found;
  return { message, batch: toBatch(outbox_id, [{ type: 'message.updated', conversationId: message.conversation_id, messageId: message.id }]) };
}

/** A send attempt's outcome short of `sent`: `failed` with the reason, or back to `queued` for a retry. */
export async function markUnsent(
  db: Db,
  messageId: string,
  status: 'failed' | 'queued',
  error: MessageError,
): Promise<{ channelId: string; batch: OutboxBatch } | undefined> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('messages')
      .set({ status, error: JSON.stringify(error), updated_at: new Date() })
      .where('id', '=', messageId)
      .returning(['id', 'conversation_id', 'channel_id'])
      .executeTakeFirst();
    if (!row) return undefined;
    const batch = await appendEvents(trx, [{ type: 'message.updated', conversationId: row.conversation_id, messageId: row.id }]);
    return { channelId: row.channel_id, batch: batch! };
  });
}

/** Parts of a split reply delivered before a failure, so the retry continues after them. */
export async function recordSentParts(db: Db, messageId: string, parts: readonly string[]): Promise<void> {
  await db.updateTable('messages').set({ sent_parts: [...parts] }).where('id', '=', messageId).execute();
}

/** A failed reply back to `queued` (`POST /api/messages/:id/retry`); its channel, or why not. */
export async function requeueFailed(db: Db, messageId: string): Promise<{ channelId: string; batch: OutboxBatch } | { refused: string; status: 404 | 409 }> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('messages').select(['id', 'status', 'direction', 'private', 'channel_id', 'conversation_id']).where('id', '=', messageId).forUpdate().executeTakeFirst();
    if (!row) return { refused: 'message not found', status: 404 as const };
    if (row.direction !== 'outbound' || row.private) return { refused: 'only replies to customers can be retried', status: 409 as const };
    if (row.status !== 'failed') return { refused: `message is ${row.status}, not failed`, status: 409 as const };
    await trx.updateTable('messages').set({ status: 'queued', error: null, updated_at: new Date() }).where('id', '=', messageId).execute();
    const batch = await appendEvents(trx, [{ type: 'message.updated', conversationId: row.conversation_id, messageId }]);
    return { channelId: row.channel_id, batch: batch! };
  });
}

/** The message an agent already sent with this Idempotency-Key, if any. */
export async function messageIdByIdempotencyKey(db: Db, authorId: string, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('messages').select('id').where('author_id', '=', authorId).where('idempotency_key', '=', key).executeTakeFirst();
  return row?.id;
}

/** Who answers a conversation now, and which agent bot it was opened for (issue 18). */
export async function conversationHolder(db: Db, conversationId: string): Promise<{ handledBy: 'bot' | 'agent'; botId: string | null } | undefined> {
  const row = await db.selectFrom('conversations').select(['handled_by', 'bot_id']).where('id', '=', conversationId).executeTakeFirst();
  return row && { handledBy: row.handled_by, botId: row.bot_id };
}

/** A conversation's channel (it never changes). */
export async function channelOfConversation(db: Db, conversationId: string): Promise<string | undefined> {
  const row = await db.selectFrom('conversations').select('channel_id').where('id', '=', conversationId).executeTakeFirst();
  return row?.channel_id;
}

/** Replies saved but possibly never queued (older than `olderThan`, still `queued`/`sending`). */
export async function stuckReplies(db: Db, olderThan: Date, limit: number): Promise<{ id: string; channel_id: string }[]> {
  return db
    .selectFrom('messages')
    .select(['id', 'channel_id'])
    .where('status', 'in', ['queued', 'sending'])
    .where('direction', '=', 'outbound')
    .where('private', '=', false)
    .where('updated_at', '<', olderThan)
    .limit(limit)
    .execute();
}

/** Whether an agent already answered the customer here (not a note, not the desk's automatic messages). */
export async function hasAgentReply(db: Db, conversationId: string): Promise<boolean> {
  const row = await db
    .selectFrom('messages')
    .select('id')
    .where('conversation_id', '=', conversationId)
    .where('author_type', '=', 'agent')
    .where('private', '=', false)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
