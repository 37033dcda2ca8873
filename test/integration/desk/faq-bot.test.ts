import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../../src/domain/index.js';
import { ChoiceChannel, ScriptedChannel } from '../../fakes/scripted-channel.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { SseClient } from '../../support/sse.js';
import { fixtureArticles } from '../../unit/kb-fixtures.js';

/**
 * The FAQ bot end to end (issue 16) through a real gateway on real Postgres and Redis: it answers
 * a confident question with the article and two native options, a tap or "人工" hands the
 * conversation to the team (visible to both sides, assigned by routing, its SLA clock started),
 * and from then on it is silent; it never answers an urgent case or machine mail, never after a
 * person replied, and each answer and handoff happens once however often the platform delivers.
 */
describe('the FAQ bot', () => {
  let gateway: TestGateway;
  let admin: string;
  let ana: { id: string; token: string; stream?: SseClient };
  const tap = new ChoiceChannel('tap', 'buttons');
  const text = new ScriptedChannel('text');
  const plain = new ScriptedChannel('plain');

  beforeAll(async () => {
    gateway = await startTestGateway({
      channels: [],
      extraAdapters: [tap, text, plain],
      desk: { safety: { footer: false }, autoAck: false, csat: { enabled: false }, bot: { enabled: true, channels: ['tap', 'text'] } },
    });
    admin = await loginAdmin(gateway.url);
    // A real help center: the 21 articles of the knowledge base's fixtures, in both languages.
    for (const { slug, tags, en, zh } of fixtureArticles) {
      const created = await request(gateway.url, 'POST', '/api/kb/articles', { token: admin, body: { slug, tags, status: 'published', translations: { en, zh } } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    const agent = await request(gateway.url, 'POST', '/api/agents', { token: admin, body: { email: 'ana@example.com', name: 'Ana', password: 'ana-password-123' } });
    const login = await request(gateway.url, 'POST', '/api/auth/login', { body: { email: 'ana@example.com', password: 'ana-password-123' } });
    ana = { id: agent.body.id, token: login.body.token };
    const team = await request(gateway.url, 'POST', '/api/teams', { token: admin, body: { name: 'Front line', channels: ['tap', 'text'], members: [{ agentId: ana.id, capacity: 50 }] } });
    expect(team.status).toBe(201);
    ana.stream = new SseClient(`${gateway.url}/api/events`, { authorization: `Bearer ${ana.token}` });
    await ana.stream.waitFor((e) => e.event === 'ready');
  });
  afterAll(async () => {
    await ana?.stream?.close();
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
  const botMessages = async (id: string): Promise<Message[]> => (await messages(id)).filter((m) => m.author.type === 'bot');
  const until = <T>(what: string, check: () => Promise<T | undefined>): Promise<T> => eventually(check, 15_000, what);
  /** Time for the desk's reaction to a message that must stay unanswered. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1_000));
  const answerTo = (channel: ChoiceChannel, conversationId: string) => until('the bot’s answer', async () => channel.choices.find((c) => c.address.conversationId === conversationId));

  it('answers a confident question with the article and two native options; nobody is assigned and no clock runs meanwhile', async () => {
    // The platform delivers the question twice (a webhook retry): one answer.
    const question = { id: 'a-1', from: 'a', text: 'hey, my transfer still has not arrived after an hour' };
    await deliver('tap', question);
    await deliver('tap', question);
    const c = await conversationOf('tap', 'a');
    const sent = await answerTo(tap, c.id);
    expect(sent.text).toContain('My transfer has not arrived yet');
    expect(sent.text).toContain('/help/en/transfer-not-arrived');
    expect(sent.choice.options.map((o) => [o.value, o.label])).toEqual([
      ['solved', 'This solved it'],
      ['person', 'Talk to a person'],
    ]);
    await settle();
    expect(tap.choices.filter((x) => x.address.conversationId === c.id)).toHaveLength(1);
    const now = await conversation(c.id);
    expect(now).toMatchObject({ handledBy: 'bot', handoff: null, assigneeId: null, sla: null, firstResponseAt: null });
    const bot = await botMessages(c.id);
    expect(bot).toHaveLength(1);
    expect(bot[0]!.author).toMatchObject({ type: 'bot', name: 'Help bot' });
    expect((await messages(c.id)).filter((m) => m.system?.type === 'bot-answered')).toHaveLength(1);
  });

  it('"Talk to a person" hands off: the customer is told when a person answers, routing assigns it, its clock starts, and the bot stays silent', async () => {
    const c = await conversationOf('tap', 'a');
    const answer = await answerTo(tap, c.id);
    const pick = { id: 'a-pick', from: 'a', text: 'Talk to a person', choice: { id: answer.choice.id, value: 'person' } };
    await deliver('tap', pick);
    await deliver('tap', pick);
    const handed = await until('the handoff', async () => {
      const now = await conversation(c.id);
      return now.handledBy === 'agent' && now.assigneeId ? now : undefined;
    });
    expect(handed.handoff?.reason).toBe('asked');
    expect(handed.assigneeId).toBe(ana.id);
    expect(handed.sla?.firstResponseDueAt).toBeTruthy();
    expect(handed.waitingSince).not.toBeNull();
    const told = await until('the handoff message', async () => (await botMessages(c.id)).find((m) => m.text.startsWith("Sure, I'm passing you to our support team.")));
    expect(told.text).toMatch(/We usually answer here within|we are back/);
    expect((await messages(c.id)).filter((m) => m.system?.type === 'handed-off')).toHaveLength(1);

    // Another question, even one the knowledge base answers: the team's now, the bot says nothing.
    await deliver('tap', { id: 'a-2', from: 'a', text: 'also how do I revoke a token approval' });
    await until('the question stored', async () => ((await messages(c.id)).some((m) => m.externalId === 'a-2') ? true : undefined));
    await settle();
    expect(await botMessages(c.id)).toHaveLength(2);
    // An agent cannot take over what the team already has.
    expect((await request(gateway.url, 'POST', `/api/conversations/${c.id}/handoff`, { token: ana.token })).status).toBe(409);
  });

  it('"人工" typed as text hands off the same way, in Chinese', async () => {
    await deliver('tap', { id: 'b-1', from: 'b', text: '转账还没到账怎么办' });
    const c = await conversationOf('tap', 'b');
    const answer = await answerTo(tap, c.id);
    expect(answer.text).toContain('转账还没到账');
    expect(answer.text).toContain('/help/zh/transfer-not-arrived');
    expect(answer.choice.options.map((o) => o.label)).toEqual(['问题已解决', '转人工']);
    await deliver('tap', { id: 'b-2', from: 'b', text: '人工' });
    const handed = await until('the handoff', async () => {
      const now = await conversation(c.id);
      return now.handledBy === 'agent' && now.assigneeId ? now : undefined;
    });
    expect(handed.handoff?.reason).toBe('asked');
    expect(handed.sla).not.toBeNull();
    await until('the Chinese handoff message', async () => ((await botMessages(c.id)).some((m) => m.text.startsWith('好的，正在为您转接人工客服。')) ? true : undefined));
  });

  it('"This solved it" resolves the conversation without a person, and the report counts it as deflected', async () => {
    await deliver('tap', { id: 'd-1', from: 'd', text: 'how do I revoke a token approval' });
    const c = await conversationOf('tap', 'd');
    const answer = await answerTo(tap, c.id);
    expect(answer.text).toContain('Token approvals and how to revoke them');
    await deliver('tap', { id: 'd-pick', from: 'd', text: 'This solved it', choice: { id: answer.choice.id, value: 'solved' } });
    const solved = await until('resolved by the bot', async () => {
      const now = await conversation(c.id);
      return now.status === 'resolved' ? now : undefined;
    });
    expect(solved).toMatchObject({ handledBy: 'bot', assigneeId: null, firstResponseAt: null, waitingSince: null });
    await until('the goodbye', async () => ((await botMessages(c.id)).some((m) => m.text.startsWith('Great, glad it helped!')) ? true : undefined));
    // A later tap on "Talk to a person" still reaches a person: it reopens for the team (the answer stays counted as solved).
    await deliver('tap', { id: 'd-late', from: 'd', text: 'Talk to a person', choice: { id: answer.choice.id, value: 'person' } });
    const reopened = await until('reopened for the team', async () => {
      const now = await conversation(c.id);
      return now.handledBy === 'agent' ? now : undefined;
    });
    expect(reopened).toMatchObject({ status: 'open', handoff: { reason: 'asked' } });

    const report = await request(gateway.url, 'GET', '/api/reports/self-service', { token: ana.token });
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ answered: 3, solved: 1, handedOff: 2 });
    expect(report.body.deflectionRate).toBeCloseTo(1 / 3);
    expect(report.body.handoffs.asked).toBeGreaterThanOrEqual(2);
    expect(report.body.articles.find((a: { title: string }) => a.title === 'Token approvals and how to revoke them')).toMatchObject({ answered: 1, solved: 1 });
    expect((await request(gateway.url, 'GET', '/api/reports/self-service?from=2027-01-02T00:00:00Z&to=2027-01-01T00:00:00Z', { token: ana.token })).status).toBe(400);
  });

  it('never answers a conversation triaged urgent: it is the team’s from the first message', async () => {
    await deliver('tap', { id: 'u-1', from: 'u', text: 'HELP my wallet was drained, all my funds were stolen and my transfer has not arrived' });
    const c = await conversationOf('tap', 'u');
    await settle();
    const now = await conversation(c.id);
    expect(now.priority).toBe('urgent');
    expect(now.handledBy).toBe('agent');
    expect(now.sla).not.toBeNull();
    expect(await botMessages(c.id)).toHaveLength(0);
    expect(tap.choices.some((x) => x.address.conversationId === c.id)).toBe(false);
  });

  it('a question it cannot answer goes to the team at once, saying so', async () => {
    await deliver('tap', { id: 'n-1', from: 'n', text: 'can you sponsor our football club next season' });
    const c = await conversationOf('tap', 'n');
    const handed = await until('the handoff', async () => {
      const now = await conversation(c.id);
      return now.handledBy === 'agent' ? now : undefined;
    });
    expect(handed.handoff?.reason).toBe('no-answer');
    await until('the message', async () => ((await botMessages(c.id)).some((m) => m.text.startsWith("I couldn't find an answer")) ? true : undefined));
  });

  it('stops for good once a person replied, even before any handoff', async () => {
    await deliver('tap', { id: 'p-1', from: 'p', text: 'hello' });
    const c = await conversationOf('tap', 'p');
    await until('the greeting', async () => ((await botMessages(c.id)).some((m) => m.text.startsWith('Hi! I am the help bot.')) ? true : undefined));
    expect((await request(gateway.url, 'POST', `/api/conversations/${c.id}/messages`, { token: ana.token, body: { text: 'Hi, Ana here, how can I help?' } })).status).toBe(202);
    const taken = await until('taken over', async () => {
      const now = await conversation(c.id);
      return now.handledBy === 'agent' ? now : undefined;
    });
    expect(taken.handoff?.reason).toBe('taken-over');
    await deliver('tap', { id: 'p-2', from: 'p', text: 'my transfer has not arrived yet' });
    await until('the question stored', async () => ((await messages(c.id)).some((m) => m.externalId === 'p-2') ? true : undefined));
    await settle();
    expect(await botMessages(c.id)).toHaveLength(1);
  });

  it('on a channel without buttons it spells the options out, and a typed "1" confirms', async () => {
    await deliver('text', { id: 't-1', from: 't', text: 'transfer not received after 1 hour, what to do' });
    const c = await conversationOf('text', 't');
    const answer = await until('the answer', async () => (await botMessages(c.id))[0]);
    expect(answer.text).toMatch(/Reply 1 if it did, or 2 \(or "human"\)/);
    expect(answer.choice ?? null).toBeNull();
    await deliver('text', { id: 't-2', from: 't', text: '1' });
    await until('resolved', async () => ((await conversation(c.id)).status === 'resolved' ? true : undefined));
  });

  it('an agent takes a conversation over from the bot; machine mail and channels it is off for are never its', async () => {
    await deliver('tap', { id: 'o-1', from: 'o', text: 'hi there' });
    const c = await conversationOf('tap', 'o');
    expect((await conversation(c.id)).handledBy).toBe('bot');
    const taken = await request<Conversation>(gateway.url, 'POST', `/api/conversations/${c.id}/handoff`, { token: ana.token });
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ handledBy: 'agent', handoff: { reason: 'taken-over' } });
    await until('its clock', async () => ((await conversation(c.id)).sla ? true : undefined));
    expect((await messages(c.id)).find((m) => m.system?.type === 'handed-off')?.system).toEqual({ type: 'handed-off', params: { by: 'Ana', reason: 'taken-over' } });

    await deliver('tap', { id: 'm-1', from: 'm', text: 'Automatic reply: I am out of office until Monday', automated: true });
    const machine = await conversationOf('tap', 'm');
    await deliver('plain', { id: 'x-1', from: 'x', text: 'my transfer has not arrived' });
    const off = await conversationOf('plain', 'x');
    await settle();
    expect((await conversation(machine.id)).handledBy).toBe('agent');
    expect((await conversation(off.id)).handledBy).toBe('agent');
    expect(await botMessages(machine.id)).toHaveLength(0);
    expect(await botMessages(off.id)).toHaveLength(0);
  });
});
