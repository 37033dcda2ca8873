import { sql, type Transaction } from 'kysely';
import { type ChannelKind, channelKinds } from '../domain/channel.js';
import { newId } from '../domain/ids.js';
import type { Db } from './database.js';
import type { Database, KbArticleVersionsTable, KbTranslation } from './schema.js';

/**
 * Knowledge base articles (issue 16). A save never changes a version row: it writes the next
 * one and moves the article's pointer, in one transaction, and only when the article is still at
 * the version the editor started from (so two admins editing at once cannot overwrite each other
 * unseen: the second gets a conflict and reloads).
 */

export type KbStatus = KbArticleVersionsTable['status'];
export type KbAudience = KbArticleVersionsTable['audience'];
export type KbTranslations = { en?: KbTranslation; zh?: KbTranslation };

/** What one save holds (everything but the slug is part of the version). */
export interface KbContent {
  readonly status: KbStatus;
  readonly audience: KbAudience;
  readonly tags: readonly string[];
  /** Empty = every channel kind. */
  readonly channels: readonly ChannelKind[];
  readonly translations: KbTranslations;
}

export interface KbInput extends KbContent {
  readonly slug: string;
}

export interface KbArticleRecord extends KbContent {
  readonly id: string;
  readonly slug: string;
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly updatedBy: string | null;
}

export interface KbVersionRecord extends KbContent {
  readonly version: number;
  readonly editedAt: Date;
  readonly editedBy: string | null;
}

/** Why a write did not happen: no such article, or it moved past the version the editor had. */
const KINDS: ReadonlySet<string> = new Set(channelKinds);
/** A kind this version no longer knows is dropped rather than failing the read. */
const kindsOf = (stored: readonly string[]): ChannelKind[] => stored.filter((c): c is ChannelKind => KINDS.has(c));

export type KbWriteRefusal = 'not_found' | 'conflict';

const current = (db: Db | Transaction<Database>) =>
  db
    .selectFrom('kb_articles as a')
    .innerJoin('kb_article_versions as v', (join) => join.onRef('v.article_id', '=', 'a.id').onRef('v.version', '=', 'a.version'))
    .select(['a.id', 'a.slug', 'a.version', 'a.created_at', 'a.updated_at', 'v.status', 'v.audience', 'v.tags', 'v.channels', 'v.translations', 'v.edited_by']);

type CurrentRow = Awaited<ReturnType<ReturnType<typeof current>['executeTakeFirstOrThrow']>>;

const toRecord = (r: CurrentRow): KbArticleRecord => ({
  id: r.id,
  slug: r.slug,
  version: r.version,
  status: r.status,
  audience: r.audience,
  tags: r.tags,
  channels: kindsOf(r.channels),
  translations: r.translations,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
  updatedBy: r.edited_by,
});

/** Every article at its current version, newest edit first; `statuses` narrows them. */
export async function listArticles(db: Db, statuses?: readonly KbStatus[]): Promise<KbArticleRecord[]> {
  let query = current(db);
  if (statuses && statuses.length > 0) query = query.where('v.status', 'in', [...statuses]);
  const rows = await query.orderBy('a.updated_at', 'desc').orderBy('a.id').execute();
  return rows.map(toRecord);
}

