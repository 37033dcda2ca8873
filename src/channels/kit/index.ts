/**
 * The channel kit: what every adapter (`adapters/<kind>/`) needs and none should write again —
 * - `defineAdapter` (`../definition.ts`): id, kind, name and the `verify()` bookkeeping;
 * - split-and-resume sending of long replies (`send.ts`, `split-text.ts`);
 * - bounded downloads and queueing with retry (`io.ts`);
 * - a webhook's JSON or a 400 (`webhook.ts`) and constant-time secret checks (`secret.ts`);
 * - the one backoff formula (`backoff.ts`).
 * A new channel is a folder `adapters/<kind>/` and one entry in `adapters/index.ts`, whose type
 * demands an entry for every `ChannelKind`.
 */
export { defineAdapter, type AdapterBody, type Health } from '../definition.js';
export { backoffMs, type Backoff } from './backoff.js';
export { downloadAtMost, queueWithRetry, readAtMost, retryDelayMs, sleep, tooLargeToKeep, type QueueOutcome } from './io.js';
export { sendParts, textParts } from './send.js';
export { splitText } from './split-text.js';
export { sameSecret, secretMatcher } from './secret.js';
export { jsonBody } from './webhook.js';
