import { type Kysely, sql } from 'kysely';

/**
 * Teams (issue 14): agents grouped under a supervisor, the channels whose new conversations they
 * take, each member's capacity, and the round-robin position; a conversation may belong to one.
 * `parent_id` is where an escalation past the team's supervisor goes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    `create table teams (
      id text primary key,
      name text not null,
      supervisor_id text references agents (id) on delete set null,
      parent_id text references teams (id) on delete set null,
      channels text[] not null default '{}',
      auto_assign boolean not null default true,
      last_assigned_id text,
      created_at timestamptz not null default now()
    )`,
    `create unique index teams_name_key on teams (lower(name))`,
    `create table team_members (
      team_id text not null references teams (id) on delete cascade,
      agent_id text not null references agents (id) on delete cascade,
      capacity integer not null default 5 check (capacity between 0 and 1000),
      primary key (team_id, agent_id)
    )`,
    `create index team_members_agent on team_members (agent_id)`,
    `alter table conversations add column team_id text references teams (id) on delete set null`,
    `create index conversations_team_waiting on conversations (team_id, created_at) where assignee_id is null and status in ('open', 'pending')`,
    `create index conversations_assignee_load on conversations (assignee_id) where status in ('open', 'pending')`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
