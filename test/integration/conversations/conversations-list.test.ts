import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../../../src/domain/index.js';
import { ScriptedChannel } from '../../fakes/scripted-channel.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { Visitor } from '../../support/visitor.js';
import { conversationOf, createAgent, deliver } from './helpers.js';

/**
 * One fixed inbox, built in beforeAll and only read by the tests: seven ScriptedChannel customers
 * with controlled sent times (two share one, so a page boundary falls inside a tie) and one web
 * chat visitor who wrote just now. Names in assertions are contact names, for readable failures.
 */
const minute = (n: number): string => new Date(Date.UTC(2025, 2, 1, 10, n)).toISOString();
const customers = [
  { from: 'alice', sentAt: minute(1), text: 'I want a 100% refund of the fee' },
  { from: 'bob', sentAt: minute(2), text: 'my wallet_id is 7731' },
  { from: 'carol', sentAt: minute(3), text: '我昨天在一个网站上输入了助记词，现在资金不见了' },
  { from: 'dave', sentAt: minute(4), text: 'cannot sign in since the update' },
  { from: 'erin', sentAt: minute(5), text: 'withdrawal stuck for two days' },
  { from: 'frank', sentAt: minute(5), text: '你好，我的充值还没到账' },
  { from: 'grace', sentAt: minute(6), text: 'where is my deposit' },
];
const WEB = 'Zhang Wei';
const name = (from: string): string => `Customer ${from}`;

