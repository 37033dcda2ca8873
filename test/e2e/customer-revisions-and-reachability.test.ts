import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../fakes/discord/fake-discord.js';
import { connected, conversationByKey } from '../fakes/discord/harness.js';
import { dmMessage, messageId } from '../fakes/discord/messages.js';
import { FakeBotApi } from '../fakes/telegram/bot-api.js';
import { conversationOfChat, storedCount, WEBHOOK_SECRET } from '../fakes/telegram/harness.js';
import { blockUpdate, editUpdate, textUpdate } from '../fakes/telegram/updates.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { eventually, loginAdmin, request } from '../support/http.js';
import { launchBrowser, screenshot, signIn } from './support/browser.js';

/**
 * What customers do after writing, as the platforms report it — a Telegram edit and block, a
 * Discord delete — reaches the agent's screen live, and system lines are rendered from their
 * `system` type in the agent's language rather than from the stored English sentence.
 */
describe('customer edits, deletions and unreachable customers in the inbox, in real Chromium', () => {
  let telegram: FakeBotApi;
  let discord: FakeDiscord;
  let gateway: TestGateway;
  let browser: Browser;
  let page: Page;
  let token: string;
  let webhook: string;
  let updateId = 810_000;
  const li = { id: 5_123_456_789, first_name: '李', last_name: '明', username: 'liming_wallet' };
  const ana = { id: '1300000000000000001', username: 'ana', global_name: 'Ana P.' };
  const bot = { id: 7_000_001, first_name: 'Acme Support', username: 'acme_support_bot' };

  beforeAll(async () => {
    telegram = await FakeBotApi.start();
    discord = await FakeDiscord.start();
    gateway = await startTestGateway({
      channels: [
        { id: 'tg', kind: 'telegram', token: telegram.token, secretToken: WEBHOOK_SECRET, apiRoot: telegram.url },
        { id: 'dc', kind: 'discord', token: discord.token, apiBase: discord.apiBase, gatewayUrl: discord.gatewayUrl, channels: [discord.supportChannelId] },
      ],
    });
    webhook = `${gateway.url}/webhooks/tg`;
    token = await loginAdmin(gateway.url);
    await connected(discord);
    browser = await launchBrowser();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' })).newPage();
    await signIn(page, gateway.url);
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.dispose();
    await telegram?.stop();
    await discord?.stop();
  });

  const push = async (update: Record<string, unknown>): Promise<void> => {
    updateId += 1;
    expect(await telegram.pushWebhook({ update_id: updateId, ...update }, { url: webhook, secret: WEBHOOK_SECRET })).toEqual([200]);
  };
  const open = async (conversationId: string): Promise<void> => {
    await page.goto(`${gateway.url}/#/conversations/${conversationId}`);
    await page.getByTestId('conversation-view').getByTestId('message').first().waitFor();
  };
  const messages = (): Locator => page.getByTestId('conversation-view').getByTestId('message');
  const systemLine = (type: string): Locator => page.getByTestId('conversation-view').locator(`[data-testid="message-text"][data-system-type="${type}"]`);

  it('a Telegram edit shows the new text with an "edited" time, live; blocking the bot shows the unreachable banner and its line', async () => {
    await push(textUpdate(li, 40, '你好，我想问一下退款'));
    const original = textUpdate(li, 41, 'send the refund to 0xABC');
    await push(original);
    const conversation = await conversationOfChat(gateway, token, li.id);
    await eventually(async () => ((await storedCount(gateway, `${li.id}:41`)) === 1 ? true : undefined));
    await open(conversation.id);
    await messages().filter({ hasText: 'send the refund to 0xABC' }).waitFor();
    expect(await page.getByTestId('customer-unreachable').count()).toBe(0);
    expect(await page.getByTestId('message-edited').count()).toBe(0);

    await push(editUpdate(original, 'send the refund to 0xDEF (typo fixed)'));
    const edited = messages().filter({ has: page.getByTestId('message-edited') });
    await edited.waitFor({ timeout: 15_000 });
    expect(await edited.getByTestId('message-text').textContent()).toBe('send the refund to 0xDEF (typo fixed)');
    expect(await edited.getByTestId('message-edited').textContent()).toMatch(/^edited /);
    expect(await messages().filter({ hasText: '0xABC' }).count()).toBe(0);

    await push(blockUpdate(li, bot));
    await page.getByTestId('customer-unreachable').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('customer-unreachable').textContent()).toContain('cannot be reached on this channel');
    expect(await page.getByTestId('customer-unreachable').getAttribute('title')).toBe('The customer blocked the bot');
    await systemLine('channel-event').waitFor();
    expect(await systemLine('channel-event').textContent()).toBe('The customer blocked the bot');
    await screenshot(page, 'inbox-edited-unreachable');
  });

  it('a Discord delete marks the message deleted with its time and strikes the text kept for the record', async () => {
    discord.post(dmMessage(discord, ana, 1, 'wrong address, ignore this one'));
    discord.post(dmMessage(discord, ana, 2, 'the right one is 0x77'));
    const conversation = await conversationByKey(gateway, `dm:${ana.id}`);
    await eventually(async () => ((await gateway.deps.db.selectFrom('messages').select('id').where('external_id', '=', messageId(discord, 2)).execute()).length === 1 ? true : undefined));
    await open(conversation.id);
    await messages().filter({ hasText: 'the right one is 0x77' }).waitFor();

    discord.dispatch('MESSAGE_DELETE', { id: messageId(discord, 1), channel_id: discord.dmChannelOf(ana.id) });
    const deleted = messages().filter({ has: page.getByTestId('message-deleted') });
    await deleted.waitFor({ timeout: 15_000 });
    expect(await deleted.getByTestId('message-deleted').textContent()).toMatch(/^message deleted /);
    const text = deleted.getByTestId('message-text');
    expect(await text.evaluate((element) => element.tagName)).toBe('DEL');
    expect(await text.textContent()).toBe('wrong address, ignore this one');
    // The other message is untouched.
    expect(await messages().filter({ hasText: 'the right one is 0x77' }).getAttribute('data-deleted')).toBeNull();
    await screenshot(page, 'inbox-deleted');
  });

  it('system lines are translated from their type: the wording is the inbox\'s, not the stored sentence, in English and 中文', async () => {
    const conversation = await conversationOfChat(gateway, token, li.id);
    expect((await request(gateway.url, 'PATCH', `/api/conversations/${conversation.id}`, { token, body: { priority: 'urgent' } })).status).toBe(200);
    const stored = (await request(gateway.url, 'GET', `/api/conversations/${conversation.id}/messages`, { token })).body.items.find(
      (m: { system?: { type: string } | null }) => m.system?.type === 'priority',
    );
    expect(stored.text).toMatch(/set priority to urgent$/);

    await open(conversation.id);
    await systemLine('priority').waitFor();
    // "… set the priority to Urgent" comes from the inbox's dictionary, not from `text`.
    expect(await systemLine('priority').textContent()).toMatch(/ set the priority to Urgent$/);

    await page.getByTestId('language-switch').selectOption('zh');
    await expect.poll(() => systemLine('priority').textContent()).toMatch(/将优先级设为紧急$/);
    expect(await systemLine('channel-event').textContent()).toBe('客户屏蔽了机器人');
    expect(await page.getByTestId('customer-unreachable').textContent()).toContain('无法通过此渠道联系到客户');
    expect(await messages().filter({ has: page.getByTestId('message-edited') }).getByTestId('message-edited').textContent()).toMatch(/^已编辑 /);
    await screenshot(page, 'inbox-system-lines-zh');

    const deletedIn = await conversationByKey(gateway, `dm:${ana.id}`);
    await open(deletedIn.id);
    expect(await page.getByTestId('message-deleted').textContent()).toMatch(/^消息已删除 /);
  });
});
