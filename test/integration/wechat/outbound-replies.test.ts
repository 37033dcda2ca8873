import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeWechatApi } from '../../fakes/wechat/api.js';
import { type ApiMessage, conversationOf, messagesOf, pusherFor, startWechatGateway } from '../../fakes/wechat/harness.js';
import { newMsgId, textPush } from '../../fakes/wechat/messages.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';

describe('agent replies reach the WeChat customer through the customer-service API', () => {
  let fake: FakeWechatApi;
  let gateway: TestGateway;
  let token: string;
  let conversationId: string;
  const openId = 'oReply000000000000000000001';

  const reply = async (body: Record<string, unknown>): Promise<string> => {
    const response = await request(gateway.url, 'POST', `/api/conversations/${conversationId}/messages`, { token, body });
    expect(response.status).toBe(202);
    return response.body.id as string;
  };
  const settled = (id: string, status: 'sent' | 'failed') =>
    eventually(async () => (await messagesOf(gateway, token, conversationId)).find((m) => m.id === id && m.status === status), 20_000, `reply ${id} ${status}`) as Promise<ApiMessage>;
  const upload = async (bytes: Buffer, type: string, name: string): Promise<string> => {
    const response = await request(gateway.url, 'POST', '/api/attachments', { token, raw: bytes, headers: { 'content-type': type, 'x-filename': encodeURIComponent(name) } });
    expect(response.status).toBe(201);
    return response.body.id as string;
  };
  const textsSent = () => fake.sendsTo(openId).map((s) => s.content);

  beforeAll(async () => {
    fake = await FakeWechatApi.start();
    gateway = await startWechatGateway(fake);
    token = await loginAdmin(gateway.url);
    expect((await pusherFor(gateway, fake).push(textPush(openId, '怎么重置两步验证？', newMsgId()))).map((a) => a.status)).toEqual([200]);
    conversationId = (await conversationOf(gateway, token, openId)).id;
  });
  afterAll(async () => {
    await gateway?.dispose();
    await fake?.stop();
  });

  it('a text reply is one custom/send of msgtype text to the OpenID, Chinese intact; it ends "sent"', async () => {
    const text = '您好！请打开 设置 → 安全 → 两步验证。我们绝不会索要您的助记词。';
    const id = await reply({ text });
    const sent = await settled(id, 'sent');
    expect(fake.sendsTo(openId).at(-1)).toMatchObject({ touser: openId, msgtype: 'text', content: text });
    expect(sent.externalId).toBe(`${id}-0`);
  });

  it('a long Chinese reply is split into parts of at most 600 characters, sent in order', async () => {
    const first = '第一部分：请先确认您的账户安全。'.repeat(30);
    const second = '第二部分：然后联系我们的安全团队。'.repeat(20);
    const before = fake.sendsTo(openId).length;
    const id = await reply({ text: `${first}\n\n${second}` });
    await settled(id, 'sent');
    const parts = textsSent().slice(before);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(parts.every((part) => (part ?? '').length <= 600)).toBe(true);
    expect(parts.join('')).toBe(`${first}${second}`);
    const row = await gateway.deps.db.selectFrom('messages').select('sent_parts').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.sent_parts).toHaveLength(parts.length);
  });

  it('an image is uploaded as temporary media (field "media") and sent as msgtype image with that media_id', async () => {
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('tiny png body')]);
    const id = await reply({ text: '步骤截图：', attachments: [await upload(png, 'image/png', '步骤.png')] });
    await settled(id, 'sent');
    const uploaded = fake.uploads.at(-1)!;
    expect(uploaded).toMatchObject({ type: 'image', filename: '步骤.png', contentType: 'image/png' });
    expect(uploaded.bytes.equals(png)).toBe(true);
    const [text, image] = fake.sendsTo(openId).slice(-2);
    expect(text).toMatchObject({ msgtype: 'text', content: '步骤截图：' });
    expect(image).toMatchObject({ msgtype: 'image', mediaId: uploaded.mediaId });
  });

  it('a 40001 (token invalidated elsewhere) triggers exactly one token refresh and the reply is delivered once', async () => {
    const fetchesBefore = fake.tokenFetches;
    fake.invalidateTokens();
    const id = await reply({ text: '令牌失效后的回复' });
    await settled(id, 'sent');
    expect(fake.tokenFetches - fetchesBefore).toBe(1);
    expect(textsSent().filter((t) => t === '令牌失效后的回复')).toHaveLength(1);
  });

  it('a 42001 (token expired) likewise: one refresh, then delivered', async () => {
    const fetchesBefore = fake.tokenFetches;
    fake.expireTokens();
    const id = await reply({ text: '令牌过期后的回复' });
    await settled(id, 'sent');
    expect(fake.tokenFetches - fetchesBefore).toBe(1);
  });

  it('45015 (customer silent for over 48 hours) ends "failed" with the reason, after a single attempt', async () => {
    fake.failNext(openId, 45015);
    const id = await reply({ text: 'Are you still there?' });
    const failed = await settled(id, 'failed');
    expect(failed.error).toEqual({ code: 'reply_window_closed', message: 'The customer last wrote more than 48 hours ago; WeChat only allows replies within 48 hours (45015)', retryable: false });
  });

  it('45047 (reply quota used up) ends "failed" with code quota_exceeded', async () => {
    fake.failNext(openId, 45047);
    const failed = await settled(await reply({ text: 'Sixth message' }), 'failed');
    expect(failed.error).toMatchObject({ code: 'quota_exceeded', retryable: false });
  });

  it('a split reply whose second part meets "system busy" (-1) is retried from the second part: each part reaches the customer once', async () => {
    const first = 'A'.repeat(550);
    const second = 'B'.repeat(300);
    fake.failNext(openId, 0, -1);
    const id = await reply({ text: `${first}\n\n${second}` });
    const sent = await settled(id, 'sent');
    expect(textsSent().filter((t) => t === first)).toHaveLength(1);
    expect(textsSent().filter((t) => t === second)).toHaveLength(1);
    const row = await gateway.deps.db.selectFrom('messages').select('sent_parts').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.sent_parts).toEqual([`${id}-0`, `${id}-1`]);
    expect(sent.externalId).toBe(`${id}-0`);
  });

  it('a PDF cannot go out as a WeChat customer-service message: failed at once, nothing sent', async () => {
    const before = fake.sendsTo(openId).length;
    const id = await reply({ text: 'See the attached PDF', attachments: [await upload(Buffer.from('%PDF-1.4\n%%EOF\n'), 'application/pdf', '恢复步骤.pdf')] });
    const failed = await settled(id, 'failed');
    expect(failed.error).toMatchObject({ code: 'unsupported_attachment', retryable: false });
    expect(failed.error!.message).toContain('恢复步骤.pdf');
    expect(fake.sendsTo(openId).length).toBe(before);
  });
});
