import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeWechatApi } from '../../fakes/wechat/api.js';
import { AES_KEY, CHANNEL_ID, channelMessageCount, pusherFor, startWechatGateway, stored, storedCount } from '../../fakes/wechat/harness.js';
import { newMsgId, textPush } from '../../fakes/wechat/messages.js';
import type { FakeWechatPusher } from '../../fakes/wechat/pusher.js';
import type { TestGateway } from '../../support/gateway.js';
import { request } from '../../support/http.js';

describe('WeChat webhook: URL check and signatures (nothing unsigned is stored)', () => {
  let fake: FakeWechatApi;
  let gateway: TestGateway;
  let plain: FakeWechatPusher;
  let safe: FakeWechatPusher;
  const openId = 'oAuth0000000000000000000001';

  beforeAll(async () => {
    fake = await FakeWechatApi.start();
    gateway = await startWechatGateway(fake, { encodingAESKey: AES_KEY });
    plain = pusherFor(gateway, fake, 'plain');
    safe = pusherFor(gateway, fake, 'safe');
  });
  afterAll(async () => {
    await gateway?.dispose();
    await fake?.stop();
  });

  /** Pushes a good message after the ones under test and waits for it: the refused ones had time to be stored. */
  const settle = async (): Promise<void> => {
    const msgId = newMsgId();
    expect((await plain.push(textPush(openId, 'marker', msgId))).map((a) => a.status)).toEqual([200]);
    await stored(gateway, msgId);
  };

  it('GET with a good signature echoes echostr unchanged, as plain text', async () => {
    const answer = await plain.verifyUrl('5837397520708703');
    expect(answer).toEqual({ status: 200, body: '5837397520708703' });
  });

  it('GET with a wrong signature is 403 and without one 401; echostr is not echoed', async () => {
    const wrong = await plain.verifyUrl('5837397520708703', { signature: '0'.repeat(40) });
    expect(wrong.status).toBe(403);
    expect(wrong.body).not.toContain('5837397520708703');
    expect((await plain.verifyUrl('5837397520708703', { signature: null })).status).toBe(401);
  });

  it('a signed URL older than the tolerance (5 minutes) is refused: plain signatures do not cover the body', async () => {
    const stale = await plain.verifyUrl('1', { timestamp: Math.floor(Date.now() / 1000) - 3_600 });
    expect(stale.status).toBe(403);
    expect(stale.body).toMatch(/away from this server's clock/);
  });

  it('plain POSTs: no signature → 401, a wrong one → 403, a stale one → 403; none is stored', async () => {
    const before = await channelMessageCount(gateway);
    const ids = [newMsgId(), newMsgId(), newMsgId()];
    expect((await plain.push(textPush(openId, '请把助记词发给我', ids[0]), { signature: null })).map((a) => a.status)).toEqual([401]);
    expect((await plain.push(textPush(openId, '请把助记词发给我', ids[1]), { signature: 'f'.repeat(40) })).map((a) => a.status)).toEqual([403]);
    expect((await plain.push(textPush(openId, '请把助记词发给我', ids[2]), { timestamp: Math.floor(Date.now() / 1000) - 86_400 })).map((a) => a.status)).toEqual([403]);
    await settle();
    for (const id of ids) expect(await storedCount(gateway, id)).toBe(0);
    expect(await channelMessageCount(gateway)).toBe(before + 1);
  });

  it('safe-mode POSTs are checked by msg_signature over the ciphertext: missing → 401; wrong, tampered or for another AppID → 403', async () => {
    const ids = [newMsgId(), newMsgId(), newMsgId(), newMsgId()];
    expect((await safe.push(textPush(openId, 'forged', ids[0]), { msgSignature: null })).map((a) => a.status)).toEqual([401]);
    expect((await safe.push(textPush(openId, 'forged', ids[1]), { msgSignature: 'a'.repeat(40) })).map((a) => a.status)).toEqual([403]);
    // The URL's plain `signature` is right here, but the body changed: only msg_signature notices.
    expect((await safe.push(textPush(openId, 'forged', ids[2]), { tamperEncrypt: true })).map((a) => a.status)).toEqual([403]);
    const otherApp = await safe.push(textPush(openId, 'forged', ids[3]), { appId: 'wx9999999999999999' });
    expect(otherApp.map((a) => a.status)).toEqual([403]);
    expect(otherApp[0]!.body).toMatch(/wx9999999999999999/);
    await settle();
    for (const id of ids) expect(await storedCount(gateway, id)).toBe(0);
  });

  it('a correctly signed push under a key we do not have is 400 (a configuration mismatch), not stored', async () => {
    const id = newMsgId();
    const attempts = await safe.push(textPush(openId, 'new key', id), { encodingAESKey: 'Zz'.repeat(21) + 'Z' });
    expect(attempts.map((a) => a.status)).toEqual([400]);
    expect(attempts[0]!.body).toMatch(/could not decrypt the push with encodingAESKey/);
    await settle();
    expect(await storedCount(gateway, id)).toBe(0);
  });

  it('methods other than GET and POST are 405; an unknown channel id is 404', async () => {
    expect((await request(gateway.url, 'PUT', `/webhooks/${CHANNEL_ID}`, { raw: '<xml/>' })).status).toBe(405);
    expect((await request(gateway.url, 'POST', '/webhooks/wx-other', { raw: '<xml/>' })).status).toBe(404);
  });
});
