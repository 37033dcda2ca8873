import { type Selectable, sql } from 'kysely';
import type { Db } from './database.js';
import type { AutomationRulesTable, AutomationRunStatus, AutomationRunsTable } from './schema.js';

/**
 * Automation rules and their runs (issue 18): the SQL. What a rule may hold is checked in
 * `src/desk/automation/rule.ts`; conditions and actions are stored as validated JSON.
 */

export type RuleRow = Selectable<AutomationRulesTable>;
export type RunRow = Selectable<AutomationRunsTable>;

export interface RuleWrite {
  readonly name: string;
  readonly enabled: boolean;
  readonly event: string;
  readonly conditions: unknown;
  readonly actions: unknown;
  readonly updatedBy: string;
}

export async function listRules(db: Db, onlyEnabled = false): Promise<RuleRow[]> {
  let select = db.selectFrom('automation_rules').selectAll();
  if (onlyEnabled) select = select.where('enabled', '=', true);
  return select.orderBy('position').orderBy('id').execute();
}

export async function getRule(db: Db, id: string): Promise<RuleRow | undefined> {
  return db.selectFrom('automation_rules').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A new rule goes last. */
export async function insertRule(db: Db, id: string, rule: RuleWrite): Promise<RuleRow> {
  const { rows } = await sql<RuleRow>`
    insert into automation_rules (id, name, enabled, event, conditions, actions, position, updated_by)
    values (${id}, ${rule.name}, ${rule.enabled}, ${rule.event}, ${JSON.stringify(rule.conditions)}::jsonb, ${JSON.stringify(rule.actions)}::jsonb,
      (select coalesce(max(position), 0) + 1 from automation_rules), ${rule.updatedBy})
    returning *`.execute(db);
  return rows[0]!;
}

export async function updateRule(db: Db, id: string, rule: RuleWrite): Promise<RuleRow | undefined> {
  return db
    .updateTable('automation_rules')
    .set({ name: rule.name, enabled: rule.enabled, event: rule.event, conditions: JSON.stringify(rule.conditions), actions: JSON.stringify(rule.actions), updated_at: new Date(), updated_by: rule.updatedBy })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteRule(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('automation_rules').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The order of evaluation: `ids` first, in this order (1, 2, …); rules left out keep their order after them. */
export async function reorderRules(db: Db, ids: readonly string[], by: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const all = await trx.selectFrom('automation_rules').select(['id']).orderBy('position').orderBy('id').forUpdate().execute();
    const known = new Set(all.map((r) => r.id));
    const order = [...new Set(ids.filter((id) => known.has(id))), ...all.map((r) => r.id).filter((id) => !ids.includes(id))];
    for (const [index, id] of order.entries()) {
      await trx.updateTable('automation_rules').set({ position: index + 1, updated_at: new Date(), updated_by: by }).where('id', '=', id).execute();
    }
  });
}

/** How long a run is its claimer's; a `running` row past it is taken over (its worker died mid-run). */
export const CLAIM_MS = 30_000;

export interface RunKey {
  readonly ruleId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly conversationId: string;
  readonly chain: readonly string[];
}

/**
 * Claims one rule's run on one event: true for exactly one caller, however many workers and
 * redeliveries ask — the first insert, or a takeover of a `running` row whose claim ran out.
 */
export async function claimRun(db: Db, key: RunKey): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`
    insert into automation_runs (rule_id, event_id, event_type, conversation_id, status, claimed_until, chain)
    values (${key.ruleId}, ${key.eventId}, ${key.eventType}, ${key.conversationId}, 'running', now() + make_interval(secs => ${CLAIM_MS / 1000}), ${JSON.stringify(key.chain)}::jsonb)
    on conflict (rule_id, event_id) do update set claimed_until = excluded.claimed_until, at = now()
      where automation_runs.status = 'running' and automation_runs.claimed_until < now()
    returning id::text as id`.execute(db);
  return rows.length > 0;
}

/** A run that did not get to its actions (a pattern timed out, the chain was too long): logged once. */
export async function recordSkipped(db: Db, key: RunKey, reason: string): Promise<void> {
  await sql`
    insert into automation_runs (rule_id, event_id, event_type, conversation_id, status, error, chain, finished_at)
    values (${key.ruleId}, ${key.eventId}, ${key.eventType}, ${key.conversationId}, 'skipped', ${reason}, ${JSON.stringify(key.chain)}::jsonb, now())
    on conflict (rule_id, event_id) do nothing`.execute(db);
}

/** The claimer's progress: each action as it is done, so the log shows how far a failed run got. */
export async function noteActions(db: Db, key: Pick<RunKey, 'ruleId' | 'eventId'>, done: readonly string[]): Promise<void> {
  await db
    .updateTable('automation_runs')
    .set({ actions_done: JSON.stringify(done), claimed_until: sql<Date>`now() + make_interval(secs => ${CLAIM_MS / 1000})` })
    .where('rule_id', '=', key.ruleId)
    .where('event_id', '=', key.eventId)
    .execute();
}

export async function finishRun(db: Db, key: Pick<RunKey, 'ruleId' | 'eventId'>, status: Exclude<AutomationRunStatus, 'running'>, done: readonly string[], error: string | null): Promise<void> {
  await db
    .updateTable('automation_runs')
    .set({ status, actions_done: JSON.stringify(done), error, claimed_until: null, finished_at: new Date() })
    .where('rule_id', '=', key.ruleId)
    .where('event_id', '=', key.eventId)
    .execute();
}

/** Gives a run back (an error that may pass: the database, Redis): the job's retry claims it again at once. */
export async function releaseRun(db: Db, key: Pick<RunKey, 'ruleId' | 'eventId'>, done: readonly string[], error: string): Promise<void> {
  await db
    .updateTable('automation_runs')
    .set({ claimed_until: sql<Date>`now() - interval '1 second'`, actions_done: JSON.stringify(done), error })
    .where('rule_id', '=', key.ruleId)
    .where('event_id', '=', key.eventId)
    .where('status', '=', 'running')
    .execute();
}

export async function listRuns(db: Db, filter: { ruleId?: string | undefined; conversationId?: string | undefined; limit: number; before?: string | undefined }): Promise<RunRow[]> {
  let select = db.selectFrom('automation_runs').selectAll();
  if (filter.ruleId) select = select.where('rule_id', '=', filter.ruleId);
  if (filter.conversationId) select = select.where('conversation_id', '=', filter.conversationId);
  if (filter.before) select = select.where('id', '<', filter.before);
  return select.orderBy('id', 'desc').limit(filter.limit).execute();
}
