import { sql } from 'kysely';
import type { Message } from '../domain/message.js';
import type { Db } from './database.js';
import { iso, messageColumns, type IdentityRow } from './mappers.js';
import { hydrateMessages } from './messages.js';

/**
 * The customer page's reads (issue 17): one contact across every channel it has an identity on —
 * search, its conversations and survey answers, one timeline of all their messages — and the
 * agents' notes about the customer.
 */

export interface ContactRecordRow {
  id: string;
  name: string;
  email: string | null;
  avatarUrl: string | null;
  userId: string | null;
  createdAt: string;
  identities: { channelId: string; externalId: string; handle: string | null }[];
}

export interface ContactSummaryRow extends ContactRecordRow {
  lastActivityAt: string | null;
  conversations: number;
}

export interface SearchCursor {
  at: string;
  id: string;
}

const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

const hasUserIdColumn = new WeakMap<Db, Promise<boolean>>();
/**
 * Whether contacts carry the app's user id yet (`contacts.user_id`, added by the identity links'
 * migration 017). Until that migration is in the schema, user-id search finds nothing and every
 * contact's `userId` is null, rather than the query failing; asked once per database.
 */
function userIdAvailable(db: Db): Promise<boolean> {
  let known = hasUserIdColumn.get(db);
  if (!known) {
    known = sql<{ one: number }>`select 1 as one from information_schema.columns where table_schema = current_schema() and table_name = 'contacts' and column_name = 'user_id'`
      .execute(db)
      .then((r) => r.rows.length > 0);
    hasUserIdColumn.set(db, known);
  }
  return known;
}

interface ContactSqlRow {
  id: string;
  name: string;
  email: string | null;
  avatar_url: string | null;
  user_id: string | null;
  created_at: Date;
}

async function identitiesOf(db: Db, contactIds: readonly string[]): Promise<IdentityRow[]> {
  if (contactIds.length === 0) return [];
  return db
    .selectFrom('contact_identities')
    .select(['contact_id', 'channel_id', 'external_id', 'handle'])
    .where('contact_id', 'in', contactIds)
    .orderBy('created_at')
    .orderBy('channel_id')
    .execute();
}

const recordOf = (row: ContactSqlRow, identities: readonly IdentityRow[]): ContactRecordRow => ({
  id: row.id,
  name: row.name,
  email: row.email,
  avatarUrl: row.avatar_url,
  userId: row.user_id,
  createdAt: iso(row.created_at),
  identities: identities.filter((i) => i.contact_id === row.id).map((i) => ({ channelId: i.channel_id, externalId: i.external_id, handle: i.handle })),
});

/**
 * Customers matching `q` — a substring of the name (Chinese too), email, an identity's handle or
 * platform id, or exactly the contact id or the app's user id (pasted whole from the app's own
 * console) — the most recently active first, keyset-paged on (last activity, id). Without `q`:
 * every customer, the same order.
 */
export async function searchContacts(db: Db, search: { q?: string | undefined; limit: number; cursor?: SearchCursor | undefined }): Promise<{ items: ContactSummaryRow[]; next: SearchCursor | null }> {
  const withUserId = await userIdAvailable(db);
  const userIdColumn = withUserId ? sql`c.user_id` : sql`null::text`;
  const q = search.q?.trim();
  let hits = sql``;
  if (q) {
    const pattern = `%${escapeLike(q)}%`;
    // A union of index-backed lookups (each ILIKE on its trigram index), not one OR across tables.
    hits = sql`join (
        select id from contacts where name ilike ${pattern} or email ilike ${pattern} or id = ${q}
        union select contact_id from contact_identities where handle ilike ${pattern} or external_id ilike ${pattern}
        ${withUserId ? sql`union select id from contacts where user_id = ${q}` : sql``}
      ) hits on hits.id = c.id`;
  }
  const cursor = search.cursor ? sql`where (coalesce(a.last_at, c.created_at), c.id) < (${search.cursor.at}::timestamptz, ${search.cursor.id})` : sql``;
  const { rows } = await sql<ContactSqlRow & { last_at: Date | null; active_at: Date; n: number }>`
    select c.id, c.name, c.email, c.avatar_url, ${userIdColumn} as user_id, c.created_at, a.last_at, a.n, coalesce(a.last_at, c.created_at) as active_at
    from contacts c
    ${hits}
    left join lateral (select max(v.last_message_at) as last_at, count(*)::int as n from conversations v where v.contact_id = c.id) a on true
    ${cursor}
    order by active_at desc, c.id desc
    limit ${search.limit + 1}`.execute(db);
  const page = rows.slice(0, search.limit);
  const identities = await identitiesOf(
    db,
    page.map((r) => r.id),
  );
  const items = page.map((row) => ({ ...recordOf(row, identities), lastActivityAt: row.last_at ? iso(row.last_at) : null, conversations: row.n }));
  const last = page[page.length - 1];
  return { items, next: rows.length > search.limit && last ? { at: iso(last.active_at), id: last.id } : null };
}

