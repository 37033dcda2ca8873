import { type Kysely, sql } from 'kysely';

/**
 * The FAQ bot and its handoff (issue 16). A conversation the bot may answer is created with
 * `handled_by = 'bot'`: no SLA clock runs and routing does not assign it until it is handed to
 * the team (`handoff`: when and why), and once a person replies it is the team's for good.
 * `bot_answers` keeps each answer the bot gave (one per customer message: the unique key makes a
 * redelivered event answer once) and what the customer did with it — the deflection rate.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    `alter table conversations add column handled_by text not null default 'agent' check (handled_by in ('bot', 'agent'))`,
    `alter table conversations add column handoff jsonb`,
    `create table bot_answers (
      id text primary key,
      conversation_id text not null references conversations(id) on delete cascade,
      channel_id text not null,
      question_message_id text not null unique,
      article_id text not null,
      article_title text not null,
      lang text not null,
      answered_at timestamptz not null default now(),
      outcome text check (outcome in ('solved', 'handoff')),
      outcome_at timestamptz
    )`,
    `create index bot_answers_conversation on bot_answers (conversation_id, answered_at desc)`,
    `create index bot_answers_answered on bot_answers (answered_at)`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
