import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wechatConfig } from '../../../adapters/wechat/config.js';
import { createWechatAdapter } from '../../../adapters/wechat/index.js';
import type { InboundSink } from '../../../src/channels/contract.js';
import { choiceToken } from '../../../src/domain/choice.js';
import type { InboundMessageInput } from '../../../src/domain/message.js';
import { FakeWechatApi } from '../../fakes/wechat/api.js';
import { AES_KEY, type ApiMessage, conversationOf, messagesOf, pusherFor, startWechatGateway, stored, storedCount, TOKEN } from '../../fakes/wechat/harness.js';
import { menuTapPush, newMsgId, textPush } from '../../fakes/wechat/messages.js';
import { type FakeWechatPusher, sign } from '../../fakes/wechat/pusher.js';
import { testAdapterContext } from '../../support/adapter-context.js';
import type { TestGateway } from '../../support/gateway.js';
import { loginAdmin } from '../../support/http.js';

const SURVEY = '01jc5v7x9k2m4n6p8q0r2s4t6v';
const four = { id: choiceToken({ id: SURVEY, value: '4' }), content: '4 ★★★★' };

describe('a tap on a survey 菜单消息 item comes back as the customer\'s message', () => {
  let fake: FakeWechatApi;
  let gateway: TestGateway;
  let plain: FakeWechatPusher;
  let safe: FakeWechatPusher;
  let token: string;
  const openId = 'oTap0000000000000000000001';

  /** Pushes after which everything earlier on the webhook has been through the inbound worker. */
  const settle = async (pusher: FakeWechatPusher) => {
    const marker = newMsgId();
    await pusher.push(textPush(openId, 'marker', marker));
    await stored(gateway, marker);
  };

  beforeAll(async () => {
    fake = await FakeWechatApi.start();
    gateway = await startWechatGateway(fake, { encodingAESKey: AES_KEY });
    plain = pusherFor(gateway, fake, 'plain');
    safe = pusherFor(gateway, fake, 'safe');
    token = await loginAdmin(gateway.url);
  });
  afterAll(async () => {
    await gateway?.dispose();
    await fake?.stop();
  });

  it('WeChat pushing the tap 3 times (and once more in safe mode) stores it once, as the item\'s text, in the customer\'s conversation', async () => {
    const earlier = newMsgId();
    await plain.push(textPush(openId, '问题解决了，谢谢', earlier));
    await stored(gateway, earlier);
    const conversation = await conversationOf(gateway, token, openId);

    const msgId = newMsgId();
    const tap = menuTapPush(openId, four, msgId);
    for (let i = 0; i < 3; i += 1) expect((await plain.push(tap)).map((a) => [a.status, a.body])).toEqual([[200, 'success']]);
    expect((await safe.push(tap)).map((a) => [a.status, a.body])).toEqual([[200, 'success']]);
    await stored(gateway, msgId);
    await settle(plain);

    expect(await storedCount(gateway, msgId)).toBe(1);
    const row = await gateway.deps.db.selectFrom('messages').select(['text', 'conversation_id', 'direction', 'raw']).where('external_id', '=', msgId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ text: '4 ★★★★', conversation_id: conversation.id, direction: 'inbound' });
    expect(JSON.stringify(row.raw)).toContain(`"bizmsgmenuid":"${four.id}"`);
    const shown = (await messagesOf(gateway, token, conversation.id)).find((m) => m.externalId === msgId) as ApiMessage & { choice?: unknown };
    expect(shown.choice).toMatchObject({ id: SURVEY, picked: '4' });
  });

  it('a tap with a forged signature (plain), a wrong msg_signature or a body changed in transit (safe) is refused and stores nothing', async () => {
    const forged = [newMsgId(), newMsgId(), newMsgId()];
    const five = { id: choiceToken({ id: SURVEY, value: '5' }), content: '5 ★★★★★' };
    expect((await plain.push(menuTapPush(openId, five, forged[0]), { signature: '0'.repeat(40) })).map((a) => a.status)).toEqual([403]);
    expect((await safe.push(menuTapPush(openId, five, forged[1]), { msgSignature: 'f'.repeat(40) })).map((a) => a.status)).toEqual([403]);
    expect((await safe.push(menuTapPush(openId, five, forged[2]), { tamperEncrypt: true })).map((a) => a.status)).toEqual([403]);
    expect((await plain.push(menuTapPush(openId, five), { signature: null })).map((a) => a.status)).toEqual([401]);
    await settle(plain);
    for (const msgId of forged) expect(await storedCount(gateway, msgId)).toBe(0);
  });

  it('the webhook hands the sink the picked choice; an unknown menu id is an ordinary text (the adapter alone, a recording sink)', async () => {
    const accepted: InboundMessageInput[] = [];
    const sink: InboundSink = {
      accept: async (message) => void accepted.push(message),
      saveAttachment: async () => {
        throw new Error('no attachments here');
      },
    };
    const adapter = createWechatAdapter(wechatConfig.parse({ id: 'wx', kind: 'wechat', appId: fake.appId, appSecret: fake.appSecret, token: TOKEN, apiBase: fake.url }), testAdapterContext());
    const deliver = async (xml: string) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const query = { signature: sign(TOKEN, timestamp, '4242'), timestamp, nonce: '4242', openid: openId };
      return adapter.webhook!({ method: 'POST', query, headers: { 'content-type': 'text/xml' }, rawBody: Buffer.from(xml) }, sink);
    };
    expect(await deliver(menuTapPush(openId, four, '24699999999900001'))).toMatchObject({ status: 200, body: 'success' });
    expect(await deliver(menuTapPush(openId, { id: '101', content: '满意' }, '24699999999900002'))).toMatchObject({ status: 200, body: 'success' });
    expect(accepted[0]).toMatchObject({ externalId: '24699999999900001', threadKey: openId, text: '4 ★★★★', choice: { id: SURVEY, value: '4' } });
    expect(accepted[1]).toMatchObject({ externalId: '24699999999900002', text: '满意' });
    expect(accepted[1]!.choice).toBeUndefined();
  });
});
