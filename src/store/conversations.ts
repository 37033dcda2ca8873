import { sql, type Updateable } from 'kysely';
import type { Conversation, ConversationStatus, Priority } from '../domain/conversation.js';
import type { Db } from './database.js';
import { type ConversationRow, toContact, toConversation } from './mappers.js';
import { appendEvents, type Cause, caused, type OutboxBatch } from './outbox.js';
import type { ConversationsTable } from './schema.js';
import { insertSystemNotes, type NoteInput } from './system-notes.js';

/** Loads conversations with their contact and the contact's identities, in the order of `ids`. */
export async function getConversations(db: Db, ids: readonly string[]): Promise<Conversation[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('conversations').selectAll().where('id', 'in', ids).execute();
  return hydrate(db, rows, ids);
}

export async function getConversation(db: Db, id: string): Promise<Conversation | undefined> {
  const [conversation] = await getConversations(db, [id]);
  return conversation;
}

/** Conversation rows → API conversations with their contacts (two queries for any number of rows). */
export async function hydrate(db: Db, rows: ConversationRow[], order?: readonly string[]): Promise<Conversation[]> {
  if (rows.length === 0) return [];
  const contactIds = [...new Set(rows.map((r) => r.contact_id))];
  const [contacts, identities] = await Promise.all([
    db.selectFrom('contacts').selectAll().where('id', 'in', contactIds).execute(),
    db
      .selectFrom('contact_identities')
      .select(['contact_id', 'channel_id', 'external_id', 'handle'])
      .where('contact_id', 'in', contactIds)
      .orderBy('created_at')
      .execute(),
  ]);
  const byId = new Map(contacts.map((c) => [c.id, toContact(c, identities)]));
  const result = rows.map((row) => toConversation(row, byId.get(row.contact_id)!));
  if (!order) return result;
  const position = new Map(order.map((id, index) => [id, index]));
  return result.sort((a, b) => position.get(a.id)! - position.get(b.id)!);
}

export type CsatFilter = 'rated' | 'unrated' | 'low' | 'high' | '1' | '2' | '3' | '4' | '5';

export interface ConversationFilter {
  status?: ConversationStatus | undefined;
  channelId?: string | undefined;
  /** An agent id, or 'unassigned'. */
  assignee?: string | undefined;
  priority?: Priority | undefined;
  label?: string | undefined;
  contactId?: string | undefined;
  q?: string | undefined;
  /** A team id, or 'none'. */
  team?: string | undefined;
  escalated?: boolean | undefined;
  /** `breached`: not resolved and a target past due now; `running`: a target clock runs. */
  sla?: 'breached' | 'running' | undefined;
  /** By the newest survey answer (issue 15). */
  csat?: CsatFilter | undefined;
  /** A running target due before this time. */
  dueBefore?: string | undefined;
  sort?: 'activity' | 'due' | undefined;
  limit: number;
  /** After this row: `lastMessageAt` for the activity order, `dueAt` for `sort: 'due'`. */
  cursor?: { lastMessageAt: string; id: string } | { dueAt: string | null; id: string } | undefined;
}

/**
 * Newest activity first, keyset-paged on (last_message_at, id); or, with `sort: 'due'`, the
 * soonest service-level due time first (overdue at the top), those without one last, paged on
 * (sla_due_at, id).
 */
export async function listConversations(db: Db, filter: ConversationFilter): Promise<{ items: Conversation[]; next: ConversationRow | null }> {
  let query = db.selectFrom('conversations').selectAll('conversations');
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.channelId) query = query.where('channel_id', '=', filter.channelId);
  if (filter.assignee === 'unassigned') query = query.where('assignee_id', 'is', null);
  else if (filter.assignee) query = query.where('assignee_id', '=', filter.assignee);
  if (filter.priority) query = query.where('priority', '=', filter.priority);
  if (filter.label) query = query.where(sql<boolean>`${filter.label} = any(labels)`);
  if (filter.contactId) query = query.where('contact_id', '=', filter.contactId);
  if (filter.q) {
    const pattern = `%${escapeLike(filter.q)}%`;
    query = query.where((eb) =>
      eb.or([
        eb('subject', 'ilike', pattern),
        eb.exists(
          eb
            .selectFrom('contacts')
            .select(sql`1`.as('one'))
            .whereRef('contacts.id', '=', 'conversations.contact_id')
            .where((c) => c.or([c('contacts.name', 'ilike', pattern), c('contacts.email', 'ilike', pattern)])),
        ),
        eb.exists(
          eb
            .selectFrom('messages')
            .select(sql`1`.as('one'))
            .whereRef('messages.conversation_id', '=', 'conversations.id')
            .where('messages.author_type', '!=', 'system')
            .where('messages.text', 'ilike', pattern),
        ),
      ]),
    );
  }
  if (filter.team === 'none') query = query.where('team_id', 'is', null);
  else if (filter.team) query = query.where('team_id', '=', filter.team);
  if (filter.escalated !== undefined) query = query.where('escalation', filter.escalated ? 'is not' : 'is', null);
  if (filter.sla === 'breached') query = query.where('sla_breached_at', 'is not', null).where('status', '!=', 'resolved');
  if (filter.sla === 'running') query = query.where('sla_due_at', 'is not', null);
  if (filter.dueBefore) query = query.where('sla_due_at', '<', new Date(filter.dueBefore));
  if (filter.csat) {
    const rating = sql<number>`(csat->>'rating')::int`;
    const csat = filter.csat;
    if (csat === 'rated') query = query.where('csat', 'is not', null);
    else if (csat === 'unrated') query = query.where('csat', 'is', null);
    else if (csat === 'low') query = query.where(rating, '<=', 2);
    else if (csat === 'high') query = query.where(rating, '>=', 4);
    else query = query.where(rating, '=', Number(csat));
  }
  const cursor = filter.cursor;
  if (cursor && 'lastMessageAt' in cursor) {
    query = query.where(sql<boolean>`(last_message_at, conversations.id) < (${cursor.lastMessageAt}::timestamptz, ${cursor.id})`);
  } else if (cursor) {
    query =
      cursor.dueAt === null
        ? query.where('sla_due_at', 'is', null).where('conversations.id', '>', cursor.id)
        : query.where(sql<boolean>`(sla_due_at is null or (sla_due_at, conversations.id) > (${cursor.dueAt}::timestamptz, ${cursor.id}))`);
  }
  const ordered =
    filter.sort === 'due'
      ? query.orderBy(sql`sla_due_at asc nulls last`).orderBy('conversations.id', 'asc')
      : query.orderBy('last_message_at', 'desc').orderBy('conversations.id', 'desc');
  const rows = await ordered.limit(filter.limit + 1).execute();
  const page = rows.slice(0, filter.limit);
  return { items: await hydrate(db, page), next: rows.length > filter.limit ? page[page.length - 1]! : null };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Sets `unread` for one agent: a customer message arrived after the agent last read the conversation. */
