import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../../../adapters/discord/index.js';
import { discordConfig } from '../../../adapters/discord/config.js';
import type { ChannelAdapter, OutboundMessage } from '../../../src/channels/contract.js';
import { PermanentChannelError, RetryableChannelError } from '../../../src/channels/errors.js';
import { failures, FakeDiscord } from '../../fakes/discord/fake-discord.js';
import { connected, conversationByKey, messageState, reply, startDiscordGateway } from '../../fakes/discord/harness.js';
import { dmMessage } from '../../fakes/discord/messages.js';
import { testAdapterContext } from '../../support/adapter-context.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin } from '../../support/http.js';

const outbound = (text: string, extra: Partial<OutboundMessage> = {}): OutboundMessage => ({ messageId: 'm1', text, authorName: 'Agent', attachments: [], alreadySent: [], ...extra });
const address = (threadKey: string) => ({ conversationId: 'c1', threadKey, contactExternalId: '1' });

describe('Discord send failures, adapter against the fake REST API', () => {
  let fake: FakeDiscord;
  let adapter: ChannelAdapter;
  const user = '1300000000000000021';

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    adapter = createDiscordAdapter(discordConfig.parse({ id: 'dc', kind: 'discord', token: fake.token, apiBase: fake.apiBase }), testAdapterContext());
  });
  afterAll(async () => {
    await fake?.stop();
  });

  it('a 429 with retry_after and rate-limit headers is waited out by discord.js, then the message is sent once', async () => {
    fake.failNext(failures.rateLimited(1.2));
    const started = Date.now();
    const result = await adapter.send(address(`dm:${user}`), outbound('after the limit'));
    const attempts = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'));
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(1_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(fake.sentTo(fake.dmChannelOf(user)).map((m) => m.id)).toEqual(result.externalIds);
  });

  it('a 429 asking for more than 30 s is handed to the queue as retryable with that delay', async () => {
    fake.failNext(failures.rateLimited(120));
    const error = await adapter.send(address(`thread:${fake.supportThreadId}`), outbound('later')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableChannelError);
    expect((error as RetryableChannelError).retryAfterMs).toBeGreaterThanOrEqual(100_000);
  });

  it.each([
    ['50013 missing permissions', failures.missingPermissions(), 'missing_permissions', 'Missing Permissions'],
    ['50001 missing access', failures.missingAccess(), 'missing_access', 'Missing Access'],
    ['50007 DMs closed', failures.dmsClosed(), 'dms_closed', 'Cannot send messages to this user'],
  ])('%s is permanent with the reason', async (_name, failure, code, reason) => {
    fake.failNext(failure);
    const error = await adapter.send(address(`channel:${fake.supportChannelId}:${user}`), outbound('no')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentChannelError);
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toContain(reason);
  });

  it('a 5xx is retryable and reports the parts already delivered, so the retry sends only the rest', async () => {
    const text = `${'x'.repeat(1900)}\n\n${'y'.repeat(600)}`;
    // Not the thread of the previous test: @discordjs/rest remembers that one's 120 s limit, as it should.
    const channel = '1300000000000000077';
    const before = fake.sentTo(channel).length;
    // First part goes through, the second meets a 502.
    fake.failAfter(1, failures.serverError());
    const error = await adapter.send(address(`thread:${channel}`), outbound(text)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableChannelError);
    const delivered = (error as RetryableChannelError).sentExternalIds;
    expect(delivered).toHaveLength(1);
    const retry = await adapter.send(address(`thread:${channel}`), outbound(text, { alreadySent: delivered }));
    expect(fake.sentTo(channel).slice(before).map((m) => m.content[0])).toEqual(['x', 'y']);
    expect(retry.externalIds).toHaveLength(1);
  });

  it('a network failure is retryable', async () => {
    const offline = createDiscordAdapter(discordConfig.parse({ id: 'dc', kind: 'discord', token: 't', apiBase: 'http://127.0.0.1:9/api' }), testAdapterContext());
    await expect(offline.send(address('thread:1300000000000000099'), outbound('x'))).rejects.toBeInstanceOf(RetryableChannelError);
  });
});

describe('Discord 50007 through the gateway pipeline', () => {
  let fake: FakeDiscord;
  let gateway: TestGateway;
  const customer = { id: '1300000000000000031', username: 'closed_dms' };

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    gateway = await startDiscordGateway(fake);
    await connected(fake);
  });
  afterAll(async () => {
    await gateway?.dispose();
    await fake?.stop();
  });

  it("a reply to a customer who closed their DMs ends failed with Discord's reason, not retried", async () => {
    const token = await loginAdmin(gateway.url);
    fake.post(dmMessage(fake, customer, 1, 'help'));
    const conversation = await conversationByKey(gateway, `dm:${customer.id}`);
    fake.closeDms(customer.id);
    const id = await reply(gateway, token, conversation.id, { text: 'Here is the answer' });
    const state = await eventually(async () => {
      const s = await messageState(gateway, id);
      return s.status === 'failed' ? s : undefined;
    }, 15_000);
    expect(state.error).toMatchObject({ code: 'dms_closed' });
    expect(state.error?.message).toContain('Cannot send messages to this user');
    const attempts = fake.requests.filter((r) => r.method === 'POST' && r.path === `/api/v10/channels/${fake.dmChannelOf(customer.id)}/messages`);
    expect(attempts).toHaveLength(1);
  });
});
