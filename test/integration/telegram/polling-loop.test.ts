import { TelegramError } from 'telegraf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTelegramAdapter } from '../../../adapters/telegram/index.js';
import { telegramConfig } from '../../../adapters/telegram/config.js';
import type { ChannelAdapter, InboundSink } from '../../../src/channels/contract.js';
import type { InboundMessageInput } from '../../../src/domain/message.js';
import { FakeBotApi } from '../../fakes/telegram/bot-api.js';
import { textUpdate } from '../../fakes/telegram/updates.js';
import { eventually } from '../../support/http.js';
import { testAdapterContext } from '../../support/adapter-context.js';

const context = testAdapterContext();
const customer = { id: 4_400_000_004, first_name: 'Mei' };

/** A sink whose queue is "down" for the first `failures` accepts (Redis unreachable). */
class FlakySink implements InboundSink {
  readonly accepted: InboundMessageInput[] = [];
  /** What Telegram had confirmed at each attempt (from the fake). */
  readonly confirmedAtAttempt: number[] = [];
  attempts = 0;
  constructor(
    private failures: number,
    private readonly confirmed: () => number = () => 0,
  ) {}
  async saveAttachment(): Promise<{ storedId: string }> {
    throw new Error('not used by these tests');
  }
  async accept(message: InboundMessageInput): Promise<void> {
    this.attempts += 1;
    this.confirmedAtAttempt.push(this.confirmed());
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('inbound queue unavailable: connect ECONNREFUSED');
    }
    this.accepted.push(message);
  }
}

describe('the polling loop against the Bot API (adapter alone)', () => {
  let fake: FakeBotApi;
  let adapter: ChannelAdapter;
  let stop: AbortController;
  const adapterFor = (fields: Record<string, unknown> = {}) =>
    createTelegramAdapter(telegramConfig.parse({ id: 'tg', kind: 'telegram', token: fake.token, apiRoot: fake.url, mode: 'polling', pollTimeoutSeconds: 1, ...fields }), context);

  beforeEach(async () => {
    fake = await FakeBotApi.start();
    adapter = adapterFor();
    stop = new AbortController();
  });
  afterEach(async () => {
    stop.abort();
    await fake.stop();
  });

  it('while the queue refuses an update, nothing is confirmed; once it accepts, every update is queued in order and then confirmed', async () => {
    const sink = new FlakySink(2, () => fake.confirmedOffset);
    const first = fake.queueUpdate(textUpdate(customer, 1, 'first'));
    const second = fake.queueUpdate(textUpdate(customer, 2, 'second'));
    const running = adapter.start!(sink, stop.signal);
    await eventually(async () => (sink.attempts >= 2 ? true : undefined));
    // Failing: Telegram still holds both, and no getUpdates asked past them.
    expect(fake.confirmedOffset).toBeLessThanOrEqual(first.update_id);
    expect(fake.unconfirmed().map((u) => u.update_id)).toEqual([first.update_id, second.update_id]);
    await eventually(async () => (sink.accepted.length === 2 ? true : undefined), 10_000);
    expect(sink.accepted.map((m) => m.externalId)).toEqual([`${customer.id}:1`, `${customer.id}:2`]);
    // Two refusals of update 1, then 1 and 2 accepted: all before anything was confirmed.
    expect(sink.confirmedAtAttempt).toHaveLength(4);
    expect(sink.confirmedAtAttempt.every((offset) => offset <= first.update_id)).toBe(true);
    await eventually(async () => (fake.confirmedOffset === second.update_id + 1 ? true : undefined));
    stop.abort();
    await running;
  });

  it('stops promptly when aborted in the middle of a 50 s long poll', async () => {
    const slow = adapterFor({ pollTimeoutSeconds: 50 });
    const running = slow.start!(new FlakySink(0), stop.signal);
    await eventually(async () => (fake.callsOf('getUpdates').length > 0 ? true : undefined));
    const abortedAt = Date.now();
    stop.abort();
    const outcome = await Promise.race([running.then(() => 'stopped'), new Promise((resolve) => setTimeout(() => resolve('still polling'), 3_000))]);
    expect(outcome).toBe('stopped');
    expect(Date.now() - abortedAt).toBeLessThan(3_000);
  });

  it('another poller taking over (409 Conflict) ends the loop with that error, for the connector runner to record', async () => {
    const running = adapter.start!(new FlakySink(0), stop.signal);
    const failed = running.then(() => undefined, (error: unknown) => error);
    await eventually(async () => (fake.callsOf('getUpdates').length > 0 ? true : undefined));
    // A second instance polling with the same token, as Telegram sees it.
    const rival = fetch(`${fake.url}/bot${fake.token}/getUpdates`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ timeout: 0 }) });
    const error = await failed;
    await rival;
    expect(error).toBeInstanceOf(TelegramError);
    expect((error as TelegramError).code).toBe(409);
  });

  it('a revoked token (401) ends the loop with that error instead of retrying forever', async () => {
    const revoked = createTelegramAdapter(telegramConfig.parse({ id: 'tg', kind: 'telegram', token: '999:revoked', apiRoot: fake.url, mode: 'polling', pollTimeoutSeconds: 1 }), context);
    await expect(revoked.start!(new FlakySink(0), stop.signal)).rejects.toMatchObject({ code: 401 });
    expect(fake.callsOf('getUpdates')).toHaveLength(0);
  });
});
