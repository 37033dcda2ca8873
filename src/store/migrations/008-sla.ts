import { type Kysely, sql } from 'kysely';

/**
 * Service levels (issue 14): a conversation's SLA clocks (`sla`, written only by the desk's
 * service-levels feature) and two columns derived from them for the inbox to sort and filter by:
 * the earliest due time of a running clock, and since when a running clock is past its target.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    `alter table conversations add column sla jsonb`,
    `alter table conversations add column sla_due_at timestamptz`,
    `alter table conversations add column sla_breached_at timestamptz`,
    `create index conversations_sla_due on conversations (sla_due_at, id) where sla_due_at is not null`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