export async function withUnread(db: Db, agentId: string, conversations: Conversation[]): Promise<Conversation[]> {
  if (conversations.length === 0) return conversations;
  const reads = await db
    .selectFrom('conversation_reads')
    .select(['conversation_id', 'read_at'])
    .where('agent_id', '=', agentId)
    .where(
      'conversation_id',
      'in',
      conversations.map((c) => c.id),
    )
    .execute();
  const readAt = new Map(reads.map((r) => [r.conversation_id, new Date(r.read_at).getTime()]));
  return conversations.map((c) => ({
    ...c,
    unread: c.lastInboundAt !== null && new Date(c.lastInboundAt).getTime() > (readAt.get(c.id) ?? -Infinity),
  }));
}

export async function markRead(db: Db, agentId: string, conversationId: string, at: Date): Promise<void> {
  await db
    .insertInto('conversation_reads')
    .values({ agent_id: agentId, conversation_id: conversationId, read_at: at })
    .onConflict((oc) => oc.columns(['agent_id', 'conversation_id']).doUpdateSet({ read_at: sql`greatest(conversation_reads.read_at, excluded.read_at)` }))
    .execute();
}

/**
 * An agent's (or a desk feature's) change to a conversation and the system lines recording it,
 * with their events, in one transaction.
 */
export async function changeConversation(
  db: Db,
  target: { conversationId: string; channelId: string },
  set: Updateable<ConversationsTable>,
  author: { id: string; name: string },
  notes: readonly NoteInput[],
  at: Date,
  cause?: Cause,
): Promise<OutboxBatch> {
  return db.transaction().execute(async (trx) => {
    await trx.updateTable('conversations').set(set).where('id', '=', target.conversationId).execute();
    const noteEvents = await insertSystemNotes(trx, target, author, notes, at);
    return (await appendEvents(trx, caused([{ type: 'conversation.updated', conversationId: target.conversationId }, ...noteEvents], cause)))!;
  });
}

/**
 * Makes a stored conversation an urgent case (DESIGN §10), adding the desk's labels to the agents'
 * and a system line saying why. Already escalated: nothing changes and there is no event, so a
 * repeated trigger does not notify the inbox again.
 */
export async function escalateConversation(
  db: Db,
  target: { conversationId: string; channelId: string },
  escalation: { reason: string; labels: readonly string[]; by: string },
  note: NoteInput,
  at: Date,
): Promise<OutboxBatch | undefined> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('conversations')
      .set({
        priority: 'urgent',
        labels: sql`labels || array(select l from unnest(${[...escalation.labels]}::text[]) as l where not (l = any(labels)))`,
        escalation: JSON.stringify({ level: 1, reason: escalation.reason, at: at.toISOString(), by: escalation.by }),
      })
      .where('id', '=', target.conversationId)
      .where('escalation', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!row) return undefined;
    const noteEvents = await insertSystemNotes(trx, target, { id: escalation.by, name: escalation.by }, [note], at);
    return appendEvents(trx, [
      { type: 'conversation.updated', conversationId: target.conversationId },
      { type: 'conversation.escalated', conversationId: target.conversationId, reason: escalation.reason },
      ...noteEvents,
    ]);
  });
}

/** Snoozed conversations whose time has come go back to `open`, with their events. */
export async function wakeSnoozed(db: Db): Promise<OutboxBatch | undefined> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .updateTable('conversations')
      .set({ status: 'open', snoozed_until: null })
      .where('status', '=', 'snoozed')
      .where('snoozed_until', '<=', sql<Date>`now()`)
      .returning('id')
      .execute();
    return appendEvents(trx, rows.map((r) => ({ type: 'conversation.updated' as const, conversationId: r.id })));
  });
}
