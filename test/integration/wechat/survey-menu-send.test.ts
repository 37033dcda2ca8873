import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wechatConfig } from '../../../adapters/wechat/config.js';
import { createWechatAdapter } from '../../../adapters/wechat/index.js';
import type { ChannelAdapter, ConversationAddress, OutboundChoice, OutboundMessage } from '../../../src/channels/contract.js';
import { choiceToken } from '../../../src/domain/choice.js';
import { FakeWechatApi } from '../../fakes/wechat/api.js';
import { CHANNEL_ID, startWechatGateway, TOKEN } from '../../fakes/wechat/harness.js';
import { testAdapterContext } from '../../support/adapter-context.js';
import type { TestGateway } from '../../support/gateway.js';

const SURVEY = '01jc5v7x9k2m4n6p8q0r2s4t6v';
const survey: OutboundChoice = {
  id: SURVEY,
  options: [1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: `${n} ${'★'.repeat(n)}`, answered: `Thanks — you rated ${n}/5` })),
};
const QUESTION = 'How would you rate our help? 请为我们的服务打分。';

describe('a survey reaches the WeChat customer as one 菜单消息 (the gateway\'s adapter against the fake API)', () => {
  let fake: FakeWechatApi;
  let gateway: TestGateway;
  let adapter: ChannelAdapter;
  let count = 0;
  const address = (openId: string): ConversationAddress => ({ conversationId: `conv-${openId}`, threadKey: openId, contactExternalId: openId });
  const question = (fields: Partial<OutboundMessage> = {}): OutboundMessage & { choice: OutboundChoice } => ({
    messageId: `survey${(count += 1)}`,
    text: QUESTION,
    authorName: 'Support',
    attachments: [],
    alreadySent: [],
    automatic: true,
    ...fields,
    choice: survey,
  });

  beforeAll(async () => {
    fake = await FakeWechatApi.start();
    gateway = await startWechatGateway(fake);
    adapter = gateway.deps.adapters.get(CHANNEL_ID)!;
  });
  afterAll(async () => {
    await gateway?.dispose();
    await fake?.stop();
  });

  it('the channel says it has menus, and sendChoice posts one msgmenu: head = the question, the five options as items, empty tail', async () => {
    expect(adapter.capabilities.menu).toBe(true);
    const openId = 'oSurvey00000000000000000001';
    const message = question();
    const result = await adapter.sendChoice!(address(openId), message);
    expect(result.externalIds).toEqual([`${message.messageId}-0`]);
    const sent = fake.sendsTo(openId);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ msgtype: 'msgmenu', touser: openId });
    expect(sent[0]!.menu).toEqual({
      head: QUESTION,
      items: [1, 2, 3, 4, 5].map((n) => ({ id: choiceToken({ id: SURVEY, value: String(n) }), content: `${n} ${'★'.repeat(n)}` })),
      tail: '',
    });
  });

  it('a question too long for the menu head goes first as a text message; the menu comes last with the rest', async () => {
    const openId = 'oSurvey00000000000000000002';
    const text = `${'感谢您联系我们，您的问题已经解决。'.repeat(40)}\n\n请为本次服务评分：`;
    const message = question({ text });
    expect((await adapter.sendChoice!(address(openId), message)).externalIds).toEqual([`${message.messageId}-0`, `${message.messageId}-1`]);
    const [first, menu] = fake.sendsTo(openId);
    expect(first).toMatchObject({ msgtype: 'text' });
    expect(menu).toMatchObject({ msgtype: 'msgmenu' });
    expect(menu!.menu!.head.endsWith('请为本次服务评分：')).toBe(true);
    expect(menu!.menu!.items).toHaveLength(5);
  });

  it('48 hours after the customer last wrote, WeChat refuses (45015): the survey fails permanently, nothing reaches the customer', async () => {
    const openId = 'oSurvey00000000000000000003';
    fake.customerLastWrote(openId, Date.now() - 49 * 3_600_000);
    await expect(adapter.sendChoice!(address(openId), question())).rejects.toMatchObject({ name: 'PermanentChannelError', code: 'reply_window_closed' });
    // The same window holds for a plain reply: the menu is an ordinary customer-service message.
    await expect(adapter.send(address(openId), question())).rejects.toMatchObject({ name: 'PermanentChannelError', code: 'reply_window_closed' });
    expect(fake.sendsTo(openId)).toEqual([]);
    fake.customerLastWrote(openId, Date.now() - 47 * 3_600_000);
    await adapter.sendChoice!(address(openId), question());
    expect(fake.menusTo(openId)).toHaveLength(1);
  });

  it('an unknown OpenID (40003) and an account WeChat refuses menus (40200) fail permanently with the reason', async () => {
    const openId = 'oSurvey00000000000000000004';
    fake.failNext(openId, 40003);
    await expect(adapter.sendChoice!(address(openId), question())).rejects.toMatchObject({ name: 'PermanentChannelError', code: 'invalid_recipient' });
    fake.menuAllowed = false;
    try {
      await expect(adapter.sendChoice!(address(openId), question())).rejects.toMatchObject({ name: 'PermanentChannelError', code: 'menu_unsupported' });
    } finally {
      fake.menuAllowed = true;
    }
    expect(fake.sendsTo(openId)).toEqual([]);
  });

  it('busy (-1) on the menu after the text part went out: retryable, and the retry sends only the menu', async () => {
    const openId = 'oSurvey00000000000000000005';
    const message = question({ text: `${'您的问题已经解决。'.repeat(80)}\n\n请评分：` });
    fake.failNext(openId, 0, -1);
    const failure = await adapter.sendChoice!(address(openId), message).catch((error: unknown) => error);
    expect(failure).toMatchObject({ name: 'RetryableChannelError', code: 'platform_busy', sentExternalIds: [`${message.messageId}-0`] });
    const retry = await adapter.sendChoice!(address(openId), { ...message, alreadySent: [`${message.messageId}-0`] });
    expect(retry.externalIds).toEqual([`${message.messageId}-1`]);
    expect(fake.sendsTo(openId).map((send) => send.msgtype)).toEqual(['text', 'msgmenu']);
  });

  it('an expired access token (42001) is refreshed once and the menu is delivered once', async () => {
    const openId = 'oSurvey00000000000000000006';
    const before = fake.tokenFetches;
    fake.expireTokens();
    await adapter.sendChoice!(address(openId), question());
    expect(fake.tokenFetches - before).toBe(1);
    expect(fake.menusTo(openId)).toHaveLength(1);
  });

  it('menuMessages: false — no menu capability and no sendChoice, so the desk sends the question as text', () => {
    const config = wechatConfig.parse({ id: 'wx2', kind: 'wechat', appId: fake.appId, appSecret: fake.appSecret, token: TOKEN, apiBase: fake.url, menuMessages: false });
    const textOnly = createWechatAdapter(config, testAdapterContext());
    expect(textOnly.capabilities.menu).toBe(false);
    expect(textOnly.sendChoice).toBeUndefined();
  });
});
