import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { DomainEvent } from '../domain/events.js';
import { newId } from '../domain/ids.js';
import { type AuditActor, recordAudit } from './audit.js';
import type { Db } from './database.js';
import { isUniqueViolation } from './database.js';
import { appendEvents, type OutboxBatch } from './outbox.js';
import type { Database } from './schema.js';
import { insertSystemNotes, type NoteInput } from './system-notes.js';

/**
 * SQL of verified identity links and reversible contact merges (issue 17); the rules that call
 * it are in `src/desk/identity`. Every change here is one transaction with its audit entry and
 * its outbox events, so a crash leaves either all of it or none.
 */

type Trx = Transaction<Database>;

/** A contact's own fields, as a merge found them and an undo puts them back. */
export interface ContactFields {
  name: string;
  email: string | null;
  avatar_url: string | null;
  user_id: string | null;
  updated_at: string;
}

/** What a merge changed: enough to restore both contacts exactly (`contact_merges.snapshot`). */
export interface MergeSnapshot {
  version: 1;
  kept: ContactFields;
  merged: ContactFields;
  /** The merged contact's identities, moved to the kept one. */
  identities: { channel_id: string; external_id: string; handle: string | null }[];
  /** The merged contact's conversations, moved to the kept one. */
  conversations: string[];
}

export interface MergeRow {
  id: string;
  kept_contact_id: string;
  merged_contact_id: string;
  by: string;
  reason: string;
  at: Date;
  undone_at: Date | null;
  undone_by: string | null;
}

/** Why a merge or an undo was refused; the routes turn these into 404/409. */
export class MergeRefusal extends Error {
  override readonly name = 'MergeRefusal';
  constructor(
    readonly code: 'not_found' | 'same_contact' | 'already_merged' | 'different_users' | 'already_undone' | 'later_merge',
    message: string,
  ) {
    super(message);
  }
}

// ── identity links ──────────────────────────────────────────────────────────────────────────

export async function insertLink(db: Db, link: { nonce: string; userId: string; createdBy: string | null; expiresAt: Date }): Promise<void> {
  await db.insertInto('identity_links').values({ nonce: link.nonce, user_id: link.userId, created_by: link.createdBy, expires_at: link.expiresAt }).execute();
}

/** Whether a bearer token is a long-lived API token (not a sign-in session). */
export async function isApiToken(db: Db, bearer: string | undefined): Promise<boolean> {
  if (!bearer) return false;
  const row = await db
    .selectFrom('api_tokens')
    .select('kind')
    .where('token_hash', '=', createHash('sha256').update(bearer).digest('hex'))
    .executeTakeFirst();
  return row?.kind === 'api';
}

export type LinkOutcome =
  | { kind: 'linked'; contactId: string; userId: string; batch?: OutboxBatch | undefined }
  | { kind: 'merged'; contactId: string; userId: string; mergeId: string; batch?: OutboxBatch | undefined }
  /** This contact already had this user id (a second code, a redelivered message, a widget session). */
  | { kind: 'already'; contactId: string; userId: string }
  | { kind: 'other_user'; contactId: string }
  | { kind: 'unknown' | 'expired' | 'used' };

const fieldsOf = (row: { name: string; email: string | null; avatar_url: string | null; user_id: string | null; updated_at: Date }): ContactFields => ({
  name: row.name,
  email: row.email,
  avatar_url: row.avatar_url,
  user_id: row.user_id,
  updated_at: row.updated_at.toISOString(),
});

