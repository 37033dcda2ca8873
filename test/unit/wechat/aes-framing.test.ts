import { createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { aesKey, decryptMessage, encryptMessage, openEncrypted, pkcs7Pad, pkcs7Unpad, verifyAndDecrypt, WechatCryptoError } from '../../../adapters/wechat/crypto.js';
import {
  CPP_SAMPLE_ENCRYPT,
  DOC_EXAMPLE_ENCRYPT,
  JAVA_URL_ECHOSTR,
  PYTHON_SAMPLE_ENCRYPT,
  PYTHON_SAMPLE_PLAINTEXT,
  SAMPLE_ACCOUNT,
  VECTOR_A,
  VECTOR_E,
  WECHATPY_ENCRYPT,
} from '../../fakes/wechat/vectors.js';

const sampleKey = aesKey(SAMPLE_ACCOUNT.encodingAESKey);

describe('safe-mode AES framing: the official vectors', () => {
  it('fixed-random encryption (Java testAesEncrypt) produces the official ciphertext, both samples', () => {
    const key = aesKey(VECTOR_A.encodingAESKey);
    const random = Buffer.from(VECTOR_A.random);
    expect(encryptMessage(VECTOR_A.message, key, VECTOR_A.appId, random)).toBe(VECTOR_A.encrypt);
    expect(encryptMessage(VECTOR_A.message2, key, VECTOR_A.appId, random)).toBe(VECTOR_A.encrypt2);
  });

  it('the same vector decrypts back to the Chinese text and the appid', () => {
    expect(decryptMessage(VECTOR_A.encrypt, aesKey(VECTOR_A.encodingAESKey))).toEqual({ message: '我是中文abcd123', appId: VECTOR_A.appId });
  });

  it('Python Sample.py: msg_signature checked, decrypts to the exact XML, newlines kept', () => {
    const opened = verifyAndDecrypt(
      { encrypt: PYTHON_SAMPLE_ENCRYPT, msgSignature: '5d197aaffba7e9b25a30732f161a50dee96bd5fa', timestamp: '1409735669', nonce: '1320562132' },
      { token: SAMPLE_ACCOUNT.token, keys: [sampleKey], appId: SAMPLE_ACCOUNT.appId },
    );
    expect(opened.message).toBe(PYTHON_SAMPLE_PLAINTEXT);
  });

  it('C++ Sample.cpp decrypts to its text message for the same account', () => {
    const opened = verifyAndDecrypt(
      { encrypt: CPP_SAMPLE_ENCRYPT, msgSignature: '003fee52ecc56afb46c00b5c7721be87860ce785', timestamp: '1410349438', nonce: '298025754' },
      { token: SAMPLE_ACCOUNT.token, keys: [sampleKey], appId: SAMPLE_ACCOUNT.appId },
    );
    expect(opened.message).toContain('<MsgId>6057404712141979648</MsgId>');
  });

  it('the official doc example (key = 43×"A", 32 zero bytes) decrypts to the 292-byte debug_demo event', () => {
    const opened = verifyAndDecrypt(
      { encrypt: DOC_EXAMPLE_ENCRYPT, msgSignature: VECTOR_E.msgSignature, timestamp: VECTOR_E.timestamp, nonce: VECTOR_E.nonce },
      { token: VECTOR_E.token, keys: [aesKey(VECTOR_E.encodingAESKey)], appId: VECTOR_E.appId },
    );
    expect(Buffer.byteLength(opened.message)).toBe(292);
    expect(opened.message).toContain('<Event><![CDATA[debug_demo]]></Event>');
    expect(aesKey(VECTOR_E.encodingAESKey).equals(Buffer.alloc(32))).toBe(true);
  });

  it('the doc example reply encrypts to the official ciphertext with its fixed random', () => {
    const encrypt = encryptMessage(VECTOR_E.replyMessage, aesKey(VECTOR_E.encodingAESKey), VECTOR_E.appId, Buffer.from(VECTOR_E.replyRandom));
    expect(encrypt).toBe(VECTOR_E.replyEncrypt);
  });

  it('Java testVerifyUrl echostr and the wechatpy (WeCom) message decrypt with their keys and ids', () => {
    expect(decryptMessage(JAVA_URL_ECHOSTR, aesKey('jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C'))).toEqual({ message: '1616140317555161061', appId: 'wx5823bf96d3bd56c7' });
    const wechatpy = decryptMessage(WECHATPY_ENCRYPT, aesKey('kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR'));
    expect(wechatpy.appId).toBe('wx49f0ab532d5d035a');
    expect(wechatpy.message).toContain('<Content><![CDATA[test]]></Content>');
  });
});

describe('safe-mode AES framing: padding, appid, keys', () => {
  /** The raw padded plaintext of a ciphertext, to look at the padding WeChat would see. */
  const rawFrame = (encrypt: string, key: Buffer): Buffer => {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
    return Buffer.concat([decipher.update(Buffer.from(encrypt, 'base64')), decipher.final()]);
  };

  it('pads to a multiple of 32 bytes (not AES’s 16), 1–32 bytes each holding the count', () => {
    for (let length = 0; length <= 96; length += 1) {
      const padded = pkcs7Pad(Buffer.alloc(length, 7));
      const count = 32 - (length % 32);
      expect(padded.length % 32).toBe(0);
      expect(padded.length - length).toBe(count);
      expect([...padded.subarray(length)].every((byte) => byte === count)).toBe(true);
      expect(pkcs7Unpad(padded).equals(Buffer.alloc(length, 7))).toBe(true);
    }
  });

  it('a message whose frame is already 32-aligned gets a whole extra block of 32', () => {
    // 16 random + 4 length + 12 message + 0 appid = 32 bytes exactly.
    const frame = rawFrame(encryptMessage('x'.repeat(12), sampleKey, ''), sampleKey);
    expect(frame.length).toBe(64);
    expect(frame.at(-1)).toBe(32);
  });

  it('our ciphertexts carry 32-block padding, so WeChat’s decryptor accepts them', () => {
    const encrypt = encryptMessage('订单 123 已退款', sampleKey, SAMPLE_ACCOUNT.appId);
    const frame = rawFrame(encrypt, sampleKey);
    expect(frame.length % 32).toBe(0);
    const count = frame.at(-1)!;
    expect(count).toBeGreaterThanOrEqual(1);
    expect(count).toBeLessThanOrEqual(32);
  });

  it('refuses broken padding, truncated ciphertext and non-base64 text, each with its reason', () => {
    expect(() => pkcs7Unpad(Buffer.concat([Buffer.alloc(31, 1), Buffer.from([33])]))).toThrow(/padding/);
    expect(() => pkcs7Unpad(Buffer.concat([Buffer.alloc(30, 1), Buffer.from([2, 3])]))).toThrow(/padding/);
    expect(() => decryptMessage('YWJj', sampleKey)).toThrow(WechatCryptoError);
    expect(() => decryptMessage('!!!not-base64!!!', sampleKey)).toThrow(/base64/);
    expect(() => decryptMessage(PYTHON_SAMPLE_ENCRYPT.slice(0, 44), sampleKey)).toThrow(WechatCryptoError);
  });

  it('a message encrypted for another AppID is refused, naming both ids', () => {
    const encrypt = encryptMessage('<xml/>', sampleKey, 'wx0000000000000000');
    expect(() => openEncrypted(encrypt, [sampleKey], SAMPLE_ACCOUNT.appId)).toThrow(/wx0000000000000000, not wx2c2769f8efd9abc2/);
    try {
      openEncrypted(encrypt, [sampleKey], SAMPLE_ACCOUNT.appId);
    } catch (error) {
      expect((error as WechatCryptoError).problem).toBe('appid_mismatch');
    }
  });

  it('during a key rotation a push under the previous key opens with it, and reports that key', () => {
    const current = aesKey('kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR');
    const previous = sampleKey;
    const underPrevious = encryptMessage('<xml><Content><![CDATA[旧密钥]]></Content></xml>', previous, SAMPLE_ACCOUNT.appId);
    const opened = openEncrypted(underPrevious, [current, previous], SAMPLE_ACCOUNT.appId);
    expect(opened.message).toBe('<xml><Content><![CDATA[旧密钥]]></Content></xml>');
    expect(opened.key).toBe(previous);
    const underCurrent = encryptMessage('<xml/>', current, SAMPLE_ACCOUNT.appId);
    expect(openEncrypted(underCurrent, [current, previous], SAMPLE_ACCOUNT.appId).key).toBe(current);
    // Without the previous key it cannot be read.
    expect(() => openEncrypted(underPrevious, [current], SAMPLE_ACCOUNT.appId)).toThrow(WechatCryptoError);
  });

  it('a wrong msg_signature is refused before any decryption', () => {
    expect(() =>
      verifyAndDecrypt(
        { encrypt: PYTHON_SAMPLE_ENCRYPT, msgSignature: '5d197aaffba7e9b25a30732f161a50dee96bd5fb', timestamp: '1409735669', nonce: '1320562132' },
        { token: SAMPLE_ACCOUNT.token, keys: [sampleKey], appId: SAMPLE_ACCOUNT.appId },
      ),
    ).toThrow(/msg_signature/);
  });

  it('an EncodingAESKey must be 43 base64 characters', () => {
    expect(() => aesKey('abcde')).toThrow(/43/);
    expect(aesKey(SAMPLE_ACCOUNT.encodingAESKey)).toHaveLength(32);
  });
});
