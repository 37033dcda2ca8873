import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../../src/domain/index.js';
import { ScriptedChannel } from '../../fakes/scripted-channel.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { Visitor } from '../../support/visitor.js';
import { fixtureArticles } from '../../unit/kb-fixtures.js';

interface Envelope {
  type: string;
  data: { id: string; conversationId?: string; text?: string; author?: { type: string } };
}

/**
 * A bot service as a team would run it: a real HTTP server that verifies each delivery with the
 * `standardwebhooks` package and answers a customer's message through the API with its token.
 */
function botService(base: () => string, reply: (text: string) => string) {
  const verified: Envelope[] = [];
  const rejected: string[] = [];
  const answered: { status: number; body: unknown }[] = [];
  let secret = '';
  let token = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let event: Envelope;
      try {
        event = new Webhook(secret).verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>) as Envelope;
      } catch {
        rejected.push(String(req.headers['webhook-id']));
        res.writeHead(401).end('bad signature');
        return;
      }
      verified.push(event);
      res.writeHead(204).end();
      // Answer only the customer: the bot's own message comes back as message.created too.
      if (event.type === 'message.created' && event.data.author?.type === 'contact' && event.data.conversationId) {
        void request(base(), 'POST', `/api/conversations/${event.data.conversationId}/messages`, { token, body: { text: reply(event.data.text ?? '') } }).then((r) => answered.push({ status: r.status, body: r.body }));
      }
    });
  });
  return {
    server,
    verified,
    rejected,
    answered,
    url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    arm: (s: string, t: string) => {
      secret = s;
      token = t;
    },
  };
}