/** Locks contacts in id order (two merges of the same pair never deadlock) and returns them. */
async function lockContacts(trx: Trx, ids: readonly string[]) {
  return trx
    .selectFrom('contacts')
    .select(['id', 'name', 'email', 'avatar_url', 'user_id', 'updated_at', 'merged_into'])
    .where('id', 'in', [...ids])
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** Links of one user id are serialized: two contacts linking the same id at once end as one. */
const lockUser = (trx: Trx, userId: string) => sql`select pg_advisory_xact_lock(hashtext(${`switchboard.identity.${userId}`}))`.execute(trx);

/** The contact an identity or conversation of `contactId` is on now (a merged contact's kept one). */
async function currentContact(trx: Trx, contactId: string): Promise<string> {
  let id = contactId;
  for (let hop = 0; hop < 20; hop += 1) {
    const row = await trx.selectFrom('contacts').select('merged_into').where('id', '=', id).executeTakeFirst();
    if (!row?.merged_into) return id;
    id = row.merged_into;
  }
  return id;
}

/**
 * Sets `userId` on a contact after a verified link; when another contact already has it, this
 * contact is merged into that one (recorded and reversible). In the caller's transaction.
 */
async function linkInTrx(trx: Trx, contactId: string, userId: string, actor: AuditActor, via: string, at: Date): Promise<LinkOutcome> {
  await lockUser(trx, userId);
  const id = await currentContact(trx, contactId);
  const [contact] = await lockContacts(trx, [id]);
  if (!contact) return { kind: 'unknown' };
  if (contact.user_id === userId) return { kind: 'already', contactId: id, userId };
  if (contact.user_id !== null) return { kind: 'other_user', contactId: id };
  const holder = await trx.selectFrom('contacts').select('id').where('user_id', '=', userId).executeTakeFirst();
  await recordAudit(trx, { actor, action: 'identity.link', target: { type: 'contact', id: holder?.id ?? id }, details: { userId, via, contactId: id } }, at);
  if (!holder) {
    await trx.updateTable('contacts').set({ user_id: userId, updated_at: at }).where('id', '=', id).execute();
    const conversations = await trx.selectFrom('conversations').select('id').where('contact_id', '=', id).execute();
    const note: NoteInput = { note: { type: 'contact-linked', params: { by: 'desk.identity', userId } }, text: `The customer linked this contact to user id ${userId}` };
    const batch = await appendEvents(trx, [
      ...conversations.map((c): DomainEvent => ({ type: 'conversation.updated', conversationId: c.id })),
      ...(await noteIn(trx, await latestConversation(trx, id), { id: 'desk.identity', name: 'Identity' }, note, at)),
    ]);
    return { kind: 'linked', contactId: id, userId, batch };
  }
  const merged = await mergeInTrx(trx, { keptId: holder.id, mergedId: id, by: actor, reason: `identity link (${via})`, at });
  return { kind: 'merged', contactId: holder.id, userId, mergeId: merged.mergeId, batch: merged.batch };
}

/**
 * Uses a code's nonce for a contact: one conditional UPDATE marks it used, so of two messages
 * carrying the same code (or two processes handling one) exactly one links.
 */
export async function useLink(db: Db, nonce: string, contactId: string, actor: AuditActor, via: string, at = new Date()): Promise<LinkOutcome> {
  return db.transaction().execute(async (trx) => {
    const claimed = await trx
      .updateTable('identity_links')
      .set({ used_at: at, used_by_contact: contactId })
      .where('nonce', '=', nonce)
      .where('used_at', 'is', null)
      .where('expires_at', '>', at)
      .returning('user_id')
      .executeTakeFirst();
    if (!claimed) {
      const row = await trx.selectFrom('identity_links').select(['used_at', 'used_by_contact', 'user_id', 'expires_at']).where('nonce', '=', nonce).executeTakeFirst();
      if (!row) return { kind: 'unknown' };
      // The same message seen again (an event redelivered after a crash): it did link, say so again.
      if (row.used_at && row.used_by_contact && (await currentContact(trx, row.used_by_contact)) === (await currentContact(trx, contactId))) {
        return { kind: 'already', contactId: await currentContact(trx, contactId), userId: row.user_id };
      }
      return { kind: row.used_at ? 'used' : 'expired' };
    }
    return linkInTrx(trx, contactId, claimed.user_id, actor, via, at);
  });
}

/**
 * A widget session with a valid `userHash`: the visitor's identity belongs to the contact of that
 * user id. A first-time visitor gets the identity (and, if nobody has the user id yet, a contact)
 * before their first message; a visitor already known is linked (or merged) like a code.
 */
export async function linkVerifiedIdentity(
  db: Db,
  identity: { channelId: string; externalId: string; userId: string; name?: string | undefined; email?: string | undefined },
  at = new Date(),
): Promise<LinkOutcome> {
  const actor: AuditActor = { type: 'system', id: 'desk.identity', name: 'Identity' };
  const attempt = () =>
    db.transaction().execute(async (trx): Promise<LinkOutcome> => {
      await lockUser(trx, identity.userId);
      const existing = await trx
        .selectFrom('contact_identities')
        .select('contact_id')
        .where('channel_id', '=', identity.channelId)
        .where('external_id', '=', identity.externalId)
        .executeTakeFirst();
      if (existing) return linkInTrx(trx, existing.contact_id, identity.userId, actor, 'widget', at);
      const holder = await trx.selectFrom('contacts').select('id').where('user_id', '=', identity.userId).executeTakeFirst();
      let contactId = holder?.id;
      if (!contactId) {
        contactId = newId();
        await trx
          .insertInto('contacts')
          .values({ id: contactId, name: identity.name ?? identity.email ?? 'Customer', email: identity.email ?? null, user_id: identity.userId, updated_at: at })
          .execute();
      }
      await trx.insertInto('contact_identities').values({ channel_id: identity.channelId, external_id: identity.externalId, contact_id: contactId, handle: null }).execute();
      await recordAudit(trx, { actor, action: 'identity.link', target: { type: 'contact', id: contactId }, details: { userId: identity.userId, via: 'widget', channelId: identity.channelId } }, at);
      return { kind: 'linked', contactId, userId: identity.userId };
    });
  try {
    return await attempt();
  } catch (error) {
    // The visitor's first message created the identity meanwhile: link that one.
    if (isUniqueViolation(error)) return attempt();
    throw error;
  }
}

// ── merges ──────────────────────────────────────────────────────────────────────────────────

const mergedNote = (by: string, mergeId: string, other: string): NoteInput => ({
  note: { type: 'contact-merged', params: { by, merge: mergeId, other } },
  text: `${by} merged ${other} into this customer`,
});
const unmergedNote = (by: string, mergeId: string, other: string): NoteInput => ({
  note: { type: 'contact-unmerged', params: { by, merge: mergeId, other } },
  text: `${by} undid the merge with ${other}`,
});

/** System lines in each given conversation, with their events. */
async function noteIn(trx: Trx, conversationIds: readonly string[], author: { id: string; name: string }, note: NoteInput, at: Date): Promise<DomainEvent[]> {
  if (conversationIds.length === 0) return [];
  const rows = await trx.selectFrom('conversations').select(['id', 'channel_id']).where('id', 'in', [...conversationIds]).execute();
  const events: DomainEvent[] = [];
  for (const row of rows) events.push(...(await insertSystemNotes(trx, { conversationId: row.id, channelId: row.channel_id }, author, [note], at)));
  return events;
}

const latestConversation = async (trx: Trx, contactId: string): Promise<string[]> => {
  const row = await trx.selectFrom('conversations').select('id').where('contact_id', '=', contactId).orderBy('last_message_at', 'desc').limit(1).executeTakeFirst();
  return row ? [row.id] : [];
};

async function mergeInTrx(
  trx: Trx,
  input: { keptId: string; mergedId: string; by: AuditActor; reason: string; at: Date },
): Promise<{ mergeId: string; batch?: OutboxBatch | undefined }> {
  const { keptId, mergedId, at } = input;
  if (keptId === mergedId) throw new MergeRefusal('same_contact', 'a contact cannot be merged into itself');
  const rows = await lockContacts(trx, [keptId, mergedId]);
  const kept = rows.find((r) => r.id === keptId);
  const merged = rows.find((r) => r.id === mergedId);
  if (!kept || !merged) throw new MergeRefusal('not_found', `no contact with id ${kept ? mergedId : keptId}`);
  if (kept.merged_into || merged.merged_into) throw new MergeRefusal('already_merged', `contact ${kept.merged_into ? keptId : mergedId} was merged into another one; undo that merge first`);
  if (kept.user_id && merged.user_id && kept.user_id !== merged.user_id) {
    throw new MergeRefusal('different_users', 'the two contacts are linked to different user ids of the app: they are different people');
  }
  const identities = await trx.selectFrom('contact_identities').select(['channel_id', 'external_id', 'handle']).where('contact_id', '=', mergedId).orderBy('channel_id').orderBy('external_id').execute();
  const conversations = (await trx.selectFrom('conversations').select('id').where('contact_id', '=', mergedId).orderBy('id').execute()).map((c) => c.id);
  const snapshot: MergeSnapshot = { version: 1, kept: fieldsOf(kept), merged: fieldsOf(merged), identities, conversations };
  const mergeId = newId();
  await trx
    .insertInto('contact_merges')
    .values({ id: mergeId, kept_contact_id: keptId, merged_contact_id: mergedId, snapshot: JSON.stringify(snapshot), by: input.by.name, reason: input.reason, at })
    .execute();
  await trx.updateTable('contact_identities').set({ contact_id: keptId }).where('contact_id', '=', mergedId).execute();
  await trx.updateTable('conversations').set({ contact_id: keptId }).where('contact_id', '=', mergedId).execute();
  // The user id moves first: one contact per user id, at every moment.
  await trx.updateTable('contacts').set({ user_id: null, merged_into: keptId, updated_at: at }).where('id', '=', mergedId).execute();
  await trx
    .updateTable('contacts')
    .set({ email: kept.email ?? merged.email, avatar_url: kept.avatar_url ?? merged.avatar_url, user_id: kept.user_id ?? merged.user_id, updated_at: at })
    .where('id', '=', keptId)
    .execute();
  await recordAudit(
    trx,
    {
      actor: input.by,
      action: 'contact.merge',
      target: { type: 'contact', id: keptId },
      details: { mergeId, mergedContactId: mergedId, reason: input.reason, identities: identities.length, conversations: conversations.length },
    },
    at,
  );
  const author = { id: input.by.type === 'agent' ? input.by.id : 'desk.identity', name: input.by.name };
  const events: DomainEvent[] = [
    ...conversations.map((id): DomainEvent => ({ type: 'conversation.updated', conversationId: id })),
    ...(await noteIn(trx, [...new Set([...conversations, ...(await latestConversation(trx, keptId))])], author, mergedNote(input.by.name, mergeId, merged.name), at)),
  ];
  return { mergeId, batch: await appendEvents(trx, events) };
}

/** An agent's explicit merge of `mergedId` into `keptId` (never automatic). */
export function mergeContacts(db: Db, input: { keptId: string; mergedId: string; by: AuditActor; reason: string }, at = new Date()) {
  return db.transaction().execute((trx) => mergeInTrx(trx, { ...input, at }));
}

/**
 * Undoes a merge: the merged contact gets back its fields, its identities and the conversations
 * it had; conversations started after the merge on one of its identities go with that identity
 * (a conversation on a channel where the kept contact has an identity of its own stays, unless
 * its thread is the moved identity's own: a Telegram chat, a widget session). The kept contact
 * gets back the fields it had. Undone in the reverse order of merges: a later merge involving
 * the kept contact must be undone first, so each undo finds what its snapshot describes.
 */
export async function undoMerge(db: Db, mergeId: string, by: AuditActor, at = new Date()): Promise<{ merge: MergeRow; restoredConversations: string[]; batch?: OutboxBatch | undefined }> {
  return db.transaction().execute(async (trx) => {
    const merge = await trx.selectFrom('contact_merges').selectAll().where('id', '=', mergeId).forUpdate().executeTakeFirst();
    if (!merge) throw new MergeRefusal('not_found', `no merge with id ${mergeId}`);
    if (merge.undone_at) throw new MergeRefusal('already_undone', 'this merge was already undone');
    const keptId = merge.kept_contact_id;
    const mergedId = merge.merged_contact_id;
    const rows = await lockContacts(trx, [keptId, mergedId]);
    const kept = rows.find((r) => r.id === keptId);
    const merged = rows.find((r) => r.id === mergedId);
    if (!kept || !merged) throw new MergeRefusal('not_found', 'one of the merged contacts no longer exists');
    const later = await trx
      .selectFrom('contact_merges')
      .select('id')
      .where('undone_at', 'is', null)
      .where('id', '!=', mergeId)
      .where('at', '>=', merge.at)
      .where((w) => w.or([w('kept_contact_id', 'in', [keptId, mergedId]), w('merged_contact_id', 'in', [keptId, mergedId])]))
      .executeTakeFirst();
    if (later || kept.merged_into) throw new MergeRefusal('later_merge', 'a later merge involves this customer: undo that one first');
    const snapshot = merge.snapshot as MergeSnapshot;
    const moved = snapshot.identities;
    for (const identity of moved) {
      await trx
        .updateTable('contact_identities')
        .set({ contact_id: mergedId })
        .where('channel_id', '=', identity.channel_id)
        .where('external_id', '=', identity.external_id)
        .where('contact_id', '=', keptId)
        .execute();
    }
    const keptChannels = new Set((await trx.selectFrom('contact_identities').select('channel_id').where('contact_id', '=', keptId).execute()).map((r) => r.channel_id));
    const since = moved.length === 0
      ? []
      : await trx
          .selectFrom('conversations')
          .select(['id', 'channel_id', 'thread_key'])
          .where('contact_id', '=', keptId)
          .where('created_at', '>', merge.at)
          .where('channel_id', 'in', [...new Set(moved.map((i) => i.channel_id))])
          .execute();
    const followers = since
      .filter((c) => !keptChannels.has(c.channel_id) || moved.some((i) => i.channel_id === c.channel_id && i.external_id === c.thread_key))
      .map((c) => c.id);
    const back = [...new Set([...snapshot.conversations, ...followers])];
    if (back.length > 0) await trx.updateTable('conversations').set({ contact_id: mergedId }).where('id', 'in', back).where('contact_id', '=', keptId).execute();
    // Fields back as they were, the kept contact first (it may hold the user id the merged one had).
    const restore = (f: ContactFields) => ({ name: f.name, email: f.email, avatar_url: f.avatar_url, user_id: f.user_id, updated_at: new Date(f.updated_at) });
    await trx.updateTable('contacts').set(restore(snapshot.kept)).where('id', '=', keptId).execute();
    await trx.updateTable('contacts').set({ ...restore(snapshot.merged), merged_into: null }).where('id', '=', mergedId).execute();
    const undone = await trx.updateTable('contact_merges').set({ undone_at: at, undone_by: by.name }).where('id', '=', mergeId).returningAll().executeTakeFirstOrThrow();
    await recordAudit(
      trx,
      {
        actor: by,
        action: 'contact.unmerge',
        target: { type: 'contact', id: keptId },
        details: { mergeId, mergedContactId: mergedId, identities: moved.length, conversations: back.length },
      },
      at,
    );
    const author = { id: by.type === 'agent' ? by.id : 'desk.identity', name: by.name };
    const events: DomainEvent[] = [
      ...back.map((id): DomainEvent => ({ type: 'conversation.updated', conversationId: id })),
      ...(await noteIn(trx, [...new Set([...back, ...(await latestConversation(trx, keptId))])], author, unmergedNote(by.name, mergeId, snapshot.merged.name), at)),
    ];
    return { merge: undone, restoredConversations: back, batch: await appendEvents(trx, events) };
  });
}

// ── suggestions ─────────────────────────────────────────────────────────────────────────────

export interface SuggestionRow {
  id: string;
  name: string;
  email: string | null;
  user_id: string | null;
  reasons: ('email' | 'userId' | 'handle')[];
}

/**
 * Other contacts that may be the same person: the same email (any case), the same user id, or
 * the same handle on any channel. Only shown to agents; nothing is merged because of them
 * (Chatwoot and FreeScout merge by email automatically, and mis-merge).
 */
export async function mergeSuggestions(db: Db, contactId: string, limit = 20): Promise<SuggestionRow[] | undefined> {
  const contact = await db.selectFrom('contacts').select(['id', 'email', 'user_id']).where('id', '=', contactId).executeTakeFirst();
  if (!contact) return undefined;
  const handles = (await db.selectFrom('contact_identities').select('handle').where('contact_id', '=', contactId).where('handle', 'is not', null).execute())
    .map((r) => r.handle!.replace(/^@/, '').toLowerCase())
    .filter((h) => h.length > 0);
  const { rows } = await sql<{ id: string; name: string; email: string | null; user_id: string | null; by_email: boolean; by_user: boolean; by_handle: boolean }>`
    select c.id, c.name, c.email, c.user_id,
      (${contact.email}::text is not null and lower(c.email) = lower(${contact.email}::text)) as by_email,
      (${contact.user_id}::text is not null and c.user_id = ${contact.user_id}::text) as by_user,
      exists (select 1 from contact_identities i where i.contact_id = c.id and lower(ltrim(i.handle, '@')) = any(${handles}::text[])) as by_handle
    from contacts c
    where c.id <> ${contactId} and c.merged_into is null
      and (
        (${contact.email}::text is not null and lower(c.email) = lower(${contact.email}::text))
        or (${contact.user_id}::text is not null and c.user_id = ${contact.user_id}::text)
        or exists (select 1 from contact_identities i where i.contact_id = c.id and lower(ltrim(i.handle, '@')) = any(${handles}::text[]))
      )
    order by c.updated_at desc
    limit ${limit}`.execute(db);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    user_id: r.user_id,
    reasons: [...(r.by_email ? (['email'] as const) : []), ...(r.by_user ? (['userId'] as const) : []), ...(r.by_handle ? (['handle'] as const) : [])],
  }));
}

