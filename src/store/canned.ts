import { type Selectable, sql } from 'kysely';
import type { Db } from './database.js';
import type { CannedRepliesTable } from './schema.js';

/**
 * Canned replies (issue 16): the rules (who may write which, templates, safety) are in
 * `src/desk/canned`; this is their SQL. `ownerId` null is a shared reply.
 */

export type CannedRow = Selectable<CannedRepliesTable>;

export interface CannedInput {
  readonly shortcut: string;
  readonly title: string;
  readonly ownerId: string | null;
  readonly en: string | null;
  readonly zh: string | null;
}

/** `%`, `_` and `\` typed in a search are meant literally. */
const likePattern = (query: string): string => `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * What an agent may use: their own personal replies, then every shared one, each by shortcut
 * (a personal one shadowing a shared one of the same shortcut comes first). `query` matches the
 * shortcut, the title or either variant, ignoring case.
 */
export async function listCanned(db: Db, agentId: string, query?: string): Promise<CannedRow[]> {
  let select = db
    .selectFrom('canned_replies')
    .selectAll()
    .where((eb) => eb.or([eb('owner_id', '=', agentId), eb('owner_id', 'is', null)]));
  if (query) {
    const pattern = likePattern(query);
    select = select.where((eb) =>
      eb.or([eb('shortcut', 'ilike', pattern), eb('title', 'ilike', pattern), eb('text_en', 'ilike', pattern), eb('text_zh', 'ilike', pattern)]),
    );
  }
  return select.orderBy(sql`owner_id is null`).orderBy('shortcut').orderBy('id').execute();
}

export async function getCanned(db: Db, id: string): Promise<CannedRow | undefined> {
  return db.selectFrom('canned_replies').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Throws a unique violation (`isUniqueViolation`) when the shortcut is taken in its scope. */
export async function insertCanned(db: Db, id: string, input: CannedInput): Promise<CannedRow> {
  return db
    .insertInto('canned_replies')
    .values({ id, shortcut: input.shortcut, title: input.title, owner_id: input.ownerId, text_en: input.en, text_zh: input.zh, updated_at: new Date() })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Undefined when it no longer exists; a unique violation as for `insertCanned`. */
export async function updateCanned(db: Db, id: string, input: CannedInput): Promise<CannedRow | undefined> {
  return db
    .updateTable('canned_replies')
    .set({ shortcut: input.shortcut, title: input.title, owner_id: input.ownerId, text_en: input.en, text_zh: input.zh, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteCanned(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('canned_replies').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** What a reply's variables are filled from in a conversation: its contact's name and email. */
export async function renderFacts(db: Db, conversationId: string): Promise<{ contactName: string; contactEmail: string | null; subject: string | null } | undefined> {
  return db
    .selectFrom('conversations as c')
    .innerJoin('contacts as k', 'k.id', 'c.contact_id')
    .select(['k.name as contactName', 'k.email as contactEmail', 'c.subject'])
    .where('c.id', '=', conversationId)
    .executeTakeFirst();
}
