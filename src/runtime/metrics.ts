import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics; one registry per gateway instance (tests run several in one process). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'switchboard_process_' });
  const labelNames = ['channel'] as const;
  return {
    registry,
    accepted: new Counter({ name: 'switchboard_messages_accepted_total', help: 'Inbound messages queued', labelNames, registers: [registry] }),
    duplicates: new Counter({
      name: 'switchboard_messages_duplicate_total',
      help: 'Inbound deliveries recognised as already received',
      labelNames: ['channel', 'stage'] as const,
      registers: [registry],
    }),
    processed: new Counter({ name: 'switchboard_messages_processed_total', help: 'Inbound messages stored', labelNames, registers: [registry] }),
    sent: new Counter({ name: 'switchboard_messages_sent_total', help: 'Outbound messages delivered to the platform', labelNames, registers: [registry] }),
    failed: new Counter({
      name: 'switchboard_messages_failed_total',
      help: 'Outbound messages that ended failed',
      labelNames: ['channel', 'code'] as const,
      registers: [registry],
    }),
    sendAttempts: new Counter({
      name: 'switchboard_send_attempts_total',
      help: 'Outbound send attempts by outcome',
      labelNames: ['channel', 'outcome'] as const,
      registers: [registry],
    }),
    queueDepth: new Gauge({ name: 'switchboard_queue_depth', help: 'Jobs waiting or delayed per queue', labelNames: ['queue'] as const, registers: [registry] }),
    ingestLatency: new Histogram({
      name: 'switchboard_ingest_latency_seconds',
      help: 'From accepting an inbound message to its commit',
      labelNames,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    eventsRedelivered: new Counter({
      name: 'switchboard_outbox_batches_swept_total',
      help: 'Outbox batches dispatched by the recovery sweep (their writer died or could not dispatch)',
      registers: [registry],
    }),
    eventConsumerFailures: new Counter({
      name: 'switchboard_event_consumer_failures_total',
      help: 'Dispatches a consumer of domain events failed (the batch stays in the outbox and comes again)',
      labelNames: ['consumer'] as const,
      registers: [registry],
    }),
    webhookDeliveries: new Counter({
      name: 'switchboard_webhook_deliveries_total',
      help: 'Outbound webhook deliveries that ended: succeeded, or failed (the schedule ran out, or the receiver answered 410)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    webhookAttempts: new Counter({
      name: 'switchboard_webhook_attempts_total',
      help: 'Outbound webhook requests by outcome (ok, http_error, network_error)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    webhookEndpointsDisabled: new Counter({
      name: 'switchboard_webhook_endpoints_disabled_total',
      help: 'Webhook endpoints disabled automatically (every attempt of a delivery failed, or 410 Gone)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    deliveryLatency: new Histogram({
      name: 'switchboard_delivery_latency_seconds',
      help: 'From an agent reply being saved to the platform accepting it',
      labelNames,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
