import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeWechatApi } from '../../fakes/wechat/api.js';
import { type ApiConversation, conversationOf, pusherFor, startWechatGateway, stored } from '../../fakes/wechat/harness.js';
import { eventPush, newMsgId, textPush } from '../../fakes/wechat/messages.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';

describe('WeChat follow/unfollow: reachability and the 48-hour reply window', () => {
  let fake: FakeWechatApi;
  let gateway: TestGateway;
  let token: string;
  const openId = 'oFollow00000000000000000001';

  beforeAll(async () => {
    fake = await FakeWechatApi.start();
    gateway = await startWechatGateway(fake);
    token = await loginAdmin(gateway.url);
  });
  afterAll(async () => {
    await gateway?.dispose();
    await fake?.stop();
  });

  const conversation = (check: (c: ApiConversation) => boolean, what: string) =>
    eventually(async () => {
      const found = await conversationOf(gateway, token, openId);
      const fresh = (await request<ApiConversation>(gateway.url, 'GET', `/api/conversations/${found.id}`, { token })).body;
      return check(fresh) ? fresh : undefined;
    }, 15_000, what);

  it('a customer message opens a window ending 48 h after it; unsubscribe marks the customer unreachable; subscribe clears it', async () => {
    const pusher = pusherFor(gateway, fake);
    const written = Math.floor(Date.now() / 1000) - 120;
    const msgId = newMsgId();
    expect((await pusher.push(textPush(openId, '关注后第一次咨询', msgId, written))).map((a) => a.status)).toEqual([200]);
    await stored(gateway, msgId);
    const open = await conversation((c) => c.replyWindowEndsAt !== null, 'reply window');
    expect(Date.parse(open.replyWindowEndsAt!)).toBe((written + 48 * 3600) * 1000);
    expect(open.customerUnreachable).toBeNull();

    expect((await pusher.push(eventPush(openId, 'unsubscribe', '', written + 60))).map((a) => a.status)).toEqual([200]);
    const gone = await conversation((c) => c.customerUnreachable !== null, 'unreachable after unsubscribe');
    expect(gone.customerUnreachable!.reason).toMatch(/unfollowed the Official Account/);
    expect(gone.customerUnreachable!.since).toBe(new Date((written + 60) * 1000).toISOString());
    // An event is no customer message: the window still ends 48 h after the last one.
    expect(gone.replyWindowEndsAt).toBe(open.replyWindowEndsAt);

    expect((await pusher.push(eventPush(openId, 'subscribe', 'qrscene_618', written + 90))).map((a) => a.status)).toEqual([200]);
    const back = await conversation((c) => c.customerUnreachable === null, 'reachable after subscribe');
    expect(back.replyWindowEndsAt).toBe(open.replyWindowEndsAt);

    const messages = (await request(gateway.url, 'GET', `/api/conversations/${back.id}/messages`, { token })).body.items as { text: string; private: boolean }[];
    expect(messages.map((m) => [m.text, m.private])).toEqual([
      ['关注后第一次咨询', false],
      ['The customer unfollowed the Official Account; WeChat delivers no messages to them until they follow again', true],
      ['The customer followed the Official Account (QR code scene 618)', true],
    ]);
  });
});
