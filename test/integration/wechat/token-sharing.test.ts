import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeWechatApi } from '../../fakes/wechat/api.js';
import { CHANNEL_ID, conversationOf, messagesOf, pusherFor, startWechatGateway } from '../../fakes/wechat/harness.js';
import { newMsgId, textPush } from '../../fakes/wechat/messages.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';

/**
 * The access token is one per account and refreshing it can invalidate the old one, so all
 * gateway processes must share it ("中控服务器"): two gateways on the same database and Redis.
 */
describe('two gateway processes share one WeChat access token', () => {
  let fake: FakeWechatApi;
  let first: TestGateway;
  let second: TestGateway;
  let token: string;
  const customers = ['oShare00000000000000000001', 'oShare00000000000000000002', 'oShare00000000000000000003', 'oShare00000000000000000004'];
  const conversations: string[] = [];

  beforeAll(async () => {
    fake = await FakeWechatApi.start();
    // Slow token answers: without the shared lock, concurrent fetchers would all get through.
    fake.tokenDelayMs = 300;
    first = await startWechatGateway(fake);
    second = await startWechatGateway(fake, {}, { reuse: { schema: first.schema, prefix: first.prefix, dataDir: first.dataDir } });
    token = await loginAdmin(first.url);
    for (const openId of customers) {
      expect((await pusherFor(first, fake).push(textPush(openId, `客户 ${openId.slice(-1)} 的问题`, newMsgId()))).map((a) => a.status)).toEqual([200]);
      conversations.push((await conversationOf(first, token, openId)).id);
    }
  });
  afterAll(async () => {
    await second?.stop();
    await first?.dispose();
    await fake?.stop();
  });

  const sentAll = (ids: string[]) =>
    eventually(async () => {
      for (const [index, id] of ids.entries()) {
        const messages = await messagesOf(first, token, conversations[index % conversations.length]!);
        if (!messages.some((m) => m.id === id && m.status === 'sent')) return undefined;
      }
      return true;
    }, 20_000, 'all replies sent');

  it('both started (each checks the channel) and replies sent through both at once: the token was fetched once', async () => {
    const ids = await Promise.all(
      conversations.map(async (conversationId, index) => {
        const gateway = index % 2 === 0 ? first : second;
        const response = await request(gateway.url, 'POST', `/api/conversations/${conversationId}/messages`, { token, body: { text: `回复 ${index}` } });
        expect(response.status).toBe(202);
        return response.body.id as string;
      }),
    );
    await sentAll(ids);
    expect(fake.fetches).toEqual({ stable: 1, forced: 0, token: 0 });
  });

  it('when WeChat expires the token, both processes refreshing at once fetch a new one exactly once', async () => {
    const before = fake.tokenFetches;
    fake.expireTokens();
    // Each process's own adapter instance, sending at the same moment.
    const adapters = [first, second].map((gateway) => gateway.deps.adapters.get(CHANNEL_ID)!);
    const results = await Promise.all(
      adapters.map((adapter, index) =>
        adapter.send(
          { conversationId: conversations[index]!, threadKey: customers[index]!, contactExternalId: customers[index]! },
          { messageId: `direct${index}`, text: `并发刷新 ${index}`, authorName: 'Agent', attachments: [], alreadySent: [] },
        ),
      ),
    );
    expect(results.map((r) => r.externalIds)).toEqual([['direct0-0'], ['direct1-0']]);
    expect(fake.tokenFetches - before).toBe(1);
    // Both sends went out with the same, new token.
    const [a, b] = [fake.sendsTo(customers[0]!).at(-1)!, fake.sendsTo(customers[1]!).at(-1)!];
    expect(a.token).toBe(b.token);
  });
});
