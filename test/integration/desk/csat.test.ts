import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../../src/domain/index.js';
import { ChoiceChannel, ScriptedChannel } from '../../fakes/scripted-channel.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';

/**
 * Satisfaction surveys end to end (issue 15) through a real gateway: one survey per resolution,
 * presented as the channel can (buttons, links, typed numbers), the first answer stored once,
 * a comment after it, low scores reopened for a supervisor, questions reopened as questions,
 * and signed rating links that cannot be forged, replayed or moved to another conversation.
 */
describe('satisfaction surveys', () => {
  let gateway: TestGateway;
  let admin: string;
  let supervisor: { id: string; name: string };
  const tap = new ChoiceChannel('tap', 'buttons');
  const mail = new ChoiceChannel('mail', 'links');
  const text = new ScriptedChannel('text');

  beforeAll(async () => {
    gateway = await startTestGateway({
      channels: [],
      extraAdapters: [tap, mail, text],
      desk: { safety: { footer: false }, autoAck: false, csat: { enabled: true, delay: '0s' } },
    });
    admin = await loginAdmin(gateway.url);
    const created = await request(gateway.url, 'POST', '/api/agents', { token: admin, body: { email: 'sue@example.com', name: 'Sue Lead', password: 'sue-password-123' } });
    supervisor = { id: created.body.id, name: 'Sue Lead' };
    const team = await request(gateway.url, 'POST', '/api/teams', { token: admin, body: { name: 'Taps', supervisorId: supervisor.id, channels: ['tap'], autoAssign: false } });
    expect(team.status).toBe(201);
  });
  afterAll(async () => {
    await gateway?.dispose();
  });

  const deliver = async (channel: string, body: Record<string, unknown>): Promise<void> => {
    const r = await request(gateway.url, 'POST', `/webhooks/${channel}`, { headers: { 'x-secret': 'scripted-secret' }, body });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };
  const conversationOf = (channel: string, from: string): Promise<Conversation> =>
    eventually(async () => {
      const list = await request<{ items: Conversation[] }>(gateway.url, 'GET', `/api/conversations?channel=${channel}&limit=100`, { token: admin });
      return list.body.items.find((c) => c.contact.identities.some((i) => i.externalId === from));
    });
  const conversation = async (id: string): Promise<Conversation> => (await request<Conversation>(gateway.url, 'GET', `/api/conversations/${id}`, { token: admin })).body;
  const messages = async (id: string): Promise<Message[]> => (await request<{ items: Message[] }>(gateway.url, 'GET', `/api/conversations/${id}/messages?limit=200`, { token: admin })).body.items;
  const until = <T>(what: string, check: () => Promise<T | undefined>): Promise<T> => eventually(check, 15_000, what);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 800));

  /** A customer writes, an agent answers, the agent resolves: the survey's trigger. */
  const resolvedCase = async (channel: string, from: string, question: string): Promise<Conversation> => {
    await deliver(channel, { id: `${from}-q`, from, text: question });
    const c = await conversationOf(channel, from);
    expect((await request(gateway.url, 'POST', `/api/conversations/${c.id}/messages`, { token: admin, body: { text: 'It arrived now, see the explorer link.' } })).status).toBe(202);
    expect((await request(gateway.url, 'PATCH', `/api/conversations/${c.id}`, { token: admin, body: { status: 'resolved' } })).status).toBe(200);
    return c;
  };
  const surveyOf = (channel: ChoiceChannel, from: string) =>
    until(`the survey to ${from}`, async () => channel.choices.find((c) => c.address.contactExternalId === from || c.address.threadKey === from));

  it('a resolved conversation gets one survey as buttons; a tap is the rating, stored once, and nobody waits', async () => {
    const c = await resolvedCase('tap', 'c1', 'Where is my USDT withdrawal?');
    const survey = await surveyOf(tap, 'c1');
    expect(survey.text).toMatch(/rate/i);
    expect(survey.choice.options.map((o) => o.value)).toEqual(['1', '2', '3', '4', '5']);
    expect(survey.choice.options[3]).toMatchObject({ label: '4 ★★★★', answered: 'Thanks, you rated us 4/5.' });
    expect(survey.choice.options.every((o) => o.url === undefined)).toBe(true);

    // The platform delivers the tap twice (a webhook retry).
    const pick = { id: 'cb-c1-1', from: 'c1', text: '4 ★★★★', choice: { id: survey.choice.id, value: '4' } };
    await deliver('tap', pick);
    await deliver('tap', pick);
    const rated = await until('the rating', async () => {
      const now = await conversation(c.id);
      return now.csat ? now : undefined;
    });
    expect(rated.csat).toMatchObject({ rating: 4, comment: null, via: 'tap' });
    expect(rated.status).toBe('resolved');
    expect(rated.waitingSince).toBeNull();
    await until('the comment prompt', async () => (tap.delivered.some((t) => t.startsWith('Thank you! Is there anything')) ? true : undefined));

    // A second tap (another score) changes nothing: the first answer wins.
    await deliver('tap', { id: 'cb-c1-2', from: 'c1', text: '1 ★', choice: { id: survey.choice.id, value: '1' } });
    await deliver('tap', { id: 'c1-thanks', from: 'c1', text: 'Fast and friendly, thank you' });
    await until('the comment', async () => ((await conversation(c.id)).csat?.comment ? true : undefined));
    const after = await conversation(c.id);
    expect(after.csat).toMatchObject({ rating: 4, comment: 'Fast and friendly, thank you' });
    expect(after.status).toBe('resolved');
    expect(after.assigneeId).toBeNull();

    const stored = await messages(c.id);
    const picks = stored.filter((m) => m.choice?.picked);
    expect(picks.map((m) => [m.externalId, m.choice!.picked])).toEqual([
      ['cb-c1-1', '4'],
      ['cb-c1-2', '1'],
    ]);
    const question = stored.find((m) => m.author.type === 'bot' && m.choice);
    expect(question?.choice).toEqual({ id: survey.choice.id, options: survey.choice.options.map((o) => ({ value: o.value, label: o.label })), picked: null });
    expect(stored.filter((m) => m.system?.type === 'csat-rated')).toHaveLength(1);

    // Events about the resolved conversation again (a label, resolving it again) send no second survey.
    await request(gateway.url, 'PATCH', `/api/conversations/${c.id}`, { token: admin, body: { labels: ['usdt'] } });
    await request(gateway.url, 'PATCH', `/api/conversations/${c.id}`, { token: admin, body: { status: 'resolved' } });
    await settle();
    expect(tap.choices.filter((s) => s.address.conversationId === c.id)).toHaveLength(1);
  });

  it('a new resolution gets a new survey; a score of 1 reopens it for the team’s supervisor without making anyone wait', async () => {
    const c = await conversationOf('tap', 'c1');
    await deliver('tap', { id: 'c1-q2', from: 'c1', text: 'One more thing: my deposit is missing' });
    await until('reopened', async () => ((await conversation(c.id)).status === 'open' ? true : undefined));
    await request(gateway.url, 'POST', `/api/conversations/${c.id}/messages`, { token: admin, body: { text: 'Credited now.' } });
    await request(gateway.url, 'PATCH', `/api/conversations/${c.id}`, { token: admin, body: { status: 'resolved' } });
    const second = await until('the second survey', async () => tap.choices.filter((s) => s.address.conversationId === c.id)[1]);
    await deliver('tap', { id: 'cb-c1-3', from: 'c1', text: '1 ★', choice: { id: second.choice.id, value: '1' } });
    const low = await until('the low score', async () => {
      const now = await conversation(c.id);
      return now.csat?.rating === 1 ? now : undefined;
    });
    expect(low.status).toBe('open');
    expect(low.assigneeId).toBe(supervisor.id);
    expect(low.waitingSince).toBeNull();
    expect((await messages(c.id)).some((m) => m.system?.type === 'csat-low' && m.system.params.assignee === supervisor.name)).toBe(true);
    await until('the apology', async () => (tap.delivered.some((t) => t.startsWith('We are sorry we let you down')) ? true : undefined));
  });

  it('a score of 5 leaves the conversation resolved', async () => {
    const c = await resolvedCase('tap', 'c2', 'How do I back up my wallet?');
    const survey = await surveyOf(tap, 'c2');
    await deliver('tap', { id: 'cb-c2', from: 'c2', text: '5', choice: { id: survey.choice.id, value: '5' } });
    const rated = await until('the rating', async () => ((await conversation(c.id)).csat ? conversation(c.id) : undefined));
    expect(rated).toMatchObject({ status: 'resolved', assigneeId: null, csat: { rating: 5 } });
    expect(rated.labels).not.toContain('low-rating');
  });

  it('a pick for another conversation’s survey answers nothing', async () => {
    const victim = await resolvedCase('tap', 'c3', 'Is my account safe?');
    const survey = await surveyOf(tap, 'c3');
    await deliver('tap', { id: 'c4-q', from: 'c4', text: 'hello' });
    const attacker = await conversationOf('tap', 'c4');
    await deliver('tap', { id: 'cb-forged', from: 'c4', text: '1', choice: { id: survey.choice.id, value: '1' } });
    await until('the forged pick stored', async () => ((await messages(attacker.id)).some((m) => m.externalId === 'cb-forged') ? true : undefined));
    await settle();
    expect((await conversation(victim.id)).csat).toBeNull();
    expect((await conversation(attacker.id)).csat).toBeNull();
  });

  it('on a channel without buttons the survey asks for a number, and a bare typed score is the answer', async () => {
    const c = await resolvedCase('text', 't1', 'My withdrawal is pending');
    await until('the text survey', async () => (text.delivered.some((t) => t.includes('Reply with a number from 1 to 5')) ? true : undefined));
    await deliver('text', { id: 't1-5', from: 't1', text: ' 5 ' });
    const rated = await until('the typed rating', async () => ((await conversation(c.id)).csat ? conversation(c.id) : undefined));
    expect(rated).toMatchObject({ status: 'resolved', waitingSince: null, csat: { rating: 5, via: 'text' } });
  });

  it('the survey speaks Chinese to a Chinese customer, and “不满意” is a low score that flags the conversation', async () => {
    const c = await resolvedCase('text', 't2', '我的提现一直没到账');
    await until('the Chinese survey', async () => (text.delivered.some((t) => t.startsWith('您对本次服务满意吗？请回复数字')) ? true : undefined));
    await deliver('text', { id: 't2-a', from: 't2', text: '不满意' });
    const low = await until('the low score', async () => ((await conversation(c.id)).csat?.rating === 2 ? conversation(c.id) : undefined));
    expect(low.status).toBe('open');
    expect(low.labels).toContain('low-rating');
    expect(low.assigneeId).toBeNull();
  });

  it('a question instead of a score ends the survey and reopens the conversation with the customer waiting', async () => {
    const c = await resolvedCase('text', 't3', 'Fees are too high');
    await until('the survey', async () => (text.delivered.filter((t) => t.includes('Reply with a number')).length >= 2 ? true : undefined));
    await deliver('text', { id: 't3-b', from: 't3', text: 'Wait, why was I charged twice?' });
    const reopened = await until('reopened', async () => ((await conversation(c.id)).status === 'open' ? conversation(c.id) : undefined));
    expect(reopened.waitingSince).not.toBeNull();
    expect(reopened.csat).toBeNull();
    // The survey is over: a number now is an ordinary message.
    await deliver('text', { id: 't3-c', from: 't3', text: '3' });
    await settle();
    expect((await conversation(c.id)).csat).toBeNull();
  });

  describe('signed rating links', () => {
    let conversationId: string;
    let links: { value: string; url: string }[];
    const path = (url: string): string => (url.startsWith('/') ? url : new URL(url).pathname);
    const form = (url: string, body: string) =>
      fetch(`${gateway.url}${path(url)}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });

    beforeAll(async () => {
      conversationId = (await resolvedCase('mail', 'm1@example.com', 'Please close my account')).id;
      const survey = await surveyOf(mail, 'm1@example.com');
      links = survey.choice.options.map((o) => ({ value: o.value, url: o.url! }));
      expect(links.every((l) => l.url.startsWith(`${gateway.config.publicUrl}/csat/`))).toBe(true);
    });

    it('opening a link shows a confirm page and records nothing', async () => {
      const page = await fetch(`${gateway.url}${path(links[3]!.url)}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(page.headers.get('cache-control')).toBe('no-store');
      const html = await page.text();
      expect(html).toContain('You chose 4/5');
      expect(html).toContain('<form method="post">');
      expect(html).not.toMatch(/<script/i);
      await settle();
      expect((await conversation(conversationId)).csat).toBeNull();
      // The API never shows the signed links.
      const question = (await messages(conversationId)).find((m) => m.choice);
      expect(JSON.stringify(question)).not.toContain('/csat/');
    });

    it('a forged, swapped or malformed token is refused (403) and changes nothing', async () => {
      const token = path(links[4]!.url).split('/').pop()!;
      const [survey, rating, expiry, sig] = token.split('.') as [string, string, string, string];
      const flipped = `${survey}.${rating}.${expiry}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`;
      const otherScore = `${survey}.1.${expiry}.${sig}`;
      const otherSurvey = `${survey.slice(0, -1)}${survey.endsWith('0') ? '1' : '0'}.${rating}.${expiry}.${sig}`;
      for (const bad of [flipped, otherScore, otherSurvey, 'nonsense', `${survey}.${rating}.${expiry}`]) {
        const page = await form(`/csat/${encodeURIComponent(bad)}`, 'comment=hacked');
        expect(page.status, bad).toBe(403);
        expect((await fetch(`${gateway.url}/csat/${encodeURIComponent(bad)}`)).status).toBe(403);
      }
      expect((await conversation(conversationId)).csat).toBeNull();
    });

    it('an expired link is refused (410), even when it is correctly signed', async () => {
      const secret = readFileSync(join(gateway.dataDir, 'secret-key'), 'utf8').trim();
      const key = createHmac('sha256', secret).update('switchboard/csat-link/v1').digest();
      const survey = path(links[0]!.url).split('/').pop()!.split('.')[0]!;
      const payload = `${survey}.2.${Math.floor(Date.now() / 1000 - 60).toString(36)}`;
      const expired = `${payload}.${createHmac('sha256', key).update(payload).digest('base64url')}`;
      expect((await form(`/csat/${expired}`, '')).status).toBe(410);
      expect((await conversation(conversationId)).csat).toBeNull();
    });

    it('the form records the score with its comment, once; every link of the survey then answers 409', async () => {
      const sent = await form(links[3]!.url, new URLSearchParams({ comment: 'Quick <b>answer</b>' }).toString());
      expect(sent.status).toBe(200);
      expect(await sent.text()).toContain('Your rating was recorded');
      const rated = await until('the link rating', async () => ((await conversation(conversationId)).csat ? conversation(conversationId) : undefined));
      expect(rated.csat).toMatchObject({ rating: 4, comment: 'Quick <b>answer</b>', via: 'link' });
      expect(rated.status).toBe('resolved');
      expect((await form(links[3]!.url, '')).status).toBe(409);
      expect((await form(links[0]!.url, '')).status).toBe(409);
      expect((await fetch(`${gateway.url}${path(links[1]!.url)}`)).status).toBe(409);
      expect((await conversation(conversationId)).csat?.rating).toBe(4);
      // The inbox filters by the answer.
      const ids = async (filter: string) =>
        (await request<{ items: Conversation[] }>(gateway.url, 'GET', `/api/conversations?csat=${filter}&limit=100`, { token: admin })).body.items.map((c) => c.id);
      expect(await ids('4')).toContain(conversationId);
      expect(await ids('high')).toContain(conversationId);
      expect(await ids('rated')).toContain(conversationId);
      expect(await ids('low')).not.toContain(conversationId);
      expect(await ids('unrated')).not.toContain(conversationId);
      expect((await request(gateway.url, 'GET', '/api/conversations?csat=7', { token: admin })).status).toBe(400);
      // No comment prompt by mail: the page had the comment box.
      await settle();
      expect(mail.delivered.some((t) => t.startsWith('Thank you! Is there anything'))).toBe(false);
    });
  });
});
