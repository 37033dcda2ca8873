import { sql } from 'kysely';
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
    await deps.queues.webhooks.addBulk(toQueue.map((r) => ({ name: 'deliver', data: { deliveryId: r.id, attempt: 1 }, opts: { jobId: webhookJobId(r.id, 1) } })));
  }
  return inputs.map((input) => {
    const row = byKey.get(`${input.endpointId}\n${input.key}`);
    if (!row) return { deliveryId: '', created: false, skipped: 'endpoint-disabled' as const };
    return { deliveryId: row.id, created: created.has(row.id) };
  });
}
