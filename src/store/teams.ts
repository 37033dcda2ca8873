import { sql, type Transaction } from 'kysely';
import { newId } from '../domain/ids.js';
import type { Db } from './database.js';
import { appendEvents, type Cause, caused, type OutboxBatch } from './outbox.js';
import type { Database, Escalation } from './schema.js';
import { insertSystemNotes, type NoteInput } from './system-notes.js';

export interface TeamRecord {
  readonly id: string;
  readonly name: string;
  readonly supervisorId: string | null;
  readonly parentId: string | null;
  readonly channels: readonly string[];
  readonly autoAssign: boolean;
  /** In their turn order. */
  readonly members: readonly { readonly agentId: string; readonly capacity: number }[];
}

export interface TeamInput {
  readonly name: string;
  readonly supervisorId: string | null;
  readonly parentId: string | null;
  readonly channels: readonly string[];
  readonly autoAssign: boolean;
  readonly members: readonly { readonly agentId: string; readonly capacity: number }[];
}

export async function listTeams(db: Db): Promise<TeamRecord[]> {
  const [teams, members] = await Promise.all([
    db.selectFrom('teams').selectAll().orderBy('created_at').orderBy('id').execute(),
    db.selectFrom('team_members').selectAll().orderBy('agent_id').execute(),
  ]);
  return teams.map((t) => ({
    id: t.id,
    name: t.name,
    supervisorId: t.supervisor_id,
    parentId: t.parent_id,
    channels: t.channels,
    autoAssign: t.auto_assign,
    members: members.filter((m) => m.team_id === t.id).map((m) => ({ agentId: m.agent_id, capacity: m.capacity })),
  }));
}

export async function getTeam(db: Db, id: string): Promise<TeamRecord | undefined> {
  return (await listTeams(db)).find((t) => t.id === id);
}

async function writeMembers(trx: Transaction<Database>, teamId: string, members: TeamInput['members']): Promise<void> {
  await trx.deleteFrom('team_members').where('team_id', '=', teamId).execute();
  if (members.length > 0) await trx.insertInto('team_members').values(members.map((m) => ({ team_id: teamId, agent_id: m.agentId, capacity: m.capacity }))).execute();
}

export async function insertTeam(db: Db, input: TeamInput): Promise<string> {
  const id = newId();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('teams')
      .values({ id, name: input.name, supervisor_id: input.supervisorId, parent_id: input.parentId, channels: [...input.channels], auto_assign: input.autoAssign })
      .execute();
    await writeMembers(trx, id, input.members);
  });
  return id;
}

export async function updateTeam(db: Db, id: string, input: TeamInput): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('teams')
      .set({ name: input.name, supervisor_id: input.supervisorId, parent_id: input.parentId, channels: [...input.channels], auto_assign: input.autoAssign })
      .where('id', '=', id)
      .returning('id')
      .executeTakeFirst();
    if (!row) return false;
    await writeMembers(trx, id, input.members);
    return true;
  });
}

/** Its conversations stay, without a team; each gets an update event so open inboxes show it. */
export async function deleteTeam(db: Db, id: string): Promise<{ deleted: boolean; batch: OutboxBatch | undefined }> {
  return db.transaction().execute(async (trx) => {
    const members = await trx.updateTable('conversations').set({ team_id: null }).where('team_id', '=', id).returning('id').execute();
    const result = await trx.deleteFrom('teams').where('id', '=', id).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) return { deleted: false, batch: undefined };
    return { deleted: true, batch: await appendEvents(trx, members.map((m) => ({ type: 'conversation.updated' as const, conversationId: m.id }))) };
  });
}

/** The teams each of these agents belongs to (as a member or the supervisor). */
export async function teamsOfAgent(db: Db, agentId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('teams')
    .select('id')
    .where((eb) => eb.or([eb('supervisor_id', '=', agentId), eb.exists(eb.selectFrom('team_members').select(sql`1`.as('one')).whereRef('team_members.team_id', '=', 'teams.id').where('agent_id', '=', agentId))]))
    .execute();
  return rows.map((r) => r.id);
}

