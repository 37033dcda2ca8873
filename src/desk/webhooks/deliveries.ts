import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import type { WebhookDeliveriesTable } from '../../store/schema.js';
import { newId } from '../../domain/ids.js';
import { webhookJobId } from '../../queue/jobs.js';
import type { Queues } from '../../queue/queues.js';
import type { Db } from '../../store/database.js';

/**
 * The outbox of outbound webhooks (issue 18): a delivery is a Postgres row first, then a BullMQ
 * job. Writing the row and adding the job are two steps; a crash between them leaves a pending row
 * whose job is missing, which the sweep (`sweepDeliveries`) adds again — no event is lost.
 */

export interface DeliveryInput {
  endpointId: string;
  eventType: string;
  /** The envelope's `data`: the API object (Conversation, Message), as the inbox API shows it. */
  payload: unknown;
  /**
   * Idempotency: the same key for the same endpoint is one delivery, however often it is asked
   * for. The desk's fan-out uses the dispatched event id; other callers prefix theirs
   * (`rule.<rule id>.<event id>`) so they never meet it.
   */
  key: string;
  /** The conversation it is about, so erasing the customer can remove it (optional). */
  conversationId?: string | null;
}

export interface EnqueueResult {
  /** `msg_…`, the `webhook-id` of every attempt; '' when `skipped`. */
  deliveryId: string;
  /** False for a key this endpoint had already (the existing delivery's id is returned). */
  created: boolean;
  /** Nothing was created: the endpoint is disabled or gone (a disabled endpoint gets no new events). */
  skipped?: 'endpoint-disabled';
}

/** A delivery id is the Standard Webhooks message id (`webhook-id`), stable across retries and replays. */
export const newDeliveryId = (): string => newId('msg');

/** Creates one delivery (idempotent per endpoint and key) and queues its first attempt. */
export async function enqueueDelivery(deps: { db: Db; queues: Queues }, input: DeliveryInput): Promise<EnqueueResult> {
  const [result] = await enqueueDeliveries(deps, [input]);
  return result!;
}

/**
 * Many deliveries in two statements and one Redis round trip (the fan-out of a batch of events).
 * A delivery that exists already and never got to its first attempt is queued again: the batch
 * that created it may have died before queueing it; its job id makes that one job.
 */
export async function enqueueDeliveries(deps: { db: Db; queues: Queues }, inputs: readonly DeliveryInput[]): Promise<EnqueueResult[]> {
  if (inputs.length === 0) return [];
  const rows = inputs.map((input) => ({
    id: newDeliveryId(),
    endpoint_id: input.endpointId,
    event_type: input.eventType,
    key: input.key,
    conversation_id: input.conversationId ?? null,
    payload: input.payload ?? null,
  }));
  const endpointIds = [...new Set(inputs.map((i) => i.endpointId))];
  const enabled = new Set(
    (await deps.db.selectFrom('webhook_endpoints').select('id').where('id', 'in', endpointIds).where('enabled', '=', true).execute()).map((r) => r.id),
  );
  const wanted = rows.filter((r) => enabled.has(r.endpoint_id));
  const created = new Set<string>();
  if (wanted.length > 0) {
    // Only into an endpoint still enabled at the insert (one disabled meanwhile gets nothing).
    const inserted = await sql<{ id: string }>`
      insert into webhook_deliveries (id, endpoint_id, event_type, key, conversation_id, payload)
      select x.id, x.endpoint_id, x.event_type, x.key, x.conversation_id, x.payload
      from jsonb_to_recordset(${JSON.stringify(wanted)}::jsonb) as x(id text, endpoint_id text, event_type text, key text, conversation_id text, payload jsonb)
      join webhook_endpoints e on e.id = x.endpoint_id and e.enabled
      on conflict (endpoint_id, key) do nothing
      returning id`.execute(deps.db);
    for (const row of inserted.rows) created.add(row.id);
  }
  const existing =
    wanted.length === 0
      ? []
      : await deps.db
          .selectFrom('webhook_deliveries')
          .select(['id', 'endpoint_id', 'key', 'status', 'attempts'])
          .where((eb) => eb.or(wanted.map((w) => eb.and([eb('endpoint_id', '=', w.endpoint_id), eb('key', '=', w.key)]))))
          .execute();
  const byKey = new Map(existing.map((r) => [`${r.endpoint_id}\n${r.key}`, r]));
  const toQueue = existing.filter((r) => r.status === 'pending' && r.attempts === 0);
  if (toQueue.length > 0) {
    await deps.queues.webhooks.addBulk(toQueue.map((r) => ({ name: 'deliver', data: { kind: 'deliver' as const, deliveryId: r.id, attempt: 1 }, opts: { jobId: webhookJobId(r.id, 1) } })));
  }
  return inputs.map((input) => {
    const row = byKey.get(`${input.endpointId}\n${input.key}`);
    if (!row) return { deliveryId: '', created: false, skipped: 'endpoint-disabled' as const };
    return { deliveryId: row.id, created: created.has(row.id) };
  });
}

