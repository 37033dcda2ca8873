import { type Kysely, sql } from 'kysely';

/**
 * The outbox sweep claims stale batches for a while instead of holding a transaction open while
 * their consumers run (which, on the embedded database's single connection, waited forever for
 * the consumers' own queries).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(`alter table outbox add column claimed_until timestamptz`).execute(db);
}
