import { type Kysely, sql } from 'kysely';

/**
 * Satisfaction surveys (issue 15): one row per resolution that was surveyed (the unique key is
 * what makes "one survey per resolution" hold across redelivered events and several workers),
 * the answer on it; the conversation carries its newest answer (`csat`) and, while a survey waits
 * for an answer typed as text, `survey_until` — the ingest then does not reopen it. A message that
 * offers options (the survey) or carries the customer's pick keeps them in `choice`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    `create table csat_surveys (
      id text primary key,
      conversation_id text not null references conversations(id) on delete cascade,
      channel_id text not null,
      resolved_at timestamptz not null,
      created_at timestamptz not null default now(),
      message_id text,
      lang text not null default 'en',
      stage text not null default 'rating' check (stage in ('rating', 'comment', 'done')),
      answer_until timestamptz not null,
      text_until timestamptz not null,
      rating smallint check (rating between 1 and 5),
      rated_at timestamptz,
      rated_via text,
      comment text,
      commented_at timestamptz,
      unique (conversation_id, resolved_at)
    )`,
    `create index csat_surveys_conversation on csat_surveys (conversation_id, created_at desc)`,
    `create index csat_surveys_rated on csat_surveys (rated_at) where rated_at is not null`,
    `alter table conversations add column csat jsonb`,
    `alter table conversations add column survey_until timestamptz`,
    `alter table messages add column choice jsonb`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