export async function getArticle(db: Db | Transaction<Database>, id: string): Promise<KbArticleRecord | undefined> {
  const row = await current(db).where('a.id', '=', id).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

export async function getArticleBySlug(db: Db, slug: string): Promise<KbArticleRecord | undefined> {
  const row = await current(db).where('a.slug', '=', slug).executeTakeFirst();
  return row ? toRecord(row) : undefined;
}

/** An article's history, newest first (undefined: no such article). */
export async function articleVersions(db: Db, id: string): Promise<KbVersionRecord[] | undefined> {
  const exists = await db.selectFrom('kb_articles').select('id').where('id', '=', id).executeTakeFirst();
  if (!exists) return undefined;
  const rows = await db.selectFrom('kb_article_versions').selectAll().where('article_id', '=', id).orderBy('version', 'desc').execute();
  return rows.map((r) => ({
    version: r.version,
    status: r.status,
    audience: r.audience,
    tags: r.tags,
    channels: kindsOf(r.channels),
    translations: r.translations,
    editedAt: new Date(r.edited_at),
    editedBy: r.edited_by,
  }));
}

async function insertVersion(trx: Transaction<Database>, articleId: string, version: number, content: KbContent, by: string | null, at: Date): Promise<void> {
  await trx
    .insertInto('kb_article_versions')
    .values({
      article_id: articleId,
      version,
      status: content.status,
      audience: content.audience,
      tags: [...content.tags],
      channels: [...content.channels],
      translations: JSON.stringify(content.translations),
      edited_at: at,
      edited_by: by,
    })
    .execute();
}

/** A new article at version 1. A slug in use throws the unique violation (`isUniqueViolation`). */
export async function createArticle(db: Db, input: KbInput, by: string | null): Promise<KbArticleRecord> {
  const id = newId();
  const at = new Date();
  return db.transaction().execute(async (trx) => {
    await trx.insertInto('kb_articles').values({ id, slug: input.slug, version: 1, created_at: at, updated_at: at }).execute();
    await insertVersion(trx, id, 1, input, by, at);
    return (await getArticle(trx, id))!;
  });
}

/**
 * Saves `content` as the version after `expected`, when the article is still at `expected`. The
 * slug changes with it (`slug` given); a slug in use throws the unique violation.
 */
export async function saveVersion(
  db: Db,
  id: string,
  expected: number,
  content: KbContent,
  by: string | null,
  slug?: string,
): Promise<KbArticleRecord | KbWriteRefusal> {
  const at = new Date();
  return db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('kb_articles')
      .set({ version: sql<number>`version + 1`, updated_at: at, ...(slug === undefined ? {} : { slug }) })
      .where('id', '=', id)
      .where('version', '=', expected)
      .returning('version')
      .executeTakeFirst();
    if (!moved) {
      const exists = await trx.selectFrom('kb_articles').select('id').where('id', '=', id).executeTakeFirst();
      return exists ? 'conflict' : 'not_found';
    }
    await insertVersion(trx, id, moved.version, content, by, at);
    return (await getArticle(trx, id))!;
  });
}

/** An edit of the whole article (slug and content) made from version `expected`. */
export const updateArticle = (db: Db, id: string, expected: number, input: KbInput, by: string | null): Promise<KbArticleRecord | KbWriteRefusal> =>
  saveVersion(db, id, expected, input, by, input.slug);

/**
 * A new version with an old version's content (history is never rewritten). Taken against
 * whatever version is current; a save by someone else in between is retried, since restoring
 * means "make it look like version N", whatever came after.
 */
export async function restoreVersion(db: Db, id: string, version: number, by: string | null): Promise<KbArticleRecord | 'not_found' | 'no_version'> {
  const old = await db.selectFrom('kb_article_versions').selectAll().where('article_id', '=', id).where('version', '=', version).executeTakeFirst();
  if (!old) return (await getArticle(db, id)) ? 'no_version' : 'not_found';
  const content: KbContent = { status: old.status, audience: old.audience, tags: old.tags, channels: kindsOf(old.channels), translations: old.translations };
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const now = await getArticle(db, id);
    if (!now) return 'not_found';
    const saved = await saveVersion(db, id, now.version, content, by);
    if (saved !== 'conflict') return saved;
  }
  throw new Error(`article ${id} kept changing while it was being restored`);
}

/** Archives an article (a new version with status `archived`; an archived one stays as it is). */
export async function archiveArticle(db: Db, id: string, by: string | null): Promise<KbArticleRecord | 'not_found'> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const now = await getArticle(db, id);
    if (!now) return 'not_found';
    if (now.status === 'archived') return now;
    const saved = await saveVersion(db, id, now.version, { ...now, status: 'archived' }, by);
    if (saved !== 'conflict') return saved;
  }
  throw new Error(`article ${id} kept changing while it was being archived`);
}

/**
 * A fingerprint of the whole knowledge base that changes with every save (the number of
 * articles and the newest edit): one indexed aggregate, cheap enough to ask every few seconds.
 */
export async function articlesStamp(db: Db): Promise<string> {
  const row = await db
    .selectFrom('kb_articles')
    .select([sql<string>`count(*)::text`.as('n'), sql<string | null>`max(updated_at)::text`.as('at'), sql<string>`coalesce(sum(version), 0)::text`.as('v')])
    .executeTakeFirstOrThrow();
  return `${row.n}/${row.at ?? ''}/${row.v}`;
}
