import { describeChannelContract } from './channel-contract.js';
import { FakeWechatApi } from '../fakes/wechat/api.js';
import { AES_KEY, CHANNEL_ID, pusherFor, startWechatGateway } from '../fakes/wechat/harness.js';
import { textPush } from '../fakes/wechat/messages.js';
import type { FakeWechatPusher } from '../fakes/wechat/pusher.js';
import type { TestGateway } from '../support/gateway.js';

/** The shared channel contract (STYLE §12) for WeChat, in safe mode, against the fake WeChat. */
describeChannelContract('wechat', () => {
  let fake: FakeWechatApi;
  let gateway: TestGateway;
  let pusher: FakeWechatPusher;
  const openId = 'oContract000000000000000001';
  const msgId = (n: number): string => `2461000000000${String(n).padStart(4, '0')}`;
  return {
    channelId: CHANNEL_ID,
    async start() {
      fake = await FakeWechatApi.start();
      gateway = await startWechatGateway(fake, { encodingAESKey: AES_KEY });
      pusher = pusherFor(gateway, fake, 'safe');
      return gateway;
    },
    async deliver(n, text) {
      const [attempt] = await pusher.push(textPush(openId, text, msgId(n)));
      if (attempt?.status !== 200 || attempt.body !== 'success') throw new Error(`webhook answered ${attempt?.status} ${attempt?.body}`);
    },
    async forge(n, text) {
      const [attempt] = await pusher.push(textPush(openId, text, msgId(n)), { msgSignature: '0'.repeat(40) });
      return typeof attempt?.status === 'number' ? attempt.status : 0;
    },
    async received() {
      return fake.sendsTo(openId).map((send) => send.content ?? '');
    },
    failNextSend(kind) {
      fake.failNext(openId, kind === 'retryable' ? -1 : 45015);
      return kind === 'retryable' ? 'system error' : 'WeChat only allows replies within 48 hours (45015)';
    },
    clearFailures() {
      fake.clear(openId);
    },
    async stop() {
      await fake?.stop();
    },
  };
});