/** Agent bots end to end (issue 18 part 3): webhook in, API reply out, handoff, and the limits of a bot token. */
describe('agent bots: delivery and answer through a real bot service', () => {
  let gateway: TestGateway;
  let admin: string;
  const rasa = botService(() => gateway.url, (text) => `Rasa heard: ${text}`);
  const other = botService(() => gateway.url, () => 'the other bot');
  const chat = new ScriptedChannel('chat');
  const faq = new ScriptedChannel('faq');
  const plain = new ScriptedChannel('plain');
  let rasaBot: { id: string; token: string };
  let otherBot: { id: string; token: string };

  const createBot = async (name: string, url: string, channels: string[]) => {
    const created = await request<{ bot: { id: string; channels: string[] }; token: string; webhookSecret: string }>(gateway.url, 'POST', '/api/agent-bots', { token: admin, body: { name, webhookUrl: url, channels } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.webhookSecret).toMatch(/^whsec_/);
    return created.body;
  };
  const conversation = async (id: string): Promise<Conversation> => (await request<Conversation>(gateway.url, 'GET', `/api/conversations/${id}`, { token: admin })).body;
  const messages = async (id: string): Promise<Message[]> => (await request<{ items: Message[] }>(gateway.url, 'GET', `/api/conversations/${id}/messages?limit=200`, { token: admin })).body.items;
  const conversationOn = (channel: string, from: string): Promise<Conversation> =>
    eventually(async () => {
      const list = await request<{ items: Conversation[] }>(gateway.url, 'GET', `/api/conversations?channel=${channel}&limit=100`, { token: admin });
      return list.body.items.find((c) => c.contact.identities.some((i) => i.externalId === from));
    }, 15_000, `the conversation on ${channel}`);
  const deliver = async (channel: string, body: Record<string, unknown>): Promise<void> => {
    const r = await request(gateway.url, 'POST', `/webhooks/${channel}`, { headers: { 'x-secret': 'scripted-secret' }, body });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };
  // The question the FAQ bot answers confidently from the fixtures' help center (see faq-bot.test.ts).
  const QUESTION = 'hey, my transfer still has not arrived after an hour';

  beforeAll(async () => {
    for (const s of [rasa.server, other.server]) {
      s.listen(0, '127.0.0.1');
      await once(s, 'listening');
    }
    gateway = await startTestGateway({
      extraAdapters: [chat, faq, plain],
      desk: { safety: { footer: false }, autoAck: false, csat: { enabled: false }, webhooks: { retrySchedule: ['1s'] }, bot: { enabled: true, channels: ['web', 'faq'] } },
    });
    admin = await loginAdmin(gateway.url);
    for (const { slug, tags, en, zh } of fixtureArticles) {
      const created = await request(gateway.url, 'POST', '/api/kb/articles', { token: admin, body: { slug, tags, status: 'published', translations: { en, zh } } });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
    }
    const a = await createBot('Rasa', rasa.url(), ['web']);
    rasa.arm(a.webhookSecret, a.token);
    rasaBot = { id: a.bot.id, token: a.token };
    const b = await createBot('Other', other.url(), ['chat']);
    other.arm(b.webhookSecret, b.token);
    otherBot = { id: b.bot.id, token: b.token };
    // The webhooks feature's cached endpoint list (what the ingest asks) refreshes every few seconds.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
  });
  afterAll(async () => {
    await gateway?.dispose();
    rasa.server.close();
    other.server.close();
  });

  it('the bot receives signed conversation.created and message.created, answers through the API, the visitor sees it, then it hands off', async () => {
    const visitor = await Visitor.create(gateway.url, 'web');
    expect((await visitor.send(QUESTION)).status).toBe(202);
    const created = await eventually(async () => rasa.verified.find((e) => e.type === 'conversation.created'), 15_000, 'conversation.created at the bot');
    const customer = await eventually(async () => rasa.verified.find((e) => e.type === 'message.created' && e.data.author?.type === 'contact'), 15_000, 'message.created at the bot');
    expect(customer.data.text).toBe(QUESTION);
    const conversationId = created.data.id;
    expect(customer.data.conversationId).toBe(conversationId);
    expect(await conversation(conversationId)).toMatchObject({ handledBy: 'bot', botId: rasaBot.id });

    const answer = await eventually(async () => rasa.answered[0], 15_000, 'the bot’s API answer');
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    const seen = await eventually(async () => {
      const items = (await visitor.history()).body.items as { text: string }[];
      return items.find((m) => m.text === `Rasa heard: ${QUESTION}`);
    }, 15_000, 'the bot’s reply in the visitor’s history');
    expect(seen).toBeDefined();
    const stored = (await messages(conversationId)).find((m) => m.text === `Rasa heard: ${QUESTION}`);
    expect(stored?.author).toEqual({ type: 'bot', id: rasaBot.id, name: 'Rasa' });
    expect(rasa.rejected).toEqual([]);

    // The FAQ bot is live on 'faq' (control: it answers this very question there)...
    await deliver('faq', { id: 'f-1', from: 'f', text: QUESTION });
    const faqConversation = await conversationOn('faq', 'f');
    await eventually(async () => ((await messages(faqConversation.id)).some((m) => m.author.id.startsWith('desk.bot')) ? true : undefined), 15_000, 'the FAQ bot’s answer on faq');
    // ...but never in the agent bot's conversation on 'web', although it is enabled there too.
    expect((await messages(conversationId)).filter((m) => m.author.id.startsWith('desk.bot'))).toEqual([]);

    const handoff = await request<Conversation>(gateway.url, 'POST', `/api/conversations/${conversationId}/handoff`, { token: rasaBot.token });
    expect(handoff.status, JSON.stringify(handoff.body)).toBe(200);
    expect(handoff.body.handledBy).toBe('agent');
    expect((await conversation(conversationId)).handledBy).toBe('agent');
  });

  it('another bot gets only its own conversations: nothing of the first bot’s, and its own on its channel', async () => {
    await deliver('chat', { id: 'c-1', from: 'c', text: 'hello from chat' });
    const own = await conversationOn('chat', 'c');
    expect(own).toMatchObject({ handledBy: 'bot', botId: otherBot.id });
    await eventually(async () => other.verified.find((e) => e.type === 'conversation.created' && e.data.id === own.id), 15_000, 'the other bot’s own conversation.created');
    const rasaConversations = new Set(rasa.verified.map((e) => e.data.conversationId ?? e.data.id));
    expect(rasaConversations.size).toBeGreaterThan(0);
    const leaked = other.verified.filter((e) => rasaConversations.has(e.data.conversationId ?? e.data.id));
    expect(leaked).toEqual([]);
    expect(rasa.verified.some((e) => (e.data.conversationId ?? e.data.id) === own.id)).toBe(false);
  });

  it('a bot token cannot post to a conversation the team handles (403) and the bot cannot log in (401)', async () => {
    await deliver('plain', { id: 'p-1', from: 'p', text: 'I want a person' });
    const human = await conversationOn('plain', 'p');
    expect(human.handledBy).toBe('agent');
    const post = await request(gateway.url, 'POST', `/api/conversations/${human.id}/messages`, { token: rasaBot.token, body: { text: 'let me help' } });
    expect(post.status, JSON.stringify(post.body)).toBe(403);
    expect((await messages(human.id)).some((m) => m.text === 'let me help')).toBe(false);
    const login = await request(gateway.url, 'POST', '/api/auth/login', { body: { email: `${rasaBot.id}@agent-bots.invalid`, password: '!' } });
    expect(login.status).toBe(401);
  });
});
