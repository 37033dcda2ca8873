import { type Kysely, sql } from 'kysely';

/**
 * Automation rules (issue 18). `automation_rules`: conditions and actions as validated JSON
 * (src/desk/automation/rule.ts), evaluated in `position` order. `automation_runs`: one row per
 * rule and event, the claim that makes a rule run once per event however many workers and
 * redeliveries see it (a `running` row whose claim ran out is taken over: its worker died), and
 * the run log admins read. No foreign key to the rule: the log outlives a deleted rule.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    `create table automation_rules (
      id text primary key,
      name text not null,
      enabled boolean not null default true,
      event text not null,
      conditions jsonb not null,
      actions jsonb not null,
      position integer not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      updated_by text not null
    )`,
    `create table automation_runs (
      id bigserial primary key,
      rule_id text not null,
      event_id text not null,
      event_type text not null,
      conversation_id text,
      status text not null check (status in ('running', 'done', 'failed', 'skipped')),
      claimed_until timestamptz,
      actions_done jsonb not null default '[]'::jsonb,
      error text,
      chain jsonb not null default '[]'::jsonb,
      at timestamptz not null default now(),
      finished_at timestamptz,
      unique (rule_id, event_id)
    )`,
    `create index automation_runs_rule on automation_runs (rule_id, id desc)`,
    `create index automation_runs_conversation on automation_runs (conversation_id, id desc)`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