/** Teams with conversations waiting for an agent, of those given. */
export async function teamsWithWaiting(db: Db, teamIds: readonly string[]): Promise<string[]> {
  if (teamIds.length === 0) return [];
  const rows = await db
    .selectFrom('conversations')
    .select('team_id')
    .distinct()
    .where('team_id', 'in', teamIds)
    .where('assignee_id', 'is', null)
    .where('status', 'in', ['open', 'pending'])
    // The FAQ bot's conversations wait for nobody until it hands them over (issue 16).
    .where('handled_by', '=', 'agent')
    .execute();
  return rows.flatMap((r) => (r.team_id ? [r.team_id] : []));
}

/**
 * New conversations without a team join the first team (oldest first) that takes their channel
 * (its id or kind), with an update event each so the inbox shows the team.
 */
export async function placeInTeams(db: Db, conversationIds: readonly string[]): Promise<{ placed: Map<string, string>; batch: OutboxBatch | undefined }> {
  if (conversationIds.length === 0) return { placed: new Map(), batch: undefined };
  return db.transaction().execute(async (trx) => {
    const rows = await sql<{ id: string; team_id: string }>`
      update conversations c set team_id = (
        select t.id from teams t where c.channel_id = any(t.channels) or c.channel_kind = any(t.channels)
        order by t.created_at, t.id limit 1
      )
      where c.id = any(${[...conversationIds]}::text[]) and c.team_id is null
        and exists (select 1 from teams t where c.channel_id = any(t.channels) or c.channel_kind = any(t.channels))
      returning c.id, c.team_id`.execute(trx);
    const batch = await appendEvents(trx, rows.rows.map((r) => ({ type: 'conversation.updated' as const, conversationId: r.id })));
    return { placed: new Map(rows.rows.map((r) => [r.id, r.team_id])), batch };
  });
}

export type Picker = (turn: { members: TeamRecord['members']; load: Map<string, number>; lastAssigned: string | null }, waiting: number) => string[];

const PRIORITY_ORDER = sql<number>`case priority when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end`;

/**
 * Hands a team's waiting conversations (most urgent, then oldest first) to its members as `pick`
 * decides, in one transaction that holds the team's row: two workers assigning for the same team
 * take turns, so nobody goes over capacity. Each assignment is a system line.
 */
