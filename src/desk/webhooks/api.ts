import { z } from 'zod';
import { defineContract } from '../../api/route.js';
import { request, response } from '../../api/schemas.js';
import { MAX_WEBHOOK_URL, WEBHOOK_EVENT_TYPES } from '../../domain/webhooks.js';

/** Outbound webhook routes (issue 18), admins only: endpoints, their secrets, the delivery log, replay. */

const EventList = z
  .array(z.union([z.literal('*'), z.enum(WEBHOOK_EVENT_TYPES)]))
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length + 1)
  .describe(`Event types it receives, or \`["*"]\` for all: ${WEBHOOK_EVENT_TYPES.join(', ')}.`);
const Channels = z.array(z.string().min(1).max(64)).min(1).max(50).nullable().describe('Channel ids or kinds whose conversations it gets; null or absent = every channel.');
const HandledBy = z.enum(['bot', 'agent']).nullable().describe("Only conversations the bot (or the team) holds when the event happens; null = both.");
const Url = z.string().trim().min(1).max(MAX_WEBHOOK_URL).describe('http(s) URL of the receiver; no credentials in it; link-local and cloud-metadata addresses are refused.');

export const WebhookInput = request(
  'WebhookInput',
  z.object({ url: Url, description: z.string().trim().max(500).default(''), events: EventList, channels: Channels.optional(), handledBy: HandledBy.optional() }).strict(),
);
export const WebhookPatch = request(
  'WebhookPatch',
  z.object({ url: Url.optional(), description: z.string().trim().max(500).optional(), events: EventList.optional(), channels: Channels.optional(), handledBy: HandledBy.optional() }).strict(),
);

export const WebhookEndpoint = response(
  'WebhookEndpoint',
  z.object({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    events: z.array(z.string()),
    channels: z.array(z.string()).nullable(),
    handledBy: z.enum(['bot', 'agent']).nullable(),
    ownerAgentId: z.string().nullable().describe('The agent bot it belongs to (managed through `/api/agent-bots`); null = an admin’s endpoint.'),
    enabled: z.boolean(),
    disabledReason: z.string().nullable().describe('Why it was disabled (every attempt of a delivery failed over the retry schedule, or the receiver answered 410).'),
    disabledAt: z.string().nullable(),
    previousSecretExpiresAt: z.string().nullable().describe('During a rotation: until when the previous secret still signs (each request then carries two signatures).'),
    createdAt: z.string(),
    updatedAt: z.string(),
  }),
);
export const WebhookEndpointList = response('WebhookEndpointList', z.object({ items: z.array(WebhookEndpoint) }));
export const WebhookWithSecret = response(
  'WebhookWithSecret',
  z.object({ endpoint: WebhookEndpoint, secret: z.string().describe('`whsec_…`: shown this once; verify requests with it (Standard Webhooks).') }),
);

