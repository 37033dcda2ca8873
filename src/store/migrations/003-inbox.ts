import { type Kysely, sql } from 'kysely';

/**
 * For the agents' inbox: when the customer started waiting for an answer (cleared by a reply), and
 * how far each agent has read each conversation (for the unread marker).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    `alter table conversations add column waiting_since timestamptz`,
    `update conversations c set waiting_since = c.last_inbound_at
       where c.last_inbound_at is not null and not exists (
         select 1 from messages m where m.conversation_id = c.id and m.direction = 'outbound'
           and m.author_type = 'agent' and m.private = false and m.created_at >= c.last_inbound_at)`,
    `create table conversation_reads (
       agent_id text not null references agents (id) on delete cascade,
       conversation_id text not null references conversations (id) on delete cascade,
       read_at timestamptz not null,
       primary key (agent_id, conversation_id)
     )`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
