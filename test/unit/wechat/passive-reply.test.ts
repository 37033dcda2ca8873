import { describe, expect, it } from 'vitest';
import { aesKey, sealReply, verifyAndDecrypt, wechatSignature } from '../../../adapters/wechat/crypto.js';
import { parseXml } from '../../../adapters/wechat/inbound.js';
import { passiveTextReply } from '../../../adapters/wechat/outbound.js';
import { VECTOR_E } from '../../fakes/wechat/vectors.js';

const token = 'switchboardToken42';
const appId = 'wx1a2b3c4d5e6f7a8b';
const current = aesKey('kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR');
const previous = aesKey('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG');

/** What WeChat does with an encrypted passive reply: check MsgSignature, decrypt, read the XML. */
function openAsWechat(envelopeXml: string, keys: Buffer[]): Record<string, string> {
  const envelope = parseXml(envelopeXml);
  expect(Object.keys(envelope)).toEqual(['Encrypt', 'MsgSignature', 'TimeStamp', 'Nonce']);
  const opened = verifyAndDecrypt(
    { encrypt: envelope.Encrypt!, msgSignature: envelope.MsgSignature!, timestamp: envelope.TimeStamp!, nonce: envelope.Nonce! },
    { token, keys, appId },
  );
  return parseXml(opened.message);
}

describe('encrypted passive replies (安全模式 回包)', () => {
  it('a text reply with Chinese, an emoji and "]]>" round-trips through decryption unchanged', () => {
    const content = '您好！请勿透露助记词 🙏 代码 if (a[b[0]]]> 1)';
    const reply = passiveTextReply({ toUser: 'oR5Gjjl_eiZoUpGozMo7dbBJ362A', fromUser: 'gh_3f1c2a9b7d41', createTime: 1764000000, content });
    const sealed = sealReply(reply, { token, key: current, appId, timestamp: 1764000001, nonce: '1320562132' });
    expect(openAsWechat(sealed, [current])).toEqual({
      ToUserName: 'oR5Gjjl_eiZoUpGozMo7dbBJ362A',
      FromUserName: 'gh_3f1c2a9b7d41',
      CreateTime: '1764000000',
      MsgType: 'text',
      Content: content,
    });
  });

  it('the envelope is signed over (token, TimeStamp, Nonce, Encrypt), TimeStamp as a plain number', () => {
    const sealed = sealReply('<xml/>', { token, key: current, appId, timestamp: 1764000001, nonce: 'n0nce' });
    const envelope = parseXml(sealed);
    expect(envelope.MsgSignature).toBe(wechatSignature(token, '1764000001', 'n0nce', envelope.Encrypt!));
    expect(sealed).toContain('<TimeStamp>1764000001</TimeStamp>');
  });

  it('matches the official doc reply vector (fixed random): ciphertext and signature', () => {
    const sealed = sealReply(VECTOR_E.replyMessage, {
      token: VECTOR_E.token,
      key: aesKey(VECTOR_E.encodingAESKey),
      appId: VECTOR_E.appId,
      timestamp: VECTOR_E.replyTimestamp,
      nonce: VECTOR_E.replyNonce,
      random: Buffer.from(VECTOR_E.replyRandom),
    });
    expect(parseXml(sealed)).toEqual({
      Encrypt: VECTOR_E.replyEncrypt,
      MsgSignature: VECTOR_E.replySignature,
      TimeStamp: String(VECTOR_E.replyTimestamp),
      Nonce: VECTOR_E.replyNonce,
    });
  });

  it('a reply sealed with the previous key (the one that opened the push) opens only with that key', () => {
    const sealed = sealReply(passiveTextReply({ toUser: 'o1', fromUser: 'gh_1', createTime: 1, content: '旧密钥回复' }), { token, key: previous, appId, timestamp: 2, nonce: '3' });
    expect(openAsWechat(sealed, [previous]).Content).toBe('旧密钥回复');
    expect(() => openAsWechat(sealed, [current])).toThrow();
  });
});