export const WebhookDelivery = response(
  'WebhookDelivery',
  z.object({
    id: z.string().describe('The `webhook-id` header of every attempt, retries and replays included.'),
    endpointId: z.string(),
    eventType: z.string(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    attempts: z.number().int(),
    lastStatus: z.number().int().nullable().describe('HTTP status of the last attempt; null for a network error or none yet.'),
    lastError: z.string().nullable(),
    nextAttemptAt: z.string().nullable().describe('When pending: the next attempt.'),
    createdAt: z.string(),
    deliveredAt: z.string().nullable(),
  }),
);
export const WebhookDeliveryList = response('WebhookDeliveryList', z.object({ items: z.array(WebhookDelivery) }));
export const WebhookDeliveryDetail = response(
  'WebhookDeliveryDetail',
  WebhookDelivery.extend({
    payload: z.unknown().describe('The envelope’s `data`: the API object, secrets already removed.'),
    log: z.array(
      z.object({
        at: z.string(),
        attempt: z.number().int(),
        status: z.number().int().nullable(),
        error: z.string().nullable(),
        durationMs: z.number().int(),
        response: z.string().nullable().describe('The first 1 KB of the receiver’s answer.'),
      }),
    ),
  }),
);

const id = z.object({ id: z.string().min(1).max(64) });

export const webhookRoutes = defineContract({
  listWebhooks: {
    method: 'get',
    path: '/api/webhooks',
    tags: ['webhooks'],
    summary: 'Outbound webhook endpoints',
    description: 'Additive (issue 18). Never a secret.',
    auth: 'admin',
    response: { kind: 'json', status: 200, schema: WebhookEndpointList, description: 'The endpoints, oldest first.' },
    errors: [401, 403],
  },
  createWebhook: {
    method: 'post',
    path: '/api/webhooks',
    tags: ['webhooks'],
    summary: 'Subscribe a receiver to events',
    description: 'Additive (issue 18). Events are delivered signed (Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature`), retried for about a day (`desk.webhooks.retrySchedule`), then the endpoint is disabled with a reason.',
    auth: 'admin',
    body: WebhookInput,
    response: { kind: 'json', status: 201, schema: WebhookWithSecret, description: 'The endpoint and its secret, shown once.' },
    errors: [400, 401, 403, 413],
  },
  getWebhook: {
    method: 'get',
    path: '/api/webhooks/:id',
    tags: ['webhooks'],
    summary: 'One endpoint',
    description: 'Additive (issue 18).',
    auth: 'admin',
    params: id,
    response: { kind: 'json', status: 200, schema: WebhookEndpoint, description: 'The endpoint.' },
    errors: [401, 403, 404],
  },
  updateWebhook: {
    method: 'patch',
    path: '/api/webhooks/:id',
    tags: ['webhooks'],
    summary: 'Change an endpoint’s address or filters',
    description: 'Additive (issue 18). An agent bot’s endpoint is changed through `/api/agent-bots` (409 here).',
    auth: 'admin',
    params: id,
    body: WebhookPatch,
    response: { kind: 'json', status: 200, schema: WebhookEndpoint, description: 'The endpoint.' },
    errors: [400, 401, 403, 404, 409, 413],
  },
  deleteWebhook: {
    method: 'delete',
    path: '/api/webhooks/:id',
    tags: ['webhooks'],
    summary: 'Delete an endpoint and its delivery log',
    description: 'Additive (issue 18). An agent bot’s endpoint goes with the bot (409 here).',
    auth: 'admin',
    params: id,
    response: { kind: 'empty', description: 'Deleted.' },
    errors: [401, 403, 404, 409],
  },
  rotateWebhookSecret: {
    method: 'post',
    path: '/api/webhooks/:id/rotate-secret',
    tags: ['webhooks'],
    summary: 'A new secret; the previous one keeps signing for 24 h',
    description: 'Additive (issue 18). During the overlap every request carries both signatures, so a receiver can switch without losing an event.',
    auth: 'admin',
    params: id,
    response: { kind: 'json', status: 200, schema: WebhookWithSecret, description: 'The endpoint and its new secret, shown once.' },
    errors: [401, 403, 404],
  },
  enableWebhook: {
    method: 'post',
    path: '/api/webhooks/:id/enable',
    tags: ['webhooks'],
    summary: 'Enable a disabled endpoint again',
    description: 'Additive (issue 18). Clears the reason; events from now on are delivered; replay sends the ones it missed.',
    auth: 'admin',
    params: id,
    response: { kind: 'json', status: 200, schema: WebhookEndpoint, description: 'The endpoint.' },
    errors: [401, 403, 404],
  },
  testWebhook: {
    method: 'post',
    path: '/api/webhooks/:id/test',
    tags: ['webhooks'],
    summary: 'Send a `webhook.test` event',
    description: 'Additive (issue 18). Delivered like any event (signed, retried, logged). 409 `endpoint_disabled`.',
    auth: 'admin',
    params: id,
    response: { kind: 'json', status: 202, schema: WebhookDelivery, description: 'The delivery, queued.' },
    errors: [401, 403, 404, 409],
  },
  listWebhookDeliveries: {
    method: 'get',
    path: '/api/webhooks/:id/deliveries',
    tags: ['webhooks'],
    summary: 'An endpoint’s delivery log, newest first',
    description: 'Additive (issue 18). Finished deliveries are kept 30 days.',
    auth: 'admin',
    params: id,
    query: z.object({ status: z.enum(['pending', 'succeeded', 'failed']).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
    response: { kind: 'json', status: 200, schema: WebhookDeliveryList, description: 'The deliveries.' },
    errors: [400, 401, 403, 404],
  },
  getWebhookDelivery: {
    method: 'get',
    path: '/api/webhook-deliveries/:id',
    tags: ['webhooks'],
    summary: 'One delivery with its payload and every attempt',
    description: 'Additive (issue 18).',
    auth: 'admin',
    params: id,
    response: { kind: 'json', status: 200, schema: WebhookDeliveryDetail, description: 'The delivery.' },
    errors: [401, 403, 404],
  },
  replayWebhookDelivery: {
    method: 'post',
    path: '/api/webhook-deliveries/:id/replay',
    tags: ['webhooks'],
    summary: 'Send a delivery again, with the same `webhook-id`',
    description: 'Additive (issue 18). Starts the retry schedule over. 409 `endpoint_disabled` (enable it first), 409 `delivery_pending` while it is still being tried.',
    auth: 'admin',
    params: id,
    response: { kind: 'json', status: 202, schema: WebhookDelivery, description: 'The delivery, queued.' },
    errors: [401, 403, 404, 409],
  },
});
