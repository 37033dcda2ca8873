import { type Kysely, sql } from 'kysely';

/**
 * The audit log (issue 17): who did what, append-only and hash-chained (`src/store/audit.ts`).
 * `seq` is given by the appender under an advisory lock (max + 1), not by a sequence: a rolled
 * back append would leave a sequence gap, and a gap must mean only one thing — a removed entry.
 * The trigger refuses UPDATE, DELETE and TRUNCATE for every role, the table owner included;
 * only someone able to disable triggers can alter history, and the chain then shows where.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    `create table audit_log (
      seq bigint primary key,
      at timestamptz not null,
      actor_type text not null check (actor_type in ('agent', 'api', 'system')),
      actor_id text not null,
      actor_name text not null,
      action text not null,
      target_type text not null,
      target_id text not null,
      details jsonb not null default '{}'::jsonb,
      prev_hash text not null,
      hash text not null
    )`,
    `create index audit_log_target on audit_log (target_type, target_id, seq desc)`,
    `create function audit_log_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
      end
    $$`,
    `create trigger audit_log_append_only before update or delete on audit_log
      for each row execute function audit_log_append_only()`,
    `create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_append_only()`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
