import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeWechatApi } from '../../fakes/wechat/api.js';
import { type ApiMessage, conversationOf, messagesOf, pusherFor, startWechatGateway, stored } from '../../fakes/wechat/harness.js';
import { imagePush, newMsgId, videoPush, voicePush } from '../../fakes/wechat/messages.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin } from '../../support/http.js';

type ApiAttachment = ApiMessage['attachments'][number];

describe('WeChat media: fetched by MediaId in the media worker, served to agents', () => {
  let fake: FakeWechatApi;
  let gateway: TestGateway;
  let token: string;
  const openId = 'oMedia000000000000000000001';
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('fake jpeg body 截图')]);
  const amr = Buffer.from('#!AMR\n fake voice body');
  const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypmp42 fake video body')]);

  beforeAll(async () => {
    fake = await FakeWechatApi.start();
    gateway = await startWechatGateway(fake);
    token = await loginAdmin(gateway.url);
  });
  afterAll(async () => {
    await gateway?.dispose();
    await fake?.stop();
  });

  /** The attachment of the message with this MsgId once it is no longer downloading. */
  const settledAttachment = async (msgId: string): Promise<ApiAttachment> => {
    await stored(gateway, msgId);
    const conversation = await conversationOf(gateway, token, openId);
    return eventually(async () => {
      const message = (await messagesOf(gateway, token, conversation.id)).find((m) => m.externalId === msgId);
      const attachment = message?.attachments[0];
      return attachment && !attachment.pending ? attachment : undefined;
    }, 20_000, `attachment of ${msgId} settled`);
  };
  const download = async (attachment: ApiAttachment) => {
    const response = await fetch(`${gateway.url}${attachment.url}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
  };
  const push = async (xml: string) => expect((await pusherFor(gateway, fake).push(xml)).map((a) => a.status)).toEqual([200]);

  it('an image MediaId is fetched with media/get into the store and downloads unchanged via /api/attachments/:id', async () => {
    fake.addMedia('img_Qsvl7F8rpIX0nBNm', { bytes: jpeg, contentType: 'image/jpeg', filename: 'img_Qsvl7F8rpIX0nBNm.jpg' });
    const msgId = newMsgId();
    await push(imagePush(openId, 'img_Qsvl7F8rpIX0nBNm', msgId));
    const image = await settledAttachment(msgId);
    expect(image).toMatchObject({ kind: 'image', mimeType: 'image/jpeg', size: jpeg.length, name: 'img_Qsvl7F8rpIX0nBNm.jpg' });
    expect(image.error).toBeUndefined();
    const file = await download(image);
    expect(file.status).toBe(200);
    expect(file.bytes.equals(jpeg)).toBe(true);
    expect(fake.mediaGets).toContain('img_Qsvl7F8rpIX0nBNm');
  });

  it('a voice message keeps its recognition as text and its AMR audio as an attachment', async () => {
    fake.addMedia('voice_1Q2w3E4r', { bytes: amr, contentType: 'audio/amr', filename: 'voice_1Q2w3E4r.amr' });
    const msgId = newMsgId();
    await push(voicePush(openId, 'voice_1Q2w3E4r', '你好', msgId));
    const audio = await settledAttachment(msgId);
    expect(audio).toMatchObject({ kind: 'audio', mimeType: 'audio/amr', size: amr.length });
    expect((await download(audio)).bytes.equals(amr)).toBe(true);
  });

  it('a video answers media/get with {video_url}; the file behind the link is downloaded', async () => {
    fake.addMedia('video_A1b2C3d4', { bytes: mp4, contentType: 'video/mp4', video: true });
    const msgId = newMsgId();
    await push(videoPush(openId, 'video_A1b2C3d4', 'video', msgId));
    const video = await settledAttachment(msgId);
    expect(video).toMatchObject({ kind: 'video', mimeType: 'video/mp4', size: mp4.length });
    expect((await download(video)).bytes.equals(mp4)).toBe(true);
  });

  it('media WeChat no longer has (40007) gets a readable error about the 3-day lifetime, and no file', async () => {
    const msgId = newMsgId();
    await push(imagePush(openId, 'img_expired_long_ago', msgId));
    const gone = await settledAttachment(msgId);
    expect(gone.error).toBe('WeChat no longer has this file: temporary media expire after 3 days (40007 invalid media_id)');
    expect((await download(gone)).status).toBe(404);
  });

  it('an expired access token during media/get is refreshed once and the file still arrives', async () => {
    fake.addMedia('img_after_expiry', { bytes: jpeg, contentType: 'image/jpeg' });
    const fetchesBefore = fake.tokenFetches;
    fake.expireTokens();
    const msgId = newMsgId();
    await push(imagePush(openId, 'img_after_expiry', msgId));
    const image = await settledAttachment(msgId);
    expect(image.error).toBeUndefined();
    expect((await download(image)).bytes.equals(jpeg)).toBe(true);
    expect(fake.tokenFetches - fetchesBefore).toBe(1);
  });
});
