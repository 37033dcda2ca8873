import { sql } from 'kysely';
import { type Db, preparedAs } from './database.js';
import { type AttachmentRow, type ContactRow, type ConversationRow, type IdentityRow, type MessageRow, messageColumns } from './mappers.js';

/** Everything sending one reply needs, read while marking it `sending`. */
export interface ClaimedReply {
  id: string;
  text: string;
  author_name: string;
  author_type: string;
  reply_to_external_id: string | null;
  created_at: Date;
  sent_parts: string[];
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
      returning id, text, author_name, author_type, reply_to_external_id, created_at, sent_parts, conversation_id
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
  agentId: string;
  agentName: string;
  text: string;
  private: boolean;
  replyToExternalId: string | null;
  idempotencyKey: string | null;
  preview: string;
  at: Date;
}

export interface SavedReply {
  message: MessageRow;
  conversation: ConversationRow;
  contact: ContactRow;
  identities: IdentityRow[];
}

/**
 * Saves an agent's reply (or note) without attachments and moves its conversation forward, as one
 * statement (atomic without BEGIN/COMMIT), returning both rows for the announcement: one round
 * trip where a transaction and the reads after it took nine. Undefined when the conversation does
 * not exist.
 */
export async function insertReply(db: Db, reply: NewReply): Promise<SavedReply | undefined> {
  const note = reply.private;
  const { rows } = await sql<MessageRow & { conversation: ConversationRow; contact: ContactRow; identities: IdentityRow[] }>`
    with conv as (
      update conversations set
        last_message_at = ${reply.at},
        last_message_preview = case when ${note} then last_message_preview else ${reply.preview} end,
        first_response_at = case when ${note} then first_response_at else coalesce(first_response_at, ${reply.at}) end,
        waiting_since = case when ${note} then waiting_since else null end
      where id = ${reply.conversationId}
      returning *
    ), msg as (
      insert into messages (id, conversation_id, channel_id, direction, author_type, author_id, author_name, text, private,
        status, reply_to_external_id, idempotency_key, created_at, sent_at, updated_at)
      select ${reply.id}, conv.id, conv.channel_id, 'outbound', 'agent', ${reply.agentId}, ${reply.agentName}, ${reply.text}, ${note},
        ${note ? 'sent' : 'queued'}, ${reply.replyToExternalId}, ${reply.idempotencyKey}, ${reply.at}, ${note ? reply.at : null}, ${reply.at}
      from conv
      returning ${sql.join(messageColumns.map((c) => sql.ref(c)))}
    )
    select msg.*, row_to_json(conv) as conversation, row_to_json(ct) as contact,
      coalesce((select json_agg(i order by i.created_at) from contact_identities i where i.contact_id = conv.contact_id), '[]'::json) as identities
    from msg join conv on conv.id = msg.conversation_id join contacts ct on ct.id = conv.contact_id${preparedAs('insert_reply')}`.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  const { conversation, contact, identities, ...message } = row;
  return { message, conversation, contact, identities };
}
