import { type Kysely, sql } from 'kysely';

/** Edits and deletes of customer messages, unreachable customers, attachment fetch errors. */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    `alter table messages add column edited_at timestamptz`,
    `alter table messages add column deleted_at timestamptz`,
    `alter table conversations add column unreachable_reason text`,
    `alter table conversations add column unreachable_since timestamptz`,
    `create index attachments_pending on attachments (created_at) where storage_key is null and remote is not null`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
