import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DomainEvent } from '../domain/events.js';
import { InboundMessage } from '../domain/message.js';

/** Queue names (DESIGN §4). No `:` in names or ids: BullMQ uses it as the key separator. */
export const INBOUND_QUEUE = 'inbound';
/** One outbound queue per channel, so a 429 pauses only that channel (its own rate limiter). */
export const outboundQueueName = (channelId: string): string => `outbound-${channelId}`;
export const MAINTENANCE_QUEUE = 'maintenance';

export const InboundJob = z.object({
  message: InboundMessage,
  /** When the gateway accepted the message (ingest latency is measured from here). */
  acceptedAt: z.number(),
});
export type InboundJob = z.infer<typeof InboundJob>;

/** Only the message id: the worker reads text and address from Postgres (no personal data in Redis). */
export const OutboundJob = z.object({ messageId: z.string() });
export type OutboundJob = z.infer<typeof OutboundJob>;

export const MEDIA_QUEUE = 'media';
/** Download one platform attachment into our store (Telegram file_id, WeChat MediaId, CDN URL). */
export const MediaJob = z.object({ attachmentId: z.string() });
export type MediaJob = z.infer<typeof MediaJob>;

export const DESK_TIMER_QUEUE = 'desk-timers';
/**
 * A desk feature's timer (an SLA due time): BullMQ delayed jobs, so nothing polls. The job id is
 * `<feature>.<key>.<due ms>`: the same timer scheduled twice (a redelivered event, two workers)
 * is one job.
 */
export const DeskTimerJob = z.object({ feature: z.string(), key: z.string(), data: z.record(z.string(), z.unknown()) });
export type DeskTimerJob = z.infer<typeof DeskTimerJob>;

export const DESK_EVENTS_QUEUE = 'desk-events';
/**
 * One outbox batch for the desk features, handed over by the dispatcher so their reactions
 * (acknowledgements, SLA clocks, routing) never hold up the ingest that produced the events.
 * Ids and codes only, no personal data. Job id `events.<outbox id>`: a redelivered batch waiting
 * here is one job.
 */
export const DeskEventsJob = z.object({ batch: z.object({ id: z.string(), events: z.array(DomainEvent.and(z.object({ id: z.string() }))) }) });
export type DeskEventsJob = z.infer<typeof DeskEventsJob>;

export const RECORDS_QUEUE = 'records';
/**
 * Issue 17's records jobs: a retention run (repeatable), or a customer's export or erasure whose
 * state lives in `records_jobs` under the same id (ids only here, no personal data in Redis).
 */
export const RecordsJob = z.discriminatedUnion('kind', [z.object({ kind: z.literal('retention') }), z.object({ kind: z.enum(['export', 'erase']), id: z.string() })]);
export type RecordsJob = z.infer<typeof RecordsJob>;

export const WEBHOOKS_QUEUE = 'webhooks';
/**
 * One attempt of an outbound webhook delivery (issue 18). The `webhook_deliveries` row is the
 * truth (payload, status, attempts); the job names it and which attempt it is, so its id
 * `<delivery id>.<attempt>` makes a sweeper's or a redelivered batch's re-add of the same attempt
 * one job. Ids only: no payload, no secret in Redis.
 */
export const WebhookJob = z.object({ deliveryId: z.string().min(1).max(100), attempt: z.number().int().min(1) });
export type WebhookJob = z.infer<typeof WebhookJob>;
export const webhookJobId = (deliveryId: string, attempt: number): string => `${deliveryId}.${attempt}`;

export const MaintenanceJob = z.object({ task: z.enum(['sweep-outbound', 'sweep-media', 'sweep-events', 'wake-snoozed']) });

const plainId = /^[A-Za-z0-9_.@<>+=%-]{1,200}$/;

/**
 * jobId for an inbound message: `<channel>.<externalId>`. The separator is `.` rather than `-`
 * because channel ids may contain `-` but never `.`, so (`tg-2`, `100`) and (`tg`, `2-100`)
 * cannot collide in the shared inbound queue. `:` (BullMQ's key separator) is percent-escaped;
 * external ids with other characters unsafe in keys (spaces, …) are hashed; the database keeps
 * the real id.
 */
export function inboundJobId(channelId: string, externalId: string, revision?: { kind: string; at: string }): string {
  // Percent-escaping `%` and `:` keeps ids like Telegram's `chat:message` readable and distinct
  // without a hash per message; anything else unusual is hashed.
  const escaped = externalId.replace(/%/g, '%25').replace(/:/g, '%3A');
  const safe = plainId.test(escaped) ? escaped : `h${createHash('sha256').update(externalId).digest('base64url').slice(0, 32)}`;
  // An edit shares its message's external id; its own job id keeps it from being dropped as a
  // duplicate of the original while that is still queued.
  return revision ? `${channelId}.${safe}.${revision.kind}${Date.parse(revision.at)}` : `${channelId}.${safe}`;
}
