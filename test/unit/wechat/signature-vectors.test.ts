import { describe, expect, it } from 'vitest';
import { signatureMatches, wechatSignature } from '../../../adapters/wechat/crypto.js';
import { CPP_SAMPLE_ENCRYPT, DOC_EXAMPLE_ENCRYPT, JAVA_URL_ECHOSTR, PYTHON_SAMPLE_ENCRYPT, WECHATPY_ENCRYPT } from '../../fakes/wechat/vectors.js';

describe('WeChat signatures: the documented vectors', () => {
  it('plain signature, official 消息加解密说明 example: sha1(sort(AAAAA, 1714037059, 486452656))', () => {
    expect(wechatSignature('AAAAA', '1714037059', '486452656')).toBe('899cf89e464efb63f54ddac96b0a0a235f53aa78');
  });

  it('the order of the inputs does not matter: they are sorted before hashing', () => {
    expect(wechatSignature('486452656', 'AAAAA', '1714037059')).toBe('899cf89e464efb63f54ddac96b0a0a235f53aa78');
  });

  it.each([
    ['official doc (third-party platform) example', 'AAAAA', '1715943329', '1590219412', DOC_EXAMPLE_ENCRYPT, '6c12a4205838198b8fa631b3220723bb07f1015c'],
    ['official Python Sample.py', 'spamtest', '1409735669', '1320562132', PYTHON_SAMPLE_ENCRYPT, '5d197aaffba7e9b25a30732f161a50dee96bd5fa'],
    ['official C++ Sample.cpp', 'spamtest', '1410349438', '298025754', CPP_SAMPLE_ENCRYPT, '003fee52ecc56afb46c00b5c7721be87860ce785'],
    ['official Java testVerifyUrl', 'QDG6eK', '1409659589', '263014780', JAVA_URL_ECHOSTR, '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3'],
    ['wechatpy tests/test_crypto.py', '123456', '1411525903', '461056294', WECHATPY_ENCRYPT, '74d92dfeb87ba7c714f89d98870ae5eb62dff26d'],
    ['node-webot/wechat-crypto test', 'RMNlACHlV5ThzfRlVS4D4', 'timestamp', 'nonce', 'encrypt', '8edac0945683c119ee71c9f6256d76c48aa08a96'],
  ])('msg_signature over (token, timestamp, nonce, Encrypt): %s', (_source, token, timestamp, nonce, encrypt, expected) => {
    expect(wechatSignature(token, timestamp, nonce, encrypt)).toBe(expected);
  });

  it('comparison accepts the right signature (any case) and refuses a wrong, truncated or empty one', () => {
    const good = '899cf89e464efb63f54ddac96b0a0a235f53aa78';
    expect(signatureMatches(good, good)).toBe(true);
    expect(signatureMatches(good, good.toUpperCase())).toBe(true);
    expect(signatureMatches(good, `${good.slice(0, -1)}9`)).toBe(false);
    expect(signatureMatches(good, good.slice(0, 20))).toBe(false);
    expect(signatureMatches(good, '')).toBe(false);
  });
});
