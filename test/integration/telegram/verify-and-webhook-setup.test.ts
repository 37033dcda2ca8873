import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { telegramConfig } from '../../../adapters/telegram/config.js';
import { createTelegramAdapter } from '../../../adapters/telegram/index.js';
import type { InboundSink } from '../../../src/channels/contract.js';
import type { InboundMessageInput } from '../../../src/domain/message.js';
import { FakeBotApi } from '../../fakes/telegram/bot-api.js';
import { telegramFixture } from '../../fakes/telegram/fixtures.js';
import { testAdapterContext } from '../../support/adapter-context.js';
import { testSink } from '../../support/sink.js';

const SECRET = 'setup-secret_42';
const logger = pino({ level: 'silent' });

describe('verify(): credentials, webhook registration and the bot identity (adapter alone)', () => {
  let fake: FakeBotApi;
  beforeEach(async () => {
    fake = await FakeBotApi.start();
  });
  afterEach(async () => fake.stop());

  const adapterFor = (publicUrl: string, fields: Record<string, unknown> = {}) =>
    createTelegramAdapter(
      telegramConfig.parse({ id: 'tg', kind: 'telegram', token: fake.token, secretToken: SECRET, apiRoot: fake.url, ...fields }),
      testAdapterContext(publicUrl),
    );
  const webhookPost = (update: unknown) => ({ method: 'POST', query: {}, headers: { 'x-telegram-bot-api-secret-token': SECRET }, rawBody: Buffer.from(JSON.stringify(update)) });
  const recordingSink = (): InboundSink & { accepted: InboundMessageInput[] } => {
    const accepted: InboundMessageInput[] = [];
    return { accepted, ...testSink(async (message) => void accepted.push(message)) };
  };

  it('a valid token is ok; a refused one says so in words an operator understands', async () => {
    expect(await adapterFor('http://localhost:3000').verify()).toMatchObject({ status: 'ok', error: null });
    const revoked = createTelegramAdapter(telegramConfig.parse({ id: 'tg', kind: 'telegram', token: '999:revoked', secretToken: SECRET, apiRoot: fake.url }), testAdapterContext());
    expect(await revoked.verify()).toMatchObject({ status: 'error', error: 'Telegram refused the bot token (401)' });
  });

  it('with an https public URL it registers the webhook with the secret and update types, and again only when the URL was changed elsewhere', async () => {
    const adapter = adapterFor('https://support.example.com/');
    await adapter.verify();
    expect(fake.webhook).toEqual({ url: 'https://support.example.com/webhooks/tg', secret_token: SECRET, allowed_updates: ['message', 'edited_message', 'my_chat_member', 'callback_query'] });
    await adapter.verify();
    expect(fake.callsOf('setWebhook')).toHaveLength(1);
    fake.webhook = { url: 'https://old-host.example.com/hook' };
    await adapter.verify();
    expect(fake.callsOf('setWebhook')).toHaveLength(2);
    expect(fake.webhook?.url).toBe('https://support.example.com/webhooks/tg');
  });

  it('Telegram failing to deliver to the webhook shows up as the channel error', async () => {
    const adapter = adapterFor('https://support.example.com');
    await adapter.verify();
    fake.webhookLastError = { date: Math.floor(Date.now() / 1000) - 30, message: 'Wrong response from the webhook: 503 Service Unavailable' };
    fake.queueUpdate(telegramFixture('group-chatter'));
    expect(await adapter.verify()).toMatchObject({ status: 'error', error: expect.stringContaining('503 Service Unavailable') });
  });

  it('never touches the webhook for an http public URL or in polling mode', async () => {
    await adapterFor('http://localhost:3000').verify();
    await adapterFor('https://support.example.com', { mode: 'polling', secretToken: undefined }).verify();
    expect(fake.callsOf('setWebhook')).toHaveLength(0);
    expect(fake.callsOf('getWebhookInfo')).toHaveLength(0);
  });

  it('a group mention reaching a fresh webhook looks up the bot first instead of dropping it; chatter is still ignored', async () => {
    const adapter = adapterFor('http://localhost:3000');
    const sink = recordingSink();
    expect(await adapter.webhook!(webhookPost(telegramFixture('group-mention')), sink)).toEqual({ status: 200 });
    expect(await adapter.webhook!(webhookPost(telegramFixture('group-chatter')), sink)).toEqual({ status: 200 });
    expect(sink.accepted.map((m) => m.externalId)).toEqual(['-1001987654321:90211']);
    expect(fake.callsOf('getMe')).toHaveLength(1);
  });

  it('when the queue cannot take the message the webhook fails instead of answering 200, so Telegram redelivers', async () => {
    const adapter = adapterFor('http://localhost:3000');
    const down: InboundSink = testSink(async () => {
      throw new Error('inbound queue unavailable');
    });
    await expect(adapter.webhook!(webhookPost(telegramFixture('text-with-entities')), down)).rejects.toThrow('inbound queue unavailable');
  });

  it('private messages never wait for the bot lookup', async () => {
    const adapter = adapterFor('http://localhost:3000');
    const sink = recordingSink();
    await adapter.webhook!(webhookPost(telegramFixture('text-with-entities')), sink);
    expect(sink.accepted).toHaveLength(1);
    expect(fake.callsOf('getMe')).toHaveLength(0);
  });
});
