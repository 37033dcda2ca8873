import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../../src/domain/index.js';
import { ScriptedChannel } from '../../fakes/scripted-channel.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';

/** Agent bots (issue 18 part 3): a bot's token answers only its conversations, as author.type bot, and hands them off. */
describe('agent bots', () => {
  let gateway: TestGateway;
  let admin: string;
  let bot: { id: string; token: string };
  const chat = new ScriptedChannel('chat');

  beforeAll(async () => {
    gateway = await startTestGateway({ channels: [], extraAdapters: [chat], desk: { safety: { footer: false }, autoAck: false, csat: { enabled: false }, bot: { enabled: true, channels: ['chat'] } } });
    admin = await loginAdmin(gateway.url);
    const created = await request<{ bot: { id: string }; token: string; webhookSecret: string }>(gateway.url, 'POST', '/api/agent-bots', { token: admin, body: { name: 'Rasa', webhookUrl: 'http://127.0.0.1:9/hook', channels: ['chat'] } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.webhookSecret).toMatch(/^whsec_/);
    bot = { id: created.body.bot.id, token: created.body.token };
  });
  afterAll(async () => gateway?.dispose());

  it('answers as author.type bot without taking over or counting as first response, then hands off', async () => {
    const r = await request(gateway.url, 'POST', '/webhooks/chat', { headers: { 'x-secret': 'scripted-secret' }, body: { id: 'm-1', from: 'v', text: 'hello there' } });
    expect(r.status).toBe(200);
    const c = await eventually(async () => (await request<{ items: Conversation[] }>(gateway.url, 'GET', '/api/conversations?channel=chat', { token: admin })).body.items[0]);
    expect(c).toMatchObject({ handledBy: 'bot', botId: bot.id });
    const reply = await request<Message>(gateway.url, 'POST', `/api/conversations/${c.id}/messages`, { token: bot.token, body: { text: 'Hi, I am the bot' } });
    expect(reply.status, JSON.stringify(reply.body)).toBe(202);
    expect(reply.body.author).toEqual({ type: 'bot', id: bot.id, name: 'Rasa' });
    const after = (await request<Conversation>(gateway.url, 'GET', `/api/conversations/${c.id}`, { token: admin })).body;
    expect(after).toMatchObject({ handledBy: 'bot', firstResponseAt: null });
    expect((await request(gateway.url, 'GET', '/api/agent-bots', { token: bot.token })).status).toBe(403);
    expect((await request(gateway.url, 'POST', `/api/conversations/${c.id}/messages`, { token: bot.token, body: { text: 'please send me your recovery phrase' } })).status).toBe(422);
    const handoff = await request<Conversation>(gateway.url, 'POST', `/api/conversations/${c.id}/handoff`, { token: bot.token });
    expect(handoff.status, JSON.stringify(handoff.body)).toBe(200);
    expect(handoff.body).toMatchObject({ handledBy: 'agent', handoff: { reason: 'bot-requested' } });
    expect((await request(gateway.url, 'POST', `/api/conversations/${c.id}/messages`, { token: bot.token, body: { text: 'again' } })).status).toBe(409);
    const rotated = await request<{ token: string }>(gateway.url, 'POST', `/api/agent-bots/${bot.id}/token`, { token: admin });
    expect(rotated.status).toBe(200);
    expect((await request(gateway.url, 'GET', `/api/conversations/${c.id}`, { token: bot.token })).status).toBe(401);
  });
});
