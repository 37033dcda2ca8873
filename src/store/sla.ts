import { sql } from 'kysely';
import type { ChannelKind } from '../domain/channel.js';
import type { ConversationStatus, Priority } from '../domain/conversation.js';
import type { DomainEvent } from '../domain/events.js';
import type { SlaState } from '../domain/sla.js';
import type { Db } from './database.js';
import { appendEvents, type OutboxBatch } from './outbox.js';
import { insertSystemNotes, type NoteInput } from './system-notes.js';

/** What the SLA clocks of one conversation follow, and the clocks as stored. */
export interface SlaRow {
  readonly id: string;
  readonly channelId: string;
  readonly channelKind: ChannelKind;
  readonly status: ConversationStatus;
  readonly priority: Priority;
  readonly labels: readonly string[];
  /** Who answers it: the FAQ bot's conversations have no clocks until it hands them to the team. */
  readonly handledBy: 'bot' | 'agent';
  /** Where its clocks start: its creation, or the bot's handoff to the team (issue 16). */
  readonly createdAt: string;
  readonly firstResponseAt: string | null;
  readonly waitingSince: string | null;
  readonly unreachable: boolean;
  readonly sla: SlaState | null;
}

const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null);

export async function slaRows(db: Db, ids: readonly string[]): Promise<SlaRow[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('conversations')
    .select(['id', 'channel_id', 'channel_kind', 'status', 'priority', 'labels', 'created_at', 'first_response_at', 'waiting_since', 'unreachable_reason', 'sla', 'handled_by', 'handoff'])
    .where('id', 'in', ids)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    channelId: r.channel_id,
    channelKind: r.channel_kind as ChannelKind,
    status: r.status,
    priority: r.priority,
    labels: r.labels,
    handledBy: r.handled_by,
    createdAt: r.handoff?.at ?? r.created_at.toISOString(),
    firstResponseAt: isoOrNull(r.first_response_at),
    waitingSince: isoOrNull(r.waiting_since),
    unreachable: r.unreachable_reason !== null,
    sla: (r.sla as SlaState | null) ?? null,
  }));
}

export interface SlaChange {
  readonly conversationId: string;
  readonly channelId: string;
  /** The clocks this change was computed from: the write happens only if they are still stored. */
  readonly previous: SlaState | null;
  readonly next: SlaState | null;
  /** Earliest due time of a running clock, and since when a running clock is breached (for the inbox to sort and filter). */
  readonly dueAt: Date | null;
  readonly breachedAt: Date | null;
  /** When a timer must look at the clocks next. */
  readonly wakeAt: Date | null;
  /** Beyond `conversation.updated`: breaches and warnings. */
  readonly events: readonly DomainEvent[];
  readonly notes: readonly NoteInput[];
}

/**
 * Writes new clocks, with their events and system lines, in one transaction — only if the stored
 * clocks are still those it was computed from (another worker may have moved them on: then this
 * returns 'conflict' and nothing is written, so a breach is recorded once).
 */
export async function saveSla(db: Db, change: SlaChange, at: Date): Promise<OutboxBatch | 'conflict'> {
  return db.transaction().execute(async (trx) => {
    const previous = change.previous === null ? null : JSON.stringify(change.previous);
    const row = await trx
      .updateTable('conversations')
      .set({ sla: change.next === null ? null : JSON.stringify(change.next), sla_due_at: change.dueAt, sla_breached_at: change.breachedAt, sla_wake_at: change.wakeAt })
      .where('id', '=', change.conversationId)
      .where(sql<boolean>`sla is not distinct from ${previous}::jsonb`)
      .returning('id')
      .executeTakeFirst();
    if (!row) return 'conflict';
    const noteEvents = await insertSystemNotes(trx, { conversationId: change.conversationId, channelId: change.channelId }, { id: 'desk.sla', name: 'desk.sla' }, change.notes, at);
    return (await appendEvents(trx, [{ type: 'conversation.updated', conversationId: change.conversationId, only: 'sla' }, ...change.events, ...noteEvents]))!;
  });
}

/**
 * Many conversations' new clocks in one transaction and one statement (the first message of many
 * new conversations arrives in one ingest batch): each row is written only if its stored clocks
 * are still those it was computed from. Returns the batch of events of the rows written, and the
 * ids that met a concurrent writer (to decide again, one by one).
 */
export async function saveSlaMany(db: Db, changes: readonly SlaChange[], at: Date): Promise<{ batch: OutboxBatch | undefined; conflicts: string[] }> {
  if (changes.length === 0) return { batch: undefined, conflicts: [] };
  return db.transaction().execute(async (trx) => {
    const json = (state: SlaState | null) => (state === null ? null : JSON.stringify(state));
    const values = changes.map(
      (c) => sql`(${c.conversationId}::text, ${json(c.previous)}::jsonb, ${json(c.next)}::jsonb, ${c.dueAt}::timestamptz, ${c.breachedAt}::timestamptz, ${c.wakeAt}::timestamptz)`,
    );
    const { rows } = await sql<{ id: string }>`
      update conversations c set sla = v.next, sla_due_at = v.due, sla_breached_at = v.breached, sla_wake_at = v.wake
      from (values ${sql.join(values)}) as v (id, previous, next, due, breached, wake)
      where c.id = v.id and c.sla is not distinct from v.previous
      returning c.id`.execute(trx);
    const written = new Set(rows.map((r) => r.id));
    const events: DomainEvent[] = [];
    for (const change of changes) {
      if (!written.has(change.conversationId)) continue;
      events.push({ type: 'conversation.updated', conversationId: change.conversationId, only: 'sla' }, ...change.events);
      if (change.notes.length > 0) events.push(...(await insertSystemNotes(trx, { conversationId: change.conversationId, channelId: change.channelId }, { id: 'desk.sla', name: 'desk.sla' }, change.notes, at)));
    }
    return { batch: await appendEvents(trx, events), conflicts: changes.filter((c) => !written.has(c.conversationId)).map((c) => c.conversationId) };
  });
}

/** Conversations whose clocks a timer must look at by `at` (oldest first, a page at a time). */
export async function slaWakeDue(db: Db, at: Date, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('conversations').select('id').where('sla_wake_at', '<=', at).orderBy('sla_wake_at').limit(limit).execute();
  return rows.map((r) => r.id);
}