export async function getContactRecord(db: Db, id: string): Promise<ContactRecordRow | undefined> {
  const userIdColumn = (await userIdAvailable(db)) ? sql`user_id` : sql`null::text`;
  const { rows } = await sql<ContactSqlRow>`select id, name, email, avatar_url, ${userIdColumn} as user_id, created_at from contacts where id = ${id}`.execute(db);
  const row = rows[0];
  if (!row) return undefined;
  return recordOf(row, await identitiesOf(db, [row.id]));
}

/** Every conversation of the contact, on every channel, the most recently active first. */
export async function conversationsOfContact(db: Db, contactId: string) {
  return db
    .selectFrom('conversations')
    .select(['id', 'channel_id', 'channel_kind', 'status', 'priority', 'assignee_id', 'subject', 'created_at', 'last_message_at', 'last_message_preview', 'resolved_at', 'csat'])
    .where('contact_id', '=', contactId)
    .orderBy('last_message_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** Every survey answer the contact gave, newest first (a conversation resolved twice was surveyed twice). */
export async function csatHistory(db: Db, contactId: string) {
  return db
    .selectFrom('csat_surveys as s')
    .innerJoin('conversations as v', 'v.id', 's.conversation_id')
    .select(['s.id', 's.conversation_id', 's.channel_id', 'v.channel_kind', 's.rating', 's.comment', 's.rated_at', 's.rated_via', 's.resolved_at'])
    .where('v.contact_id', '=', contactId)
    .where('s.rating', 'is not', null)
    .orderBy('s.rated_at', 'desc')
    .orderBy('s.id', 'desc')
    .execute();
}

export type TimelineMessage = Message & { channelId: string; channelKind: string };

/**
 * The messages of every conversation of the contact as one timeline, in the platforms' order
 * (sent time, then arrival — as each conversation orders its own): the newest `limit` before the
 * message `before`, oldest first. Private notes and system lines included (agents only).
 * `null` when `before` is not a message of this contact.
 */
export async function contactTimeline(db: Db, contactId: string, page: { before?: string | undefined; limit: number }): Promise<{ items: TimelineMessage[]; more: boolean } | null> {
  const conversations = await db.selectFrom('conversations').select(['id', 'channel_id', 'channel_kind']).where('contact_id', '=', contactId).execute();
  if (conversations.length === 0) return page.before ? null : { items: [], more: false };
  const ids = conversations.map((c) => c.id);
  let query = db.selectFrom('messages').select(messageColumns).where('conversation_id', 'in', ids);
  if (page.before) {
    const pivot = await db.selectFrom('messages').select(['created_at', 'seq']).where('id', '=', page.before).where('conversation_id', 'in', ids).executeTakeFirst();
    if (!pivot) return null;
    query = query.where((eb) => eb.or([eb('created_at', '<', pivot.created_at), eb.and([eb('created_at', '=', pivot.created_at), eb('seq', '<', pivot.seq)])]));
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('seq', 'desc').limit(page.limit + 1).execute();
  const more = rows.length > page.limit;
  const pageRows = rows.slice(0, page.limit).reverse();
  const byId = new Map(conversations.map((c) => [c.id, c]));
  const messages = await hydrateMessages(db, pageRows);
  return {
    items: messages.map((m) => {
      const conversation = byId.get(m.conversationId)!;
      return { ...m, channelId: conversation.channel_id, channelKind: conversation.channel_kind };
    }),
    more,
  };
}

// ——— Notes ———

export interface CustomerNoteRow {
  id: string;
  contact_id: string;
  author_id: string | null;
  author_name: string;
  text: string;
  created_at: Date;
}

/** The notes about a customer, newest first. */
export async function listCustomerNotes(db: Db, contactId: string): Promise<CustomerNoteRow[]> {
  return db.selectFrom('customer_notes').selectAll().where('contact_id', '=', contactId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

export async function insertCustomerNote(db: Db, note: { id: string; contactId: string; authorId: string; authorName: string; text: string }): Promise<CustomerNoteRow> {
  return db
    .insertInto('customer_notes')
    .values({ id: note.id, contact_id: note.contactId, author_id: note.authorId, author_name: note.authorName, text: note.text })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getCustomerNote(db: Db, contactId: string, noteId: string): Promise<CustomerNoteRow | undefined> {
  return db.selectFrom('customer_notes').selectAll().where('id', '=', noteId).where('contact_id', '=', contactId).executeTakeFirst();
}

export async function deleteCustomerNote(db: Db, noteId: string): Promise<boolean> {
  const result = await db.deleteFrom('customer_notes').where('id', '=', noteId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
