import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { entropyToMnemonic } from '@scure/bip39';
import { wordlist as english } from '@scure/bip39/wordlists/english.js';
import { wordlist as simplified } from '@scure/bip39/wordlists/simplified-chinese.js';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotApi } from '../../fakes/telegram/bot-api.js';
import { WEBHOOK_SECRET } from '../../fakes/telegram/harness.js';
import { textUpdate } from '../../fakes/telegram/updates.js';
import { FakeWechatApi } from '../../fakes/wechat/api.js';
import { pusherFor, stored, TOKEN } from '../../fakes/wechat/harness.js';
import { newMsgId, textPush } from '../../fakes/wechat/messages.js';
import { TEST_DATABASE_URL } from '../../support/env.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { PrivateRedis } from '../../support/redis-server.js';
import { Visitor } from '../../support/visitor.js';

/** Phrases no test elsewhere uses, so finding one anywhere means this test leaked it. */
const englishPhrase = entropyToMnemonic(Uint8Array.from({ length: 16 }, (_, i) => 200 - i * 7), english);
const longPhrase = entropyToMnemonic(Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 11) % 256), english);
const chinesePhrase = entropyToMnemonic(Uint8Array.from({ length: 16 }, (_, i) => (i * 53 + 5) % 256), simplified);
/** What must not be found: the phrases, and any five of their words in a row. */
const needles = [englishPhrase, longPhrase].flatMap((p) => {
  const words = p.split(' ');
  return words.slice(0, -4).map((_, i) => words.slice(i, i + 5).join(' '));
});
const chineseNeedles = [chinesePhrase.replaceAll(' ', ''), chinesePhrase].flatMap((p) => [p.slice(0, 8), p.slice(-8)]);
const leaks = (haystack: string): string[] => [...needles, ...chineseNeedles].filter((n) => haystack.includes(n));

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });

/** Every row of every table of the gateway's schema, as text. */
async function databaseText(schema: string): Promise<string> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>('select table_name from information_schema.tables where table_schema = $1', [schema]);
    const dumps = await Promise.all(tables.rows.map(async ({ table_name }) => (await client.query(`select t::text as row from "${schema}"."${table_name}" t`)).rows.map((r) => r.row).join('\n')));
    return dumps.join('\n');
  } finally {
    await client.end();
  }
}

