import { type Kysely, sql } from 'kysely';

/**
 * Agent bots (issue 18 part 3): a team's own bot service (Rasa, Botpress, an LLM) is an agent
 * with role `bot` and an API token of kind `bot`; it receives its conversations through a webhook
 * endpoint and answers through the API. `conversations.bot_id` says which agent bot a conversation
 * was opened for (`handled_by = 'bot'` alone meant the FAQ bot until now, and still does when it
 * is null). No foreign key: a deleted bot's conversations (handed to the team first) keep whose
 * they were, as a message keeps its author.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    `alter table agents drop constraint agents_role_check`,
    `alter table agents add constraint agents_role_check check (role in ('admin', 'agent', 'bot'))`,
    `alter table api_tokens drop constraint api_tokens_kind_check`,
    `alter table api_tokens add constraint api_tokens_kind_check check (kind in ('session', 'api', 'bot'))`,
    `alter table conversations add column bot_id text`,
    `create index conversations_bot on conversations (bot_id) where bot_id is not null and handled_by = 'bot'`,
    `create table agent_bots (
      agent_id text primary key references agents (id) on delete cascade,
      description text not null default '',
      channels jsonb not null,
      endpoint_id text,
      created_by text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
