import { z } from 'zod';
import { listEndpointRows, endpointView, type WebhookEndpoint } from '../../store/webhooks.js';
import { defineDeskFeature } from '../feature.js';
import { DurationText } from '../settings-types.js';
import { enqueueDeliveries } from './deliveries.js';
import { deliveriesFor, subscribes, webhookTypeOf } from './fanout.js';
import { webhookRoutes } from './api.js';
import { webhookApi } from './routes.js';

/** Standard Webhooks' suggested schedule, about a day: after the first attempt, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (≈ 27.5 h). */
export const DEFAULT_RETRY_SCHEDULE = ['5s', '5m', '30m', '2h', '5h', '10h', '10h'] as const;

export const WebhooksSettings = z.object({
  webhooks: z
    .object({
      retrySchedule: z
        .array(DurationText)
        .min(1)
        .max(20)
        .default([...DEFAULT_RETRY_SCHEDULE])
        .describe('Waits between attempts of a delivery that failed; after the last one the endpoint is disabled.'),
    })
    .strict()
    .default({ retrySchedule: [...DEFAULT_RETRY_SCHEDULE] }),
});

/** How often a process picks up endpoints edited through another process. */
const REFRESH_MS = 3_000;

/**
 * Outbound webhooks (issue 18 part 1): signed (Standard Webhooks), durable (a Postgres outbox of
 * deliveries, one BullMQ job per attempt), retried for about a day, then the endpoint is disabled
 * with a reason an admin reads in the inbox. The fan-out runs in the desk-events worker, never in
 * the ingest; the ingest only asks `concerns`, from a cached list of endpoints.
 */
export const webhooks = defineDeskFeature({
  name: 'webhooks',
  settings: WebhooksSettings,
  contract: webhookRoutes,
  create(context) {
    const db = () => context.inbox().db;
    let endpoints: WebhookEndpoint[] = [];
    let subscribed = new Set<string>();
    let timer: NodeJS.Timeout | undefined;
    const refresh = async (): Promise<WebhookEndpoint[]> => {
      endpoints = (await listEndpointRows(db(), { enabledOnly: true })).map((row) => endpointView(row));
      subscribed = new Set(endpoints.flatMap((e) => e.events));
      return endpoints;
    };

    const api = webhookApi(context, refresh);
    return {
      api: { contract: webhookRoutes, mount: (mounter) => mounter(api) },
      concerns(event) {
        const type = webhookTypeOf(event);
        return type !== undefined && (subscribed.has('*') || subscribed.has(type));
      },
      async onEvents(batches, view) {
        // Fresh, not the cache: an endpoint created a second ago gets the events it was created for.
        const current = await refresh();
        if (current.length === 0) return;
        const events = batches.flatMap((b) => b.events).filter((e) => {
          const type = webhookTypeOf(e);
          return type !== undefined && current.some((endpoint) => subscribes(endpoint, type));
        });
        await enqueueDeliveries(context.inbox(), deliveriesFor(events, current, view));
      },
      async start() {
        await refresh();
        timer = setInterval(() => void refresh().catch((error: unknown) => context.logger.warn({ err: error }, 'could not refresh webhook endpoints')), REFRESH_MS);
        timer.unref();
      },
      stop() {
        clearInterval(timer);
      },
    };
  },
});
