import { type Kysely, sql } from 'kysely';

/**
 * Platform ids of the parts of a long reply already delivered, so a retry after a failure in
 * part 2 resumes there instead of sending part 1 twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`alter table messages add column sent_parts text[] not null default '{}'`).execute(db);
}
