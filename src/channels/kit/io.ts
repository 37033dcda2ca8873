/** Small I/O helpers adapters share. */
import { backoffMs } from './backoff.js';
import { InboundMessage, type InboundMessageInput } from '../../domain/message.js';
import type { InboundSink } from '../contract.js';
import { PermanentChannelError } from '../errors.js';

/**
 * A response body, or undefined as soon as it grows past `maxBytes`: a platform's size claim
 * (Telegram's file_size, a Content-Length) must not be trusted to bound memory.
 */
export async function readAtMost(response: Response, maxBytes: number): Promise<Buffer | undefined> {
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
}

/** The permanent failure of a platform file over the size this server keeps (`attachments.maxBytes`). */
export const tooLargeToKeep = (maxBytes: number): PermanentChannelError =>
  new PermanentChannelError(`the file is larger than this server keeps (${Math.round(maxBytes / 1048576)} MB)`, 'too_large');

/**
 * A platform file download, bounded: refused at once when its Content-Length is over `maxBytes`,
 * cut off as soon as the bytes pass it when the header lies or is missing. Over the limit is a
 * permanent failure (retrying would download the same bytes again).
 */
export async function downloadAtMost(response: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLargeToKeep(maxBytes);
  }
  const bytes = await readAtMost(response, maxBytes);
  if (!bytes) throw tooLargeToKeep(maxBytes);
  return bytes;
}

/** Waits `ms`, or less if `signal` aborts first (a stopping connector must not linger). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** How long to wait before retry `attempt` (1, 2, …) of a local dependency: 1 s doubling to 30 s. */
export const retryDelayMs = (attempt: number): number => backoffMs(attempt, { capMs: 30_000 });

export type QueueOutcome = 'queued' | 'invalid' | 'stopped';

/**
 * For pull and socket channels: queue one message, retrying with capped backoff while the queue
 * is unreachable, so a platform cursor (Telegram offset, X checkpoint, Discord last id) never
 * moves past a message that is not in Redis. A message the model refuses can never be queued and
 * must not hold back the ones after it: that is `invalid`, for the caller to log and skip.
 */
export async function queueWithRetry(
  sink: InboundSink,
  message: InboundMessageInput,
  signal: AbortSignal,
  onRetry: (error: unknown, attempt: number) => void,
): Promise<QueueOutcome> {
  if (!InboundMessage.safeParse(message).success) return 'invalid';
  for (let attempt = 1; !signal.aborted; attempt += 1) {
    try {
      await sink.accept(message);
      return 'queued';
    } catch (error) {
      onRetry(error, attempt);
      await sleep(retryDelayMs(attempt), signal);
    }
  }
  return 'stopped';
}