export async function assignWaiting(db: Db, teamId: string, pick: Picker, at: Date): Promise<OutboxBatch | undefined> {
  return db.transaction().execute(async (trx) => {
    const team = await trx.selectFrom('teams').select(['id', 'auto_assign', 'last_assigned_id']).where('id', '=', teamId).forUpdate().executeTakeFirst();
    if (!team?.auto_assign) return undefined;
    const members = await trx
      .selectFrom('team_members')
      .innerJoin('agents', 'agents.id', 'team_members.agent_id')
      .select(['team_members.agent_id', 'team_members.capacity', 'agents.name'])
      .where('team_members.team_id', '=', teamId)
      .where('agents.active', '=', true)
      .orderBy('team_members.agent_id')
      .execute();
    if (members.length === 0) return undefined;
    const waiting = await trx
      .selectFrom('conversations')
      .select(['id', 'channel_id'])
      .where('team_id', '=', teamId)
      .where('assignee_id', 'is', null)
      .where('status', 'in', ['open', 'pending'])
      .where('handled_by', '=', 'agent')
      .orderBy(PRIORITY_ORDER)
      .orderBy('created_at')
      .limit(50)
      .forUpdate()
      .skipLocked()
      .execute();
    if (waiting.length === 0) return undefined;
    const loads = await trx
      .selectFrom('conversations')
      .select(['assignee_id', (eb) => eb.fn.countAll<string>().as('n')])
      .where(
        'assignee_id',
        'in',
        members.map((m) => m.agent_id),
      )
      .where('status', 'in', ['open', 'pending'])
      .groupBy('assignee_id')
      .execute();
    const load = new Map(loads.map((l) => [l.assignee_id!, Number(l.n)]));
    const picks = pick({ members: members.map((m) => ({ agentId: m.agent_id, capacity: m.capacity })), load, lastAssigned: team.last_assigned_id }, waiting.length);
    if (picks.length === 0) return undefined;
    const names = new Map(members.map((m) => [m.agent_id, m.name]));
    const events = [];
    for (const [index, agentId] of picks.entries()) {
      const conversation = waiting[index]!;
      await trx.updateTable('conversations').set({ assignee_id: agentId }).where('id', '=', conversation.id).execute();
      const name = names.get(agentId)!;
      const note: NoteInput = { note: { type: 'assigned', params: { by: 'desk.routing', assignee: name } }, text: `Auto-assignment assigned the conversation to ${name}` };
      events.push({ type: 'conversation.updated' as const, conversationId: conversation.id }, ...(await insertSystemNotes(trx, { conversationId: conversation.id, channelId: conversation.channel_id }, { id: 'desk.routing', name: 'desk.routing' }, [note], at)));
    }
    await trx.updateTable('teams').set({ last_assigned_id: picks.at(-1)! }).where('id', '=', teamId).execute();
    return appendEvents(trx, events);
  });
}

/** Moves a conversation to a team (or out of any), with a system line. */
export async function setConversationTeam(
  db: Db,
  target: { conversationId: string; channelId: string },
  teamId: string | null,
  note: NoteInput,
  by: { id: string; name: string },
  at: Date,
  cause?: Cause,
): Promise<OutboxBatch | undefined> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('conversations')
      .set({ team_id: teamId })
      .where('id', '=', target.conversationId)
      .where(sql<boolean>`team_id is distinct from ${teamId}`)
      .returning('id')
      .executeTakeFirst();
    if (!row) return undefined;
    const noteEvents = await insertSystemNotes(trx, target, by, [note], at);
    return appendEvents(trx, caused([{ type: 'conversation.updated', conversationId: target.conversationId }, ...noteEvents], cause));
  });
}

/**
 * Raises a conversation's escalation to `next.level`, assigning `next.to` when given — only if
 * its escalation is still `previous` (two escalations at once: one wins, the other is told) and,
 * for an automatic one, its trigger has not escalated it already.
 */
export async function raiseEscalation(
  db: Db,
  target: { conversationId: string; channelId: string },
  previous: Escalation | null,
  next: Escalation,
  note: NoteInput,
  author: { id: string; name: string },
  at: Date,
): Promise<OutboxBatch | 'conflict'> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('conversations')
      .set({ escalation: JSON.stringify(next), ...(next.to ? { assignee_id: next.to } : {}) })
      .where('id', '=', target.conversationId)
      .where(sql<boolean>`escalation is not distinct from ${previous === null ? null : JSON.stringify(previous)}::jsonb`)
      .returning('id')
      .executeTakeFirst();
    if (!row) return 'conflict' as const;
    const noteEvents = await insertSystemNotes(trx, target, author, [note], at);
    return (await appendEvents(trx, [
      { type: 'conversation.updated', conversationId: target.conversationId },
      { type: 'conversation.escalated', conversationId: target.conversationId, reason: next.reason },
      ...noteEvents,
    ]))!;
  });
}

/** A conversation's stored escalation, team and facts an escalation decides on. */
export async function escalationRow(db: Db, conversationId: string) {
  return db
    .selectFrom('conversations')
    .select(['id', 'channel_id', 'team_id', 'assignee_id', 'escalation', 'unreachable_reason'])
    .where('id', '=', conversationId)
    .executeTakeFirst();
}
