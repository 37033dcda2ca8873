import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeWechatApi } from '../../fakes/wechat/api.js';
import { AES_KEY, pusherFor, startWechatGateway, stored, storedCount } from '../../fakes/wechat/harness.js';
import { eventPush, newMsgId, textPush, wechatFixture } from '../../fakes/wechat/messages.js';
import type { FakeWechatPusher } from '../../fakes/wechat/pusher.js';
import type { TestGateway } from '../../support/gateway.js';

/** WeChat drops the connection after 5 s and retries (被动回复用户消息): a protocol bound, not a benchmark. */
const WECHAT_DEADLINE_MS = 5_000;

describe('WeChat redeliveries and hostile XML', () => {
  let fake: FakeWechatApi;
  let gateway: TestGateway;
  let plain: FakeWechatPusher;
  let safe: FakeWechatPusher;
  const openId = 'oDedup000000000000000000001';

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

  it('the same MsgId pushed 3 times in a row and 3 times at once is stored once; every push is answered "success" within 5 s', async () => {
    const sequentialId = newMsgId();
    const sequential = textPush(openId, '我的钱包被盗了 😱', sequentialId);
    for (let i = 0; i < 3; i += 1) expect((await plain.push(sequential)).map((a) => [a.status, a.body])).toEqual([[200, 'success']]);

    // Three connections at once, while the first copy is still on its way through the queue.
    const concurrentId = newMsgId();
    const concurrent = textPush(openId, '同一条消息，三个连接', concurrentId);
    const answers = await Promise.all([plain.push(concurrent), safe.push(concurrent), plain.push(concurrent)]);
    expect(answers.map((attempts) => attempts.map((a) => a.status))).toEqual([[200], [200], [200]]);

    await stored(gateway, sequentialId);
    await stored(gateway, concurrentId);
    // WeChat retrying after the first copy was stored and its queue job removed.
    expect((await safe.push(sequential)).map((a) => a.status)).toEqual([200]);
    const marker = newMsgId();
    await plain.push(textPush(openId, 'marker', marker));
    await stored(gateway, marker);

    expect(await storedCount(gateway, sequentialId)).toBe(1);
    expect(await storedCount(gateway, concurrentId)).toBe(1);
    const [row] = await gateway.deps.db.selectFrom('messages').select('text').where('external_id', '=', sequentialId).execute();
    expect(row?.text).toBe('我的钱包被盗了 😱');
    const all = [...plain.attempts, ...safe.attempts];
    expect(all.every((attempt) => typeof attempt.status === 'number' && attempt.ms < WECHAT_DEADLINE_MS)).toBe(true);
  });

  it('a repeated event (same FromUserName, CreateTime, Event) is stored once; a different event in the same second is kept', async () => {
    const at = Math.floor(Date.now() / 1000) - 100;
    const subscribe = eventPush(openId, 'subscribe', undefined, at);
    for (let i = 0; i < 3; i += 1) expect((await plain.push(subscribe)).map((a) => a.status)).toEqual([200]);
    expect((await plain.push(eventPush(openId, 'CLICK', 'CONTACT_SUPPORT', at))).map((a) => a.status)).toEqual([200]);
    await stored(gateway, `${openId}-${at}-subscribe`);
    await stored(gateway, `${openId}-${at}-CLICK-CONTACT_SUPPORT`);
    expect(await storedCount(gateway, `${openId}-${at}-subscribe`)).toBe(1);
  });

  it.each([['hostile-doctype-xxe'], ['hostile-billion-laughs'], ['hostile-nested']])(
    '%s, correctly signed, is refused with 400 and a reason; the server answers the next push promptly',
    async (fixture) => {
      const attempts = await plain.push(wechatFixture(fixture));
      expect(attempts.map((a) => a.status)).toEqual([400]);
      expect(attempts[0]!.body).toMatch(/DOCTYPE|nested element/);
      const next = newMsgId();
      const answer = await plain.push(textPush(openId, 'still here', next));
      expect(answer.map((a) => a.status)).toEqual([200]);
      expect(answer[0]!.ms).toBeLessThan(WECHAT_DEADLINE_MS);
      await stored(gateway, next);
    },
  );

  it('the same hostile XML inside a safe-mode ciphertext is refused the same way after decryption', async () => {
    const attempts = await safe.push(wechatFixture('hostile-billion-laughs'));
    expect(attempts.map((a) => a.status)).toEqual([400]);
    expect(attempts[0]!.body).toMatch(/DOCTYPE/);
  });

  it('an oversized body is 413 and a body that is not XML is 400', async () => {
    const huge = textPush(openId, '长'.repeat(30_000), newMsgId());
    expect((await plain.push(huge)).map((a) => a.status)).toEqual([413]);
    expect((await plain.push('', { rawBody: '{"MsgType":"text"}' })).map((a) => a.status)).toEqual([400]);
  });
});
