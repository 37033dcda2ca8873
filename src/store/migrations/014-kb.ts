import { type Kysely, sql } from 'kysely';

/**
 * Knowledge base (issue 16). Every save of an article is a new, immutable row of
 * `kb_article_versions` holding the whole content (status, tags, audience, channels and both
 * translations), so any version can be shown or restored as it was; `kb_articles` holds what
 * does not belong to one version (the id, the slug that addresses it publicly, when it was
 * created) and points at its current version by number. `version` on the article row is also the
 * optimistic lock: an edit names the version it started from, and the update matches only that.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    `create table kb_articles (
      id text primary key,
      slug text not null,
      version integer not null check (version >= 1),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    `create unique index kb_articles_slug_key on kb_articles (slug)`,
    `create table kb_article_versions (
      article_id text not null references kb_articles (id) on delete cascade,
      version integer not null check (version >= 1),
      status text not null check (status in ('draft', 'published', 'archived')),
      audience text not null check (audience in ('public', 'internal')),
      tags text[] not null default '{}',
      channels text[] not null default '{}',
      translations jsonb not null,
      edited_at timestamptz not null default now(),
      edited_by text,
      primary key (article_id, version)
    )`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
