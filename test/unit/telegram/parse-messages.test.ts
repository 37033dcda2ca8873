import { describe, expect, it } from 'vitest';
import { parseUpdate, type ParseOptions } from '../../../adapters/telegram/inbound.js';
import { InboundMessage, type InboundMessageInput } from '../../../src/domain/message.js';
import { telegramFixture } from '../../fakes/telegram/fixtures.js';

const options: ParseOptions = { channelId: 'tg', groups: 'mentions', botId: 7000001, botUsername: 'acme_support_bot' };
const CHAT = '5123456789';

/** Parses a fixture and checks the result is a message the sink would accept. */
function parse(name: string): InboundMessageInput {
  const message = parseUpdate(telegramFixture(name), options);
  expect(message, `${name} is ignored`).not.toBeNull();
  expect(InboundMessage.safeParse(message).error?.issues ?? []).toEqual([]);
  return message!;
}

describe('Telegram private messages → InboundMessage', () => {
  it('a text keeps its Chinese and emoji exactly; entities only format it and are dropped', () => {
    const message = parse('text-with-entities');
    expect(message.text).toBe('你好 👋 我的钱包被盗了！请帮忙 🙏 https://etherscan.io/tx/0xabc');
    expect(message.html).toBeUndefined();
  });

  it('identity: externalId is chat:message_id, threadKey the chat, sentAt the Unix date', () => {
    const message = parse('text-with-entities');
    expect(message).toMatchObject({ channelId: 'tg', externalId: `${CHAT}:311`, threadKey: CHAT, sentAt: '2025-11-25T09:00:00.000Z' });
  });

  it('the sender is first + last name with the username as handle; the language is kept in raw', () => {
    const message = parse('text-with-entities');
    expect(message.sender).toEqual({ externalId: CHAT, name: '李 明', handle: 'liming_wallet' });
    expect(message.raw).toMatchObject({ languageCode: 'zh-hans', update: { update_id: 843921001 } });
  });

  it('a photo becomes one JPEG image attachment: the largest size, by file_id, with the caption as text', () => {
    const message = parse('photo-with-caption');
    expect(message.text).toBe('Screenshot 截图 of the failed transfer 💸');
    expect(message.attachments).toEqual([{ kind: 'image', remote: 'AgACAgIAAxkBAAIBOGZ-large', size: 104233, mimeType: 'image/jpeg' }]);
  });

  it('a document keeps its file name and MIME type', () => {
    expect(parse('document').attachments).toEqual([{ kind: 'file', remote: 'BQACAgIAAxkBAAIBOWZ-doc', size: 48213, name: '交易记录.pdf', mimeType: 'application/pdf' }]);
  });

  it('voice and audio are audio attachments; audio keeps its file name', () => {
    expect(parse('voice').attachments).toEqual([{ kind: 'audio', remote: 'AwACAgIAAxkBAAIBOmZ-voice', size: 18342, mimeType: 'audio/ogg' }]);
    expect(parse('audio').attachments).toEqual([{ kind: 'audio', remote: 'CQACAgIAAxkBAAIBO2Z-audio', size: 2945100, name: 'call-recording.mp3', mimeType: 'audio/mpeg' }]);
  });

  it('video, video note and animation are video attachments; an animation is not also counted as its document copy', () => {
    const video = parse('video');
    expect(video.text).toBe('录屏');
    expect(video.attachments).toEqual([{ kind: 'video', remote: 'BAACAgIAAxkBAAIBPGZ-video', size: 3145728, name: 'screen-recording.mp4', mimeType: 'video/mp4' }]);
    expect(parse('video-note').attachments).toEqual([{ kind: 'video', remote: 'DQACAgIAAxkBAAIBPWZ-note', size: 402113, mimeType: 'video/mp4' }]);
    expect(parse('animation').attachments).toEqual([{ kind: 'video', remote: 'CgACAgQAAxkBAAIBPmZ-anim', size: 151202, name: 'facepalm.mp4', mimeType: 'video/mp4' }]);
  });

  it('a sticker is a sticker attachment named by its emoji', () => {
    const message = parse('sticker');
    expect(message.text).toBe('');
    expect(message.attachments).toEqual([{ kind: 'sticker', remote: 'CAACAgIAAxkBAAIBP2Z-sticker', size: 23110, mimeType: 'image/webp', name: '😭' }]);
  });

  it('a location is a location attachment with coordinates and nothing to download', () => {
    expect(parse('location').attachments).toEqual([{ kind: 'location', latitude: 31.230416, longitude: 121.473701 }]);
  });

  it('a shared contact becomes a text line with name and international number', () => {
    const message = parse('contact');
    expect(message.text).toBe('Contact: 王 芳, +8613812345678');
    expect(message.attachments).toEqual([]);
  });

  it('a reply points at the replied-to message by the same chat:message_id key', () => {
    const message = parse('reply');
    expect(message.replyToExternalId).toBe(`${CHAT}:1044`);
    expect(message.text).toBe('0x3f5CE5FBFe3E9af3971dD833D26bA9b5C936f0bE');
  });

  it('an album arrives as one message per update, each with its own id and the same send time', () => {
    const first = parse('media-group-1');
    const second = parse('media-group-2');
    expect([first.externalId, second.externalId]).toEqual([`${CHAT}:323`, `${CHAT}:324`]);
    expect(first.sentAt).toBe(second.sentAt);
    expect(first.text).toBe('两张截图');
    expect(second.attachments).toEqual([{ kind: 'image', remote: 'AgACAgIAAxkBAAIBQWZ-album2', size: 87110, mimeType: 'image/jpeg' }]);
  });
});