describe('wallet safety end to end: Telegram, WeChat and the widget', () => {
  const redisDir = mkdtempSync(join(tmpdir(), 'switchboard-safety-redis-'));
  let redis: PrivateRedis;
  let telegram: FakeBotApi;
  let wechat: FakeWechatApi;
  let gateway: TestGateway;
  let token: string;
  let logs = '';
  const customer = { id: 4_300_000_001, first_name: 'Mei', username: 'mei_w', language_code: 'en' };
  const openId = 'oSafety000000000000000000001';

  beforeAll(async () => {
    redis = await PrivateRedis.start(redisDir);
    telegram = await FakeBotApi.start();
    wechat = await FakeWechatApi.start();
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => (logs += chunk.toString('utf8')));
    gateway = await startTestGateway({
      env: { REDIS_URL: redis.url },
      // Every safety default; the acknowledgement is left to the service-level tests so the bot
      // messages counted here are wallet safety's own.
      desk: { autoAck: false },
      logger: pino({ level: 'trace' }, stream),
      channels: [
        { id: 'tg', kind: 'telegram', token: telegram.token, secretToken: WEBHOOK_SECRET, apiRoot: telegram.url },
        { id: 'wx', kind: 'wechat', appId: wechat.appId, appSecret: wechat.appSecret, token: TOKEN, apiBase: wechat.url },
        { id: 'web', kind: 'webchat' },
      ],
    });
    telegram.webhook = { url: `${gateway.url}/webhooks/tg`, secret_token: WEBHOOK_SECRET };
    token = await loginAdmin(gateway.url);
  });
  afterAll(async () => {
    await gateway?.dispose();
    await telegram?.stop();
    await wechat?.stop();
    await redis?.kill();
    rmSync(redisDir, { recursive: true, force: true });
  });

  const conversationOf = (channel: string) =>
    eventually(async () => {
      const list = await request(gateway.url, 'GET', `/api/conversations?channel=${channel}&limit=100`, { token });
      return list.body.items[0] as { id: string; priority: string; labels: string[]; escalation: { reason: string } | null } | undefined;
    });
  const messagesOf = async (conversationId: string): Promise<any[]> => (await request(gateway.url, 'GET', `/api/conversations/${conversationId}/messages?limit=100`, { token })).body.items;
  const storedTg = (messageId: number) =>
    eventually(async () => ((await gateway.deps.db.selectFrom('messages').select('id').where('external_id', '=', `${customer.id}:${messageId}`).execute()).length === 1 ? true : undefined));

  it('Telegram: the phrase is replaced by a marker, the conversation is urgent, the customer is warned once', async () => {
    const url = `${gateway.url}/webhooks/tg`;
    expect(await telegram.pushWebhook({ update_id: 810_001, ...textUpdate(customer, 1, `is this right? ${englishPhrase}`) }, { url })).toEqual([200]);
    await storedTg(1);
    const conversation = (await conversationOf('tg'))!;
    // The same ingest: urgent and labelled the moment the message is there.
    expect(conversation).toMatchObject({ priority: 'urgent', labels: ['secret-exposed'], escalation: { reason: 'secret-exposed' } });
    // A second phrase in the same conversation: no second warning.
    expect(await telegram.pushWebhook({ update_id: 810_002, ...textUpdate(customer, 2, `or maybe\n${longPhrase.split(' ').map((w, i) => `${i + 1}. ${w}`).join('\n')}`) }, { url })).toEqual([200]);
    await storedTg(2);
    const messages = await eventually(async () => {
      const list = await messagesOf(conversation.id);
      return list.some((m) => m.author.type === 'bot') ? list : undefined;
    });
    const customerTexts = messages.filter((m) => m.author.type === 'contact');
    expect(customerTexts.map((m) => m.text)).toEqual(['is this right? [recovery phrase removed]', 'or maybe\n1. [recovery phrase removed]']);
    expect(customerTexts.map((m) => m.redactions)).toEqual([[{ kind: 'recovery-phrase', words: 12 }], [{ kind: 'recovery-phrase', words: 24 }]]);
    await eventually(async () => (telegram.delivered.filter((d) => d.chatId === String(customer.id)).length >= 1 ? true : undefined));
    // Long enough for a second warning to have gone out, had one been due.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const warnings = telegram.delivered.filter((d) => d.chatId === String(customer.id));
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]!.params.text)).toMatch(/never ask for your recovery phrase/);
  });

  it('WeChat: a Chinese phrase without spaces is removed and answered in Chinese; a theft report is urgent at once', async () => {
    const pusher = pusherFor(gateway, wechat);
    const id = newMsgId();
    expect((await pusher.push(textPush(openId, `客服你好，我的助记词是${chinesePhrase.replaceAll(' ', '')}，帮我看看`, id))).map((a) => a.status)).toEqual([200]);
    await stored(gateway, id);
    const conversation = (await conversationOf('wx'))!;
    expect(conversation.priority).toBe('urgent');
    const [message] = await messagesOf(conversation.id);
    // Without spaces the phrase's edges are uncertain: a few characters before it may go with it.
    expect(message.text).toMatch(/^客服你好，.*\[助记词已移除\]，帮我看看$/);
    expect(message.text).not.toMatch(new RegExp(`[${chinesePhrase.replaceAll(' ', '')}]{3}`));
    await eventually(async () => (wechat.sendsTo(openId).length === 1 ? true : undefined));
    expect(wechat.sendsTo(openId)[0]!.content).toMatch(/永远不会向您索要助记词/);

    const other = 'oSafety000000000000000000002';
    const theft = newMsgId();
    await pusher.push(textPush(other, '我的币被盗了，怎么办', theft));
    await stored(gateway, theft);
    const row = await gateway.deps.db
      .selectFrom('conversations')
      .innerJoin('messages', 'messages.conversation_id', 'conversations.id')
      .select(['conversations.priority', 'conversations.labels'])
      .where('messages.external_id', '=', theft)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ priority: 'urgent', labels: ['security'] });
  });

  it('the widget: text and a .txt file are redacted, and the visitor is warned once', async () => {
    const visitor = await Visitor.create(gateway.url);
    const upload = await request(gateway.url, 'POST', '/widget/web/attachments', {
      token: visitor.token,
      raw: Buffer.from(`my backup\n${longPhrase}\n`),
      headers: { 'content-type': 'text/plain', 'x-filename': 'backup.txt' },
    });
    expect(upload.status).toBe(201);
    expect((await visitor.send(`here: ${englishPhrase}`, Visitor.newClientId(), [upload.body.id])).status).toBe(202);
    const history = await eventually(async () => {
      const items = (await visitor.history()).body.items;
      return items.some((m: any) => m.author.type === 'bot') ? items : undefined;
    });
    expect(history[0].text).toBe('here: [recovery phrase removed]');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await visitor.history()).body.items.filter((m: any) => m.author.type === 'bot')).toHaveLength(1);
    const conversation = (await conversationOf('web'))!;
    const [message] = await messagesOf(conversation.id);
    expect(message.redactions).toEqual([{ kind: 'recovery-phrase', words: 12 }, { kind: 'recovery-phrase', words: 24 }]);
    const file = await request(gateway.url, 'GET', message.attachments[0].url, { token });
    expect(String(file.body)).toBe('my backup\n[recovery phrase removed]\n');
  });

  it('replies: asking for a secret is 422 unsafe_content, advice goes out, with the anti-impersonation line once', async () => {
    const conversation = (await conversationOf('tg'))!;
    const reply = (text: string, isPrivate = false) => request(gateway.url, 'POST', `/api/conversations/${conversation.id}/messages`, { token, body: { text, private: isPrivate } });
    const refused = await reply('please send me your 助记词');
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'unsafe_content' });
    expect(refused.body.error.message).toMatch(/Support never asks for these/);
    expect((await reply(`note: he pasted ${englishPhrase}`, true)).status).toBe(422);
    const first = await reply('never share your recovery phrase');
    expect(first.status).toBe(202);
    expect(first.body.text).toBe('never share your recovery phrase\n\nOfficial support never messages you first and never asks for your recovery phrase or private key.');
    const second = await reply('We are looking at your transfer now.');
    expect(second.body.text).toBe('We are looking at your transfer now.');
    await eventually(async () => (telegram.delivered.filter((d) => d.chatId === String(customer.id)).length === 3 ? true : undefined));
    expect(String(telegram.delivered.filter((d) => d.chatId === String(customer.id))[1]!.params.text)).toMatch(/Official support never messages you first/);
  });

  it('the transfer details panel lists what the customer gave, with explorer links', async () => {
    const visitor = await Visitor.create(gateway.url);
    const tx = '0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060';
    await visitor.send(`I sent 250 USDT to 0x52908400098527886E0F7030069857D2E4169EE7 at 10:32, tx ${tx}. My wallet was drained!`);
    const conversation = await eventually(async () => {
      const list = (await request(gateway.url, 'GET', '/api/conversations?channel=web&limit=100', { token })).body.items;
      return list.find((c: any) => c.contact.identities.some((i: any) => i.externalId === visitor.visitorId));
    });
    expect(conversation).toMatchObject({ priority: 'urgent', labels: ['security'] });
    const details = await request(gateway.url, 'GET', `/api/conversations/${conversation.id}/transfer-details`, { token });
    expect(details.status).toBe(200);
    expect(details.body.items.map((d: any) => [d.kind, d.value, d.links.map((l: any) => l.url)])).toEqual([
      ['amount', '250 USDT', []],
      ['address', '0x52908400098527886E0F7030069857D2E4169EE7', ['https://etherscan.io/address/0x52908400098527886E0F7030069857D2E4169EE7']],
      ['tx', tx, [`https://etherscan.io/tx/${tx}`]],
    ]);
    expect((await request(gateway.url, 'GET', '/api/conversations/nope/transfer-details', { token })).status).toBe(404);
    expect((await request(gateway.url, 'GET', `/api/conversations/${conversation.id}/transfer-details`)).status).toBe(401);
  });

  it('no phrase is anywhere: Postgres, Redis and its append-only file, the data directory, the logs, the agent API', async () => {
    const conversations = (await request(gateway.url, 'GET', '/api/conversations?limit=100', { token })).body.items;
    const api = JSON.stringify(await Promise.all(conversations.map((c: { id: string }) => messagesOf(c.id))));
    expect(api).toContain('[recovery phrase removed]');
    expect(leaks(api)).toEqual([]);
    expect(leaks(await databaseText(gateway.schema))).toEqual([]);
    const client = new (await import('ioredis')).Redis(redis.url);
    const keys = await client.keys('*');
    const values = await Promise.all(keys.map(async (key) => JSON.stringify(await client.dump(key))));
    client.disconnect();
    expect(keys.length).toBeGreaterThan(0);
    expect(leaks(values.join('\n'))).toEqual([]);
    const aof = filesUnder(redisDir).map((path) => readFileSync(path, 'latin1')).join('\n');
    expect(aof).toContain('recovery phrase removed');
    expect(leaks(Buffer.from(aof, 'latin1').toString('utf8'))).toEqual([]);
    expect(leaks(filesUnder(gateway.dataDir).map((path) => readFileSync(path, 'utf8')).join('\n'))).toEqual([]);
    expect(logs.length).toBeGreaterThan(0);
    expect(leaks(logs)).toEqual([]);
  });
});
