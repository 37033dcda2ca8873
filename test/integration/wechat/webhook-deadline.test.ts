import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeWechatApi } from '../../fakes/wechat/api.js';
import { pusherFor, startWechatGateway, stored, storedCount } from '../../fakes/wechat/harness.js';
import { newMsgId, textPush } from '../../fakes/wechat/messages.js';
import type { TestGateway } from '../../support/gateway.js';

describe('WeChat’s 5-second deadline: "success" once queued, not once processed', () => {
  let fake: FakeWechatApi;
  let api: TestGateway;
  let worker: TestGateway | undefined;

  beforeAll(async () => {
    fake = await FakeWechatApi.start();
    // HTTP only: nothing in this process stores messages.
    api = await startWechatGateway(fake, {}, { env: { ROLE: 'api' } });
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.dispose();
    await fake?.stop();
  });

  it('with no worker running the push is still answered "success" at once, and stored when a worker starts', async () => {
    const msgId = newMsgId();
    const attempts = await pusherFor(api, fake).push(textPush('oDeadline000000000000000001', '没有工作进程时的消息', msgId));
    expect(attempts.map((a) => [a.status, a.body])).toEqual([[200, 'success']]);
    // WeChat gives up after 5 s (被动回复用户消息): a protocol bound, not a benchmark.
    expect(attempts[0]!.ms).toBeLessThan(5_000);
    expect(await storedCount(api, msgId)).toBe(0);

    worker = await startWechatGateway(fake, {}, { env: { ROLE: 'worker' }, httpOptional: true, reuse: { schema: api.schema, prefix: api.prefix, dataDir: api.dataDir } });
    await stored(api, msgId);
  });
});
