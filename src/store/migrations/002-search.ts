import { type Kysely, sql } from 'kysely';

/**
 * Substring search (`q=`) over message text, contact names and subjects must work for Chinese,
 * which has no word boundaries, so it uses ILIKE backed by trigram indexes rather than tsvector.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create extension if not exists pg_trgm with schema public`.execute(db);
  for (const statement of [
    `create index messages_text_trgm on messages using gin (text public.gin_trgm_ops)`,
    `create index contacts_name_trgm on contacts using gin (name public.gin_trgm_ops)`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
