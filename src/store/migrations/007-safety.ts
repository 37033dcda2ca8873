import { type Kysely, sql } from 'kysely';

/**
 * What the desk's wallet safety records: the secrets removed from a message (never the secret,
 * only its kind), and a conversation's escalation (an urgent case: theft, a leaked key).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    `alter table messages add column redactions jsonb`,
    `alter table conversations add column escalation jsonb`,
    `create index conversations_escalated on conversations (last_message_at desc) where escalation is not null`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
