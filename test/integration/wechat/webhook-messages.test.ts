import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeWechatApi } from '../../fakes/wechat/api.js';
import { AES_KEY, type ApiMessage, conversationOf, messagesOf, PREVIOUS_AES_KEY, pusherFor, startWechatGateway, stored } from '../../fakes/wechat/harness.js';
import { eventPush, imagePush, linkPush, locationPush, newMsgId, textPush, videoPush, voicePush } from '../../fakes/wechat/messages.js';
import type { PushMode } from '../../fakes/wechat/pusher.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin } from '../../support/http.js';

describe('WeChat pushes in plain, compatible and safe mode become conversations and messages', () => {
  let fake: FakeWechatApi;
  let gateway: TestGateway;
  let token: string;

  beforeAll(async () => {
    fake = await FakeWechatApi.start();
    // Mid key rotation: the console has the new key, some pushes may still use the previous one.
    gateway = await startWechatGateway(fake, { encodingAESKey: AES_KEY, previousEncodingAESKey: PREVIOUS_AES_KEY });
    token = await loginAdmin(gateway.url);
  });
  afterAll(async () => {
    await gateway?.dispose();
    await fake?.stop();
  });

  /** Pushes one of each message type from `openId` and returns what the inbox shows, oldest first. */
  async function pushAll(mode: PushMode, openId: string): Promise<{ messages: ApiMessage[]; ids: string[] }> {
    const pusher = pusherFor(gateway, fake, mode);
    const ids = Array.from({ length: 7 }, () => newMsgId());
    const pushes = [
      textPush(openId, `【${mode}】你好，我的 USDT 提现三天了还没到账 😟`, ids[0]),
      imagePush(openId, `img-${mode}`, ids[1]),
      voicePush(openId, `voice-${mode}`, '请帮我查一下订单', ids[2]),
      videoPush(openId, `video-${mode}`, 'shortvideo', ids[3]),
      locationPush(openId, 31.230416, 121.473701, '上海市黄浦区人民广场', ids[4]),
      linkPush(openId, { title: '转账记录', description: '区块浏览器截图', url: 'https://example.com/tx/0xabc' }, ids[5]),
      textPush(openId, '最后一条 ]]> 结束', ids[6]),
    ];
    for (const xml of pushes) {
      const attempts = await pusher.push(xml);
      expect(attempts.map((a) => [a.status, a.body])).toEqual([[200, 'success']]);
    }
    for (const id of ids) await stored(gateway, id);
    const conversation = await conversationOf(gateway, token, openId);
    const messages = await eventually(async () => {
      const list = await messagesOf(gateway, token, conversation.id);
      return list.length === ids.length ? list : undefined;
    });
    return { messages, ids };
  }

  it.each<[PushMode, string]>([
    ['plain', 'oModePlain00000000000000001'],
    ['compatible', 'oModeCompat0000000000000001'],
    ['safe', 'oModeSafe000000000000000001'],
  ])('%s mode: each type arrives once, in order, Chinese and "]]>" intact', async (mode, openId) => {
    const { messages, ids } = await pushAll(mode, openId);
    expect(messages.map((m) => m.externalId)).toEqual(ids);
    expect(messages.every((m) => m.author.type === 'contact' && !m.private)).toBe(true);
    const [text, image, voice, video, location, link, last] = messages;
    expect(text!.text).toBe(`【${mode}】你好，我的 USDT 提现三天了还没到账 😟`);
    expect(image!.attachments.map((a) => a.kind)).toEqual(['image']);
    expect(voice!.text).toBe('请帮我查一下订单');
    expect(voice!.attachments.map((a) => a.kind)).toEqual(['audio']);
    expect(video!.attachments.map((a) => a.kind)).toEqual(['video']);
    expect(location!.text).toBe('上海市黄浦区人民广场');
    expect(location!.attachments).toEqual([expect.objectContaining({ kind: 'location' })]);
    expect(link!.text).toBe('转账记录\n区块浏览器截图\nhttps://example.com/tx/0xabc');
    expect(last!.text).toBe('最后一条 ]]> 结束');
  });

  it('during a key rotation, a safe-mode push under the previous key is accepted too', async () => {
    const openId = 'oRotation000000000000000001';
    const id = newMsgId();
    const pusher = pusherFor(gateway, fake, 'safe', PREVIOUS_AES_KEY);
    expect((await pusher.push(textPush(openId, '旧密钥加密的消息', id))).map((a) => a.status)).toEqual([200]);
    await stored(gateway, id);
    const conversation = await conversationOf(gateway, token, openId);
    expect((await messagesOf(gateway, token, conversation.id)).map((m) => m.text)).toEqual(['旧密钥加密的消息']);
  });

  it('a menu click arrives as an agent-only system line in the customer’s conversation', async () => {
    const openId = 'oMenuClick00000000000000001';
    const pusher = pusherFor(gateway, fake, 'safe');
    expect((await pusher.push(textPush(openId, '人工客服', newMsgId()))).map((a) => a.status)).toEqual([200]);
    expect((await pusher.push(eventPush(openId, 'CLICK', 'CONTACT_SUPPORT'))).map((a) => a.status)).toEqual([200]);
    const conversation = await conversationOf(gateway, token, openId);
    const messages = await eventually(async () => {
      const list = await messagesOf(gateway, token, conversation.id);
      return list.length === 2 ? list : undefined;
    });
    expect(messages[1]).toMatchObject({ text: 'Menu click: CONTACT_SUPPORT', private: true, author: { type: 'system' } });
  });
});