type DeliveryRow = Selectable<WebhookDeliveriesTable>;

/** A delivery as the API shows it (its payload only in the detail). */
export const deliveryView = (row: DeliveryRow) => ({
  id: row.id,
  endpointId: row.endpoint_id,
  eventType: row.event_type,
  status: row.status,
  attempts: row.attempts,
  lastStatus: row.last_status,
  lastError: row.last_error,
  nextAttemptAt: row.status === 'pending' ? row.next_attempt_at.toISOString() : null,
  createdAt: row.created_at.toISOString(),
  deliveredAt: row.delivered_at?.toISOString() ?? null,
});

/** An endpoint's deliveries, newest first. */
export async function listDeliveries(db: Db, endpointId: string, filter: { status?: DeliveryRow['status'] | undefined; limit: number }) {
  let query = db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId);
  if (filter.status) query = query.where('status', '=', filter.status);
  return (await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute()).map(deliveryView);
}

/** One delivery with its payload and its attempts, oldest first (numbered from 1). */
export async function deliveryDetail(db: Db, id: string) {
  const row = await db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  const attempts = await db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', id).orderBy('id').execute();
  return {
    ...deliveryView(row),
    payload: row.payload,
    log: attempts.map((a, index) => ({ at: a.at.toISOString(), attempt: index + 1, status: a.http_status, error: a.error, durationMs: a.duration_ms, response: a.response_body })),
  };
}

export type ReplayOutcome = { kind: 'queued'; delivery: ReturnType<typeof deliveryView> } | { kind: 'not-found' } | { kind: 'endpoint-disabled' } | { kind: 'pending' };

/**
 * Sends a finished delivery again with the same id (`webhook-id`), so a receiver that stored it
 * recognises it. The retry schedule starts over (`round_start`): a replay after an outage gets the
 * whole day again. The conditional update makes two replays at once one.
 */
export async function replayDelivery(deps: { db: Db; queues: Queues }, id: string, now = new Date()): Promise<ReplayOutcome> {
  const current = await deps.db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as e', 'e.id', 'd.endpoint_id')
    .select(['d.status', 'e.enabled'])
    .where('d.id', '=', id)
    .executeTakeFirst();
  if (!current) return { kind: 'not-found' };
  if (!current.enabled) return { kind: 'endpoint-disabled' };
  if (current.status === 'pending') return { kind: 'pending' };
  const row = await deps.db
    .updateTable('webhook_deliveries')
    .set((eb) => ({ status: 'pending', round_start: eb.ref('attempts'), next_attempt_at: now, delivered_at: null, last_error: null, updated_at: now }))
    .where('id', '=', id)
    .where('status', '!=', 'pending')
    .returningAll()
    .executeTakeFirst();
  if (!row) return { kind: 'pending' };
  await deps.queues.webhooks.add('deliver', { kind: 'deliver', deliveryId: row.id, attempt: row.attempts + 1 }, { jobId: webhookJobId(row.id, row.attempts + 1) });
  return { kind: 'queued', delivery: deliveryView(row) };
}