/** Merges into this contact that are not undone, newest first (the inbox offers their undo). */
export async function mergesInto(db: Db, contactId: string): Promise<(MergeRow & { merged_name: string })[]> {
  return db
    .selectFrom('contact_merges as m')
    .innerJoin('contacts as c', 'c.id', 'm.merged_contact_id')
    .select(['m.id', 'm.kept_contact_id', 'm.merged_contact_id', 'm.by', 'm.reason', 'm.at', 'm.undone_at', 'm.undone_by', 'c.name as merged_name'])
    .where('m.kept_contact_id', '=', contactId)
    .where('m.undone_at', 'is', null)
    .orderBy('m.at', 'desc')
    .limit(50)
    .execute();
}

export async function mergeById(db: Db, id: string): Promise<MergeRow | undefined> {
  return db.selectFrom('contact_merges').select(['id', 'kept_contact_id', 'merged_contact_id', 'by', 'reason', 'at', 'undone_at', 'undone_by']).where('id', '=', id).executeTakeFirst();
}

/** The contact of a conversation now (the desk links the sender of a message). */
export async function contactOfConversation(db: Db, conversationId: string): Promise<string | undefined> {
  return (await db.selectFrom('conversations').select('contact_id').where('id', '=', conversationId).executeTakeFirst())?.contact_id;
}