describe('GET /api/conversations: order, paging, filters and search', () => {
  let gateway: TestGateway;
  let token: string;
  let second: { id: string; token: string };
  const ids = new Map<string, string>();
  /** Contact names of the whole inbox as one unpaged list returns them. */
  let everyone: string[];

  const list = (query: string, as = token) => request<{ items: Conversation[]; nextCursor: string | null }>(gateway.url, 'GET', `/api/conversations?${query}`, { token: as });
  const names = async (query: string, as = token): Promise<string[]> => {
    const response = await list(query, as);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.items.map((c) => c.contact.name);
  };
  const patch = async (from: string, body: Record<string, unknown>): Promise<void> => {
    const response = await request(gateway.url, 'PATCH', `/api/conversations/${ids.get(from)}`, { token, body });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
  };

  beforeAll(async () => {
    gateway = await startTestGateway({ extraAdapters: [new ScriptedChannel()] });
    token = await loginAdmin(gateway.url);
    second = await createAgent(gateway.url, token, { email: 'second@example.com', name: 'Second Agent' });
    for (const c of customers) await deliver(gateway.url, { id: `${c.from}-1`, from: c.from, text: c.text, sentAt: c.sentAt });
    for (const c of customers) ids.set(c.from, (await conversationOf(gateway.url, token, c.from)).id);
    const visitor = await Visitor.create(gateway.url, 'web', { name: WEB, email: 'zhang.wei@example.cn' });
    expect((await visitor.send('hello from the website widget')).status).toBe(202);
    await eventually(async () => ((await list('channel=web')).body.items.length === 1 ? true : undefined), 10_000, 'web conversation');

    await patch('bob', { status: 'resolved' });
    await patch('carol', { status: 'pending' });
    await patch('dave', { assigneeId: (await request(gateway.url, 'GET', '/api/me', { token })).body.id });
    await patch('erin', { assigneeId: second.id });
    await patch('frank', { priority: 'urgent' });
    await patch('grace', { priority: 'high', labels: ['vip'] });
    await patch('alice', { labels: ['kyc', 'vip'] });
    everyone = await names('limit=100');
  });
  afterAll(async () => gateway?.dispose());

  it('lists conversations newest activity first', async () => {
    const response = await list('limit=100');
    expect(response.body.nextCursor).toBeNull();
    // erin and frank share a sent time: either order is newest-first, but it must be stable.
    const tie = everyone.slice(2, 4);
    expect([...tie].sort()).toEqual([name('erin'), name('frank')]);
    expect(everyone).toEqual([WEB, name('grace'), ...tie, name('dave'), name('carol'), name('bob'), name('alice')]);
    expect(response.body.items.map((c) => c.contact.name)).toEqual(everyone);
    const times = response.body.items.map((c) => c.lastMessageAt);
    expect(Date.parse(times[0]!)).toBeGreaterThan(Date.parse(minute(6)));
    expect(times.slice(1)).toEqual([minute(6), minute(5), minute(5), minute(4), minute(3), minute(2), minute(1)]);
  });

  it('paging with limit=3 and nextCursor visits every conversation exactly once, in order, across a tie at a page boundary', async () => {
    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const response = await list(`limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      pages.push(response.body.items.map((c) => c.contact.name));
      cursor = response.body.nextCursor;
    } while (cursor !== null && pages.length < 10);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 2]);
    // erin and frank share a sent time and sit at positions 2 and 3: one on each side of the first boundary.
    expect(pages.flat()).toEqual(everyone);
  });

  it('status filter returns exactly the conversations in that status', async () => {
    expect(await names('status=resolved')).toEqual([name('bob')]);
    expect(await names('status=pending')).toEqual([name('carol')]);
    expect(await names('status=open')).toEqual(everyone.filter((n) => n !== name('bob') && n !== name('carol')));
    expect(await names('status=snoozed')).toEqual([]);
  });

  it('channel filter returns exactly that channel’s conversations', async () => {
    expect(await names('channel=web')).toEqual([WEB]);
    expect(await names('channel=scripted')).toEqual(everyone.filter((n) => n !== WEB));
    expect(await names('channel=nope')).toEqual([]);
  });

  it('assignee filter takes an agent id, `me` (the caller) or `unassigned`', async () => {
    expect(await names(`assignee=${second.id}`)).toEqual([name('erin')]);
    expect(await names('assignee=me')).toEqual([name('dave')]);
    expect(await names('assignee=me', second.token)).toEqual([name('erin')]);
    expect(await names('assignee=no-such-agent')).toEqual([]);
    expect(await names('assignee=unassigned')).toEqual(everyone.filter((n) => n !== name('dave') && n !== name('erin')));
  });

  it('priority filter returns exactly the conversations with that priority', async () => {
    expect(await names('priority=urgent')).toEqual([name('frank')]);
    expect(await names('priority=high')).toEqual([name('grace')]);
    expect(await names('priority=low')).toEqual([]);
    expect(await names('priority=normal')).toEqual(everyone.filter((n) => n !== name('frank') && n !== name('grace')));
  });

  it('label filter matches a whole label among several, not a prefix', async () => {
    expect(await names('label=vip')).toEqual([name('grace'), name('alice')]);
    expect(await names('label=kyc')).toEqual([name('alice')]);
    expect(await names('label=vi')).toEqual([]);
  });

  it('q finds a Chinese substring inside a longer Chinese message', async () => {
    expect(await names(`q=${encodeURIComponent('助记词')}`)).toEqual([name('carol')]);
    expect(await names(`q=${encodeURIComponent('充值')}`)).toEqual([name('frank')]);
  });

  it('q matches message text case-insensitively and the contact name', async () => {
    expect(await names('q=WITHDRAWAL')).toEqual([name('erin')]);
    // "Zhang Wei" is only the web visitor's name, never in a message.
    expect(await names(`q=${encodeURIComponent('zhang wei')}`)).toEqual([WEB]);
    expect(await names(`q=${encodeURIComponent('Customer grace')}`)).toEqual([name('grace')]);
  });

  it('q treats % and _ literally instead of as LIKE wildcards', async () => {
    expect(await names(`q=${encodeURIComponent('%')}`)).toEqual([name('alice')]);
    expect(await names(`q=${encodeURIComponent('0% r')}`)).toEqual([name('alice')]);
    expect(await names(`q=${encodeURIComponent('_')}`)).toEqual([name('bob')]);
    expect(await names(`q=${encodeURIComponent('t_i')}`)).toEqual([name('bob')]);
  });

  it('filters combine with each other, with q and with paging', async () => {
    expect(await names('q=my')).toEqual([name('grace'), name('bob')]);
    expect(await names('status=open&q=my')).toEqual([name('grace')]);
    expect(await names('label=vip&priority=high')).toEqual([name('grace')]);

    const walked: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await list(`assignee=unassigned&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      walked.push(...response.body.items.map((c) => c.contact.name));
      cursor = response.body.nextCursor;
    } while (cursor !== null && walked.length < 20);
    expect(walked).toEqual(everyone.filter((n) => n !== name('dave') && n !== name('erin')));
  });

  it.each([
    ['0', 'limit'],
    ['1000', 'limit'],
    ['abc', 'limit'],
    ['2.5', 'limit'],
  ])('limit=%s is a 400 naming the field', async (value, field) => {
    const response = await list(`limit=${value}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'validation' } });
    expect((response.body as unknown as { error: { message: string } }).error.message).toMatch(new RegExp(`^${field}:`));
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor'],
    ['JSON of the wrong shape', Buffer.from(JSON.stringify({ t: 'yesterday', id: 7 })).toString('base64url')],
    ['a JSON array', Buffer.from('[1,2]').toString('base64url')],
  ])('a forged cursor (%s) is a 400 naming `cursor`', async (_what, cursor) => {
    const response = await list(`cursor=${encodeURIComponent(cursor)}`);
    expect(response.status).toBe(400);
    expect((response.body as unknown as { error: { message: string } }).error.message).toMatch(/^cursor:/);
  });
});
