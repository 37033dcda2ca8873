import { choiceToken, parseChoiceToken } from '../../src/domain/choice.js';
import { describeChannelContract } from './channel-contract.js';
import { FakeWechatApi } from '../fakes/wechat/api.js';
import { AES_KEY, CHANNEL_ID, pusherFor, startWechatGateway } from '../fakes/wechat/harness.js';
import { menuTapPush, textPush } from '../fakes/wechat/messages.js';
import type { FakeWechatPusher } from '../fakes/wechat/pusher.js';
import type { TestGateway } from '../support/gateway.js';

/** The shared channel contract (STYLE §12) for WeChat, in safe mode, against the fake WeChat. */
describeChannelContract('wechat', () => {
  let fake: FakeWechatApi;
  let gateway: TestGateway;
  let pusher: FakeWechatPusher;
  const openId = 'oContract000000000000000001';
  const msgId = (n: number): string => `2461000000000${String(n).padStart(4, '0')}`;
  /** A tap is its own text message with its own MsgId; the same n is WeChat retrying that push. */
  const taps = new Map<number, string>();
  const tapMsgId = (n: number): string => `2462000000000${String(n).padStart(4, '0')}`;
  const menuBySeq = (ref: string) => {
    const menu = fake.menusTo(openId).find((send) => String(send.seq) === ref);
    if (!menu) throw new Error(`no menu message ${ref} was sent to ${openId}`);
    return menu;
  };
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
    /** Menu messages the customer received: ref = its position in the fake's sends, options = the values our item ids carry. */
    async choices() {
      return fake.menusTo(openId).map((send) => ({
        ref: String(send.seq),
        text: send.menu.head,
        options: send.menu.items.flatMap((item) => parseChoiceToken(item.id)?.value ?? []),
        labels: send.menu.items.flatMap((item) => (parseChoiceToken(item.id) ? [item.content] : [])),
      }));
    },
    /**
     * The customer taps the item with `value`. A value the menu did not offer cannot come from a
     * real client; it is delivered as a signed push naming the menu's question with that value
     * (what a replayed, altered push would carry), so the desk's refusal can be tested.
     */
    async pick(n, ref, value) {
      let xml = taps.get(n);
      if (xml === undefined) {
        const { items } = menuBySeq(ref).menu;
        const item = items.find((candidate) => parseChoiceToken(candidate.id)?.value === value);
        const question = parseChoiceToken(items[0]?.id ?? '')?.id ?? '';
        xml = menuTapPush(openId, item ?? { id: choiceToken({ id: question, value }), content: value }, tapMsgId(n));
        taps.set(n, xml);
      }
      const [attempt] = await pusher.push(xml);
      if (attempt?.status !== 200 || attempt.body !== 'success') throw new Error(`webhook answered ${attempt?.status} ${attempt?.body}`);
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
