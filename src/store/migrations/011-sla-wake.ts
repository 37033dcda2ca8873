import { type Kysely, sql } from 'kysely';

/**
 * When a conversation's SLA clocks next need looking at (a 90 % or due instant). Timers are one
 * BullMQ delayed job per second that has any, not one per conversation: the job settles every
 * conversation whose wake time has come.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    `alter table conversations add column sla_wake_at timestamptz`,
    `create index conversations_sla_wake on conversations (sla_wake_at) where sla_wake_at is not null`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
