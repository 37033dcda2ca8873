import { describe, expect, it } from 'vitest';
import { parsePush, XmlError } from '../../../adapters/wechat/inbound.js';
import { InboundMessage, type InboundMessageInput } from '../../../src/domain/message.js';
import { wechatFixture } from '../../fakes/wechat/messages.js';

const OPENID = 'oR5Gjjl_eiZoUpGozMo7dbBJ362A';

/** The fixture as the sink would receive it; fails unless it is a message that fits the model. */
function message(fixture: string): InboundMessageInput {
  const outcome = parsePush(wechatFixture(fixture), 'wx');
  if (outcome.kind !== 'message') throw new Error(`${fixture} was ignored: ${outcome.reason}`);
  expect(InboundMessage.safeParse(outcome.message).success).toBe(true);
  return outcome.message;
}

describe('WeChat messages → normalized messages (pure, recorded fixtures)', () => {
  it('text: MsgId is the dedup key, the OpenID is thread and sender, CreateTime the sent time, Chinese intact', () => {
    expect(message('text')).toMatchObject({
      channelId: 'wx',
      externalId: '24612345678900001',
      threadKey: OPENID,
      sender: { externalId: OPENID },
      sentAt: '2025-11-24T16:00:00.000Z',
      text: '你好，我的钱包被盗了，怎么办？',
    });
    expect(message('text').attachments ?? []).toEqual([]);
    expect(message('text').event).toBeUndefined();
  });

  it('text with split CDATA and entities keeps "]]>", markup-like text, emoji and newlines', () => {
    expect(message('text-cdata-edge').text).toBe('地址 a[b[0]]]> 不是 <b>粗体</b> & 😱\n第二行 ]]>');
    expect(message('text-entities').text).toBe('1 < 2 && 3 > 2, "引号" \'单\' 💰 中');
  });

  it('image: an image attachment whose remote is the MediaId (fetched later); PicUrl stays in raw', () => {
    const image = message('image');
    expect(image.attachments).toEqual([{ kind: 'image', remote: 'QsvlL7F8rpIX0nBNmD8Tqs6GU6D7aWqU-YHNFOQYE3Zw0gM6ZrrPyl7Iamu7qkyL' }]);
    expect(image.text).toBe('');
    expect(JSON.stringify(image.raw)).toContain('http://mmbiz.qpic.cn/mmbiz_jpg/XYZ0abc/0');
  });

  it('voice without recognition: the audio attachment (AMR) and no text', () => {
    const voice = message('voice');
    expect(voice.text).toBe('');
    expect(voice.attachments).toEqual([{ kind: 'audio', remote: 'voice_media_1Q2w3E4r5T6y7U8i9O0p', mimeType: 'audio/amr' }]);
  });

  it('voice with speech recognition: Recognition is the text, the audio is still attached', () => {
    const voice = message('voice-recognition');
    expect(voice.text).toBe('我的转账一直没有到账。');
    expect(voice.attachments).toEqual([{ kind: 'audio', remote: 'voice_media_2Z3x4C5v6B7n8M9', mimeType: 'audio/speex' }]);
  });

  it('video and shortvideo: a video attachment by MediaId', () => {
    expect(message('video').attachments).toEqual([{ kind: 'video', remote: 'video_media_A1b2C3d4E5f6', mimeType: 'video/mp4' }]);
    expect(message('shortvideo')).toMatchObject({ externalId: '24612345678900031', attachments: [{ kind: 'video', remote: 'shortvideo_media_K1l2M3n4' }] });
  });

  it('location: Location_X is the latitude, Location_Y the longitude; the Label is the text', () => {
    const location = message('location');
    expect(location.text).toBe('广东省广州市天河区天河路385号');
    expect(location.attachments).toEqual([{ kind: 'location', latitude: 23.134521, longitude: 113.358803, name: '广东省广州市天河区天河路385号' }]);
  });

  it('link: title, description and URL as the text, one per line', () => {
    expect(message('link').text).toBe('官方公告：谨防诈骗\n我们绝不会索要您的助记词\nhttps://mp.weixin.qq.com/s/abcDEF123');
  });

  it('a message type newer than the parser still reaches the agent, as a note naming the type', () => {
    const unknown = message('unknown-type');
    expect(unknown.externalId).toBe('24612345678900200');
    expect(unknown.text).toBe('(a WeChat "miniprogrampage" message, which the inbox cannot show)');
  });

  it('a known type in an unexpected shape is ignored with a reason (answered success, not stored)', () => {
    const outcome = parsePush(`<xml><ToUserName>gh_1</ToUserName><FromUserName>${OPENID}</FromUserName><CreateTime>1764000000</CreateTime><MsgType>image</MsgType><MsgId>1</MsgId></xml>`, 'wx');
    expect(outcome).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('MediaId') });
  });

  it('XML that is not a WeChat message at all (no sender, time or type) is refused as malformed', () => {
    expect(() => parsePush('<xml><Hello>world</Hello></xml>', 'wx')).toThrow(XmlError);
    expect(() => parsePush(`<xml><FromUserName>${OPENID}</FromUserName><CreateTime>soon</CreateTime><MsgType>text</MsgType></xml>`, 'wx')).toThrow(/not a WeChat message/);
  });
});
