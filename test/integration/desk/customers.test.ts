import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../../../src/domain/index.js';
import { ScriptedChannel } from '../../fakes/scripted-channel.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { Visitor } from '../../support/visitor.js';
import { createAgent } from '../conversations/helpers.js';

/** A valid BIP-39 phrase (the standard test vector): what must never be stored. */
const PHRASE = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

interface TimelineItem {
  id: string;
  conversationId: string;
  channelId: string;
  channelKind: string;
  text: string;
  private: boolean;
  createdAt: string;
  author: { type: string };
}

/**
 * The customer page through a real gateway (issue 17): one customer who wrote on the web chat and
 * on a second channel, seen as one — both conversations, one timeline across them in the
 * platforms' order, paged — found by any part of their name (Chinese or English), email, handle or
 * platform id; the team's notes about them and who may delete one; 404s for what does not exist.
 *
 * Until identity links (the identity feature) join two channels' identities, no ingest ever gives
 * two channels one contact; so this test links the second channel's identity to the web chat
 * customer's contact directly in the database — what a verified link leaves behind — before that
 * customer first writes there, and the ingest then files the new conversation under that contact.
 */
describe('the customer page', () => {
  let gateway: TestGateway;
  let admin: string;
  let ana: { id: string; token: string };
  let bo: { id: string; token: string };
  const scripted = new ScriptedChannel('scripted');
  let xiaoming: string;
  let alice: string;
  let web: Conversation;
  let tg: Conversation;
  let visitor: Visitor;

  beforeAll(async () => {
    gateway = await startTestGateway({
      channels: [{ id: 'web', kind: 'webchat' }],
      extraAdapters: [scripted],
      desk: { safety: { footer: false }, autoAck: false, csat: { enabled: true, delay: '0s' } },
    });
    admin = await loginAdmin(gateway.url);
    ana = await createAgent(gateway.url, admin, { email: 'ana@example.com', name: 'Ana Silva' });
    bo = await createAgent(gateway.url, admin, { email: 'bo@example.com', name: 'Bo Chen' });
  });
  afterAll(async () => {
    await gateway?.dispose();
  });

  const get = (path: string, token = ana.token) => request(gateway.url, 'GET', path, { token });
  const conversationWith = (text: string) =>
    eventually(async () => (await request<{ items: Conversation[] }>(gateway.url, 'GET', `/api/conversations?q=${encodeURIComponent(text)}`, { token: admin })).body.items[0], 10_000, `conversation with "${text}"`);
  const deliver = async (body: Record<string, unknown>) => {
    const r = await request(gateway.url, 'POST', '/webhooks/scripted', { headers: { 'x-secret': 'scripted-secret' }, body });
    expect(r.status).toBe(200);
  };
  const timeline = async (contactId: string, query = 'limit=200') => {
    const r = await get(`/api/contacts/${contactId}/timeline?${query}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as { items: TimelineItem[]; nextBefore: string | null };
  };
  const stored = (contactId: string, text: string) => eventually(async () => (await timeline(contactId)).items.find((m) => m.text === text), 10_000, `"${text}" in the timeline`);

  it('a customer who wrote on two channels is one contact with both conversations', async () => {
    visitor = await Visitor.create(gateway.url, 'web', { name: '王小明', email: 'xiaoming@example.com' });
    expect((await visitor.send('我的转账还没到账')).status).toBe(202);
    web = await conversationWith('我的转账还没到账');
    xiaoming = web.contact.id;

    // What a verified identity link leaves behind: the second channel's identity on this contact.
    await gateway.deps.db.insertInto('contact_identities').values({ channel_id: 'scripted', external_id: 'tg-777', contact_id: xiaoming, handle: 'xiaoming_tg' }).execute();
    await deliver({ id: 'tg-1', from: 'tg-777', text: 'Sent 0.5 ETH an hour ago, still nothing' });
    tg = await conversationWith('Sent 0.5 ETH an hour ago');
    expect(tg.contact.id).toBe(xiaoming);
    // The ingest gives the contact the name of whoever wrote last, on any channel (the scripted
    // platform calls everyone "Customer <id>"): writing on the web chat again names them again.
    expect((await visitor.send('地址是我自己的钱包')).status).toBe(202);
    await stored(xiaoming, '地址是我自己的钱包');

    const record = await get(`/api/contacts/${xiaoming}`);
    expect(record.status).toBe(200);
    expect(record.body).toMatchObject({ id: xiaoming, name: '王小明', email: 'xiaoming@example.com', userId: null });
    expect(record.body.identities.map((i: { channelId: string }) => i.channelId).sort()).toEqual(['scripted', 'web']);
    expect(record.body.identities.find((i: { channelId: string }) => i.channelId === 'scripted')).toEqual({ channelId: 'scripted', externalId: 'tg-777', handle: 'xiaoming_tg' });
    // The most recently active first: the web chat's, written in last.
    expect(record.body.conversations.map((c: { id: string; channelId: string }) => [c.id, c.channelId])).toEqual([
      [web.id, 'web'],
      [tg.id, 'scripted'],
    ]);
    expect(record.body.conversations[0]).toMatchObject({ status: 'open', priority: 'normal', csat: null });
    expect(record.body.csat).toEqual([]);
  });

  it('one timeline holds both channels’ messages, private notes included, in the order they happened', async () => {
    expect((await request(gateway.url, 'POST', `/api/conversations/${web.id}/messages`, { token: ana.token, body: { text: 'Same person as on Telegram', private: true } })).status).toBe(202);
    expect((await request(gateway.url, 'POST', `/api/conversations/${tg.id}/messages`, { token: ana.token, body: { text: 'Checking the transfer now.' } })).status).toBe(202);
    await stored(xiaoming, 'Checking the transfer now.');
    await deliver({ id: 'tg-2', from: 'tg-777', text: 'tx 0x' + 'ab'.repeat(32) });
    await stored(xiaoming, 'tx 0x' + 'ab'.repeat(32));

    const { items, nextBefore } = await timeline(xiaoming);
    expect(nextBefore).toBeNull();
    const mine = items.filter((m) => m.author.type !== 'system').map((m) => [m.channelId, m.text, m.private]);
    expect(mine).toEqual([
      ['web', '我的转账还没到账', false],
      ['scripted', 'Sent 0.5 ETH an hour ago, still nothing', false],
      ['web', '地址是我自己的钱包', false],
      ['web', 'Same person as on Telegram', true],
      ['scripted', 'Checking the transfer now.', false],
      ['scripted', 'tx 0x' + 'ab'.repeat(32), false],
    ]);
    for (const m of items) expect(m.conversationId).toBe(m.channelId === 'web' ? web.id : tg.id);
    expect(items.every((m) => m.channelKind === 'webchat')).toBe(true);
    const times = items.map((m) => Date.parse(m.createdAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('pages back through the timeline without gaps or repeats, and refuses a cursor of someone else', async () => {
    const whole = (await timeline(xiaoming)).items.map((m) => m.id);
    expect(whole.length).toBeGreaterThanOrEqual(6);
    const seen: string[][] = [];
    let before: string | null = null;
    do {
      const page = await timeline(xiaoming, `limit=2${before ? `&before=${before}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.unshift(page.items.map((m) => m.id));
      before = page.nextBefore;
      if (before) expect(before).toBe(page.items[0]!.id);
    } while (before);
    expect(seen.flat()).toEqual(whole);

    const other = await Visitor.create(gateway.url, 'web', { name: 'Alice Walker', email: 'alice.w@example.org' });
    expect((await other.send('How do I change my PIN?')).status).toBe(202);
    const theirs = await conversationWith('How do I change my PIN?');
    alice = theirs.contact.id;
    const [aliceMessage] = (await timeline(alice)).items;
    const refused = await get(`/api/contacts/${xiaoming}/timeline?before=${aliceMessage!.id}`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/^before: /);
    expect((await get(`/api/contacts/${xiaoming}/timeline?limit=0`)).status).toBe(400);
  });

  it('finds a customer by part of a Chinese or English name, the email, a handle, a platform id, the contact id', async () => {
    const found = async (q: string) => {
      const r = await get(`/api/contacts?q=${encodeURIComponent(q)}`);
      expect(r.status).toBe(200);
      return (r.body.items as { id: string }[]).map((c) => c.id);
    };
    // The last scripted message renamed them "Customer tg-777" (the ingest's last writer names the
    // contact); their next web chat message names them 王小明 again.
    expect((await visitor.send('谢谢')).status).toBe(202);
    await eventually(async () => ((await get(`/api/contacts/${xiaoming}`)).body.name === '王小明' ? true : undefined), 10_000, 'the web chat name');
    expect(await found('小明')).toEqual([xiaoming]);
    expect(await found('王')).toEqual([xiaoming]);
    expect(await found('alice')).toEqual([alice]);
    expect(await found('WALK')).toEqual([alice]);
    expect(await found('xiaoming@exa')).toEqual([xiaoming]);
    expect(await found('example.org')).toEqual([alice]);
    expect(await found('XIAOMING_TG')).toEqual([xiaoming]);
    expect(await found('tg-77')).toEqual([xiaoming]);
    expect(await found(xiaoming)).toEqual([xiaoming]);
    // LIKE's wildcards are the customer's characters, not patterns.
    expect(await found('%')).toEqual([]);
    expect(await found('nobody-like-this')).toEqual([]);

    const r = await get(`/api/contacts?q=${encodeURIComponent('example')}`);
    // Both, the most recently active first (王小明 wrote last), with what the result list shows.
    expect(r.body.items.map((c: { id: string }) => c.id)).toEqual([xiaoming, alice]);
    expect(r.body.items[0]).toMatchObject({ name: '王小明', userId: null, conversations: 2 });
    expect(r.body.items[0].identities).toHaveLength(2);
    expect(Date.parse(r.body.items[0].lastActivityAt)).toBe(Date.parse((await get(`/api/conversations/${web.id}`)).body.lastMessageAt));
  });

  it('pages through every customer, and refuses a cursor it did not issue', async () => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const r = await get(`/api/contacts?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBe(1);
      ids.push(r.body.items[0].id);
      cursor = r.body.nextCursor;
    } while (cursor);
    expect(ids).toEqual([xiaoming, alice]);
    const bad = await get('/api/contacts?cursor=not-a-cursor');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^cursor: /);
  });

  it('keeps the team’s notes about a customer; only the author or an admin deletes one', async () => {
    const add = (token: string, body: unknown) => request(gateway.url, 'POST', `/api/contacts/${xiaoming}/notes`, { token, body });
    const first = await add(ana.token, { text: 'Prefers Chinese. Lost funds case #4411 — see both channels.' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ contactId: xiaoming, text: 'Prefers Chinese. Lost funds case #4411 — see both channels.', author: { id: ana.id, name: 'Ana Silva' } });
    const second = await add(bo.token, { text: '已电话联系，客户确认地址无误' });
    expect(second.status).toBe(201);

    const listed = await get(`/api/contacts/${xiaoming}/notes`, bo.token);
    expect(listed.body.items.map((n: { id: string }) => n.id)).toEqual([second.body.id, first.body.id]);
    expect((await get(`/api/contacts/${alice}/notes`)).body.items).toEqual([]);

    const tooLong = await add(ana.token, { text: 'x'.repeat(5001) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toMatch(/^text: /);
    expect((await add(ana.token, { text: '   ' })).status).toBe(400);
    expect((await add(ana.token, { text: 'x'.repeat(5000) })).status).toBe(201);
    const secret = await add(ana.token, { text: `customer pasted ${PHRASE}` });
    expect(secret.status).toBe(422);
    expect(secret.body.error.code).toBe('unsafe_content');
    const texts = (await gateway.deps.db.selectFrom('customer_notes').select('text').execute()).map((n) => n.text);
    expect(texts.some((t) => t.includes('abandon'))).toBe(false);

    const del = (token: string, noteId: string, contactId = xiaoming) => request(gateway.url, 'DELETE', `/api/contacts/${contactId}/notes/${noteId}`, { token });
    expect((await del(bo.token, first.body.id)).status).toBe(403);
    // Addressed under another customer, a note does not exist.
    expect((await del(ana.token, first.body.id, alice)).status).toBe(404);
    expect((await del(ana.token, first.body.id)).status).toBe(204);
    expect((await del(ana.token, first.body.id)).status).toBe(404);
    expect((await del(admin, second.body.id)).status).toBe(204);
    expect((await get(`/api/contacts/${xiaoming}/notes`)).body.items.map((n: { text: string }) => n.text.length)).toEqual([5000]);
  });

  it('shows the customer’s survey answers from every conversation', async () => {
    expect((await request(gateway.url, 'PATCH', `/api/conversations/${tg.id}`, { token: ana.token, body: { status: 'resolved' } })).status).toBe(200);
    await eventually(async () => scripted.delivered.find((text) => /1.*5/su.test(text) && text !== 'Checking the transfer now.'), 10_000, 'the survey');
    await deliver({ id: 'tg-3', from: 'tg-777', text: '4' });
    const answers = await eventually(async () => {
      const r = await get(`/api/contacts/${xiaoming}`);
      return r.body.csat.length > 0 ? r.body : undefined;
    }, 10_000, 'the survey answer');
    expect(answers.csat).toEqual([expect.objectContaining({ conversationId: tg.id, channelId: 'scripted', channelKind: 'webchat', rating: 4, via: 'text' })]);
    expect(answers.conversations.find((c: { id: string }) => c.id === tg.id).csat).toMatchObject({ rating: 4 });
    expect(answers.conversations.find((c: { id: string }) => c.id === web.id).csat).toBeNull();
    // The resolution's system line is in the timeline too, marked private, under its conversation.
    const lines = (await timeline(xiaoming)).items.filter((m) => m.author.type === 'system');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((m) => m.private && m.conversationId === tg.id)).toBe(true);
  });

  it('answers 404 for a customer that does not exist, and 401 without a token', async () => {
    for (const path of ['/api/contacts/nobody', '/api/contacts/nobody/timeline', '/api/contacts/nobody/notes']) {
      const r = await get(path);
      expect(r.status, path).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
    expect((await request(gateway.url, 'POST', '/api/contacts/nobody/notes', { token: ana.token, body: { text: 'hello' } })).status).toBe(404);
    expect((await request(gateway.url, 'GET', '/api/contacts')).status).toBe(401);
  });
});
