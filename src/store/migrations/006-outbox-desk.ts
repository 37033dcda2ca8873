import { type Kysely, sql } from 'kysely';

/**
 * The transactional outbox (domain events written in the same transaction as the change they
 * describe, handed out by one dispatcher), the machine-readable form of system notes, and the
 * desk's settings as admins edit them (the channels file's `desk:` section is the default).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    // One row per committed transaction: its events, in order. Rows live only until dispatched.
    `create table outbox (
      id bigserial primary key,
      events jsonb not null,
      created_at timestamptz not null default now()
    )`,
    `alter table messages add column system jsonb`,
    `create table desk_settings (
      feature text primary key,
      value jsonb not null,
      updated_at timestamptz not null default now(),
      updated_by text
    )`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
