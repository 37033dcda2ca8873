import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conversation, Message } from '../../../src/domain/index.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { SseClient } from '../../support/sse.js';
import { Visitor } from '../../support/visitor.js';

describe('web chat visitor ↔ agent, end to end through Redis and Postgres', () => {
  let gateway: TestGateway;
  let token: string;

  beforeAll(async () => {
    gateway = await startTestGateway();
    token = await loginAdmin(gateway.url);
  });
  afterAll(async () => gateway?.dispose());

  it('a visitor message becomes a conversation of the normalized shape, and the reply reaches the visitor live', async () => {
    const agentEvents = new SseClient(`${gateway.url}/api/events`, { authorization: `Bearer ${token}` });
    const visitor = await Visitor.create(gateway.url, 'web', { name: 'Li Wei', email: 'li.wei@example.cn' });
    const visitorEvents = visitor.events();
    await visitorEvents.waitFor((e) => e.event === 'ready');
    await agentEvents.waitFor((e) => e.event === 'ready');

    const sent = await visitor.send('我的资金被盗了 🚨 please help');
    expect(sent.status).toBe(202);

    const created = await agentEvents.waitFor((e) => e.event === 'message.created');
    const conversationId = created.data.conversationId as string;
    const list = await request(gateway.url, 'GET', '/api/conversations', { token });
    expect(list.status).toBe(200);
    const conversation = Conversation.parse(list.body.items.find((c: { id: string }) => c.id === conversationId));
    expect(conversation).toMatchObject({ channelId: 'web', channelKind: 'webchat', status: 'open', priority: 'urgent', assigneeId: null, labels: ['security'] }); // a theft report: wallet safety's triage
    expect(conversation.contact).toMatchObject({ name: 'Li Wei', email: 'li.wei@example.cn' });
    expect(conversation.contact.identities).toEqual([{ channelId: 'web', externalId: visitor.visitorId, handle: null }]);

    const messages = await request(gateway.url, 'GET', `/api/conversations/${conversationId}/messages`, { token });
    const [inbound] = messages.body.items.map((m: unknown) => Message.parse(m));
    expect(inbound).toMatchObject({ direction: 'inbound', text: '我的资金被盗了 🚨 please help', status: 'received', private: false });
    expect(inbound!.author).toMatchObject({ type: 'contact', name: 'Li Wei' });

    const reply = await request(gateway.url, 'POST', `/api/conversations/${conversationId}/messages`, { token, body: { text: 'We are on it. We will never ask for your recovery phrase.' } });
    expect(reply.status).toBe(202);
    expect(reply.body.status).toBe('queued');

    const live = await visitorEvents.waitFor((e) => e.event === 'message');
    expect(live.data.message).toMatchObject({ id: reply.body.id, text: 'We are on it. We will never ask for your recovery phrase.', direction: 'outbound' });
    expect(live.data.message.author).toEqual({ type: 'agent', name: 'Admin' });

    const sentReply = await eventually(async () => {
      const r = await request(gateway.url, 'GET', `/api/conversations/${conversationId}/messages`, { token });
      return r.body.items.find((m: { id: string; status: string }) => m.id === reply.body.id && m.status === 'sent');
    });
    expect(sentReply.sentAt).not.toBeNull();
    const history = await visitor.history();
    expect(history.body.items.map((m: { text: string }) => m.text)).toEqual(['我的资金被盗了 🚨 please help', 'We are on it. We will never ask for your recovery phrase.']);

    await Promise.all([visitorEvents.close(), agentEvents.close()]);
  });

  it('a private note is stored as sent and never reaches the visitor', async () => {
    const visitor = await Visitor.create(gateway.url);
    await visitor.send('hello');
    const conversationId = await eventually(async () => {
      const list = await request(gateway.url, 'GET', '/api/conversations?limit=100', { token });
      return list.body.items.find((c: Conversation) => c.contact.identities[0]?.externalId === visitor.visitorId)?.id as string | undefined;
    });
    const note = await request(gateway.url, 'POST', `/api/conversations/${conversationId}/messages`, { token, body: { text: 'VIP, check KYC first', private: true } });
    expect(note.status).toBe(202);
    expect(note.body).toMatchObject({ private: true, status: 'sent' });
    const history = await visitor.history();
    expect(history.body.items.map((m: { text: string }) => m.text)).toEqual(['hello']);
  });
});
