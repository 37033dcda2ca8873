/**
 * The channel kit: what every adapter (`adapters/<kind>/`) needs and none should write again —
 * waiting and reading with limits (`io.ts`: `sleep`, `readAtMost` for bounded downloads,
 * `queueWithRetry`), a webhook's JSON or a 400 (`webhook.ts`), the one
 * backoff formula (`backoff.ts`), constant-time secret checks for webhooks (`secret.ts`), and
 * splitting long replies (`../split-text.ts`). A new channel is a folder `adapters/<kind>/` and
 * one entry in `adapters/index.ts`, whose type demands an entry for every `ChannelKind`.
 */
export { backoffMs, type Backoff } from './backoff.js';
export { queueWithRetry, readAtMost, retryDelayMs, sleep, type QueueOutcome } from './io.js';
export { sameSecret } from './secret.js';
export { jsonBody } from './webhook.js';
