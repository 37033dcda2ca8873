import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedChannel, type ScriptedInbound } from '../../fakes/scripted-channel.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { Visitor } from '../../support/visitor.js';

describe('thread references, machine mail, delivery failures and auto-acknowledgements', () => {
  let gateway: TestGateway;
  let token: string;
  const channel = new ScriptedChannel();

  beforeAll(async () => {
    gateway = await startTestGateway({
      extraAdapters: [channel],
      channels: [{ id: 'web', kind: 'webchat', autoReply: 'Thanks — we got your message and will answer here.' }],
    });
    token = await loginAdmin(gateway.url);
  });
  afterAll(async () => gateway?.dispose());

  const deliver = async (body: ScriptedInbound): Promise<void> => {
    const r = await request(gateway.url, 'POST', '/webhooks/scripted', { headers: { 'x-secret': 'scripted-secret' }, body });
    expect(r.status).toBe(200);
  };
  const conversations = async () => (await request(gateway.url, 'GET', '/api/conversations?channel=scripted&limit=100', { token })).body.items as any[];
  const conversationOf = (from: string) =>
    eventually(async () => (await conversations()).find((c) => c.contact.identities[0]?.externalId === from));
  const everyMessageOf = async (conversationId: string) => (await request(gateway.url, 'GET', `/api/conversations/${conversationId}/messages`, { token })).body.items as any[];
  /** Without the desk's acknowledgement (the response-time promise every new conversation gets). */
  const messagesOf = async (conversationId: string) => (await everyMessageOf(conversationId)).filter((m) => m.author.type !== 'bot');
  const reply = async (conversationId: string, text: string): Promise<string> => {
    const r = await request(gateway.url, 'POST', `/api/conversations/${conversationId}/messages`, { token, body: { text } });
    expect(r.status).toBe(202);
    return eventually(async () => {
      const sent = (await messagesOf(conversationId)).find((m) => m.id === r.body.id);
      return sent?.status === 'sent' ? (sent.externalId as string) : undefined;
    });
  };

  it('a message that references our reply joins that conversation even from another sender and thread key', async () => {
    await deliver({ id: 'root-1', from: 'alice', threadKey: 'root-1', text: 'my withdrawal is stuck' });
    const conversation = await conversationOf('alice');
    const ours = await reply(conversation.id, 'Which transaction hash?');
    // A colleague of Alice answers on the thread, from their own address.
    await deliver({ id: 'cc-1', from: 'bob', threadKey: 'somewhere-else', threadRefs: [ours, 'root-1'], text: 'it is 0xabc' });
    await eventually(async () => ((await messagesOf(conversation.id)).some((m) => m.externalId === 'cc-1') ? true : undefined));
    const joined = (await messagesOf(conversation.id)).find((m) => m.externalId === 'cc-1');
    expect(joined.author).toMatchObject({ type: 'contact', name: 'Customer bob' });
    expect((await conversations()).some((c) => c.contact.identities[0]?.externalId === 'bob')).toBe(false);
  });

  it('references we never stored fall back to the thread key: a fresh thread opens its own conversation', async () => {
    await deliver({ id: 'fresh-1', from: 'carol', threadKey: 'fresh-1', threadRefs: ['<unknown@elsewhere>'], text: 'new question' });
    const conversation = await conversationOf('carol');
    expect((await messagesOf(conversation.id)).map((m) => m.externalId)).toEqual(['fresh-1']);
  });

  it('the outbound address carries the thread history and the newest customer message', async () => {
    await deliver({ id: 'h-1', from: 'dave', threadKey: 'h-1', text: 'first' });
    const conversation = await conversationOf('dave');
    const first = await reply(conversation.id, 'answer one');
    await deliver({ id: 'h-2', from: 'dave', threadKey: 'h-1', threadRefs: [first, 'h-1'], text: 'second' });
    await eventually(async () => ((await messagesOf(conversation.id)).length === 3 ? true : undefined));
    await reply(conversation.id, 'answer two');
    const send = channel.sends.filter((s) => s.address.conversationId === conversation.id).at(-1)!;
    const acknowledgement = (await everyMessageOf(conversation.id)).find((m) => m.author.type === 'bot');
    expect(send.address.threadExternalIds).toEqual(['h-1', acknowledgement.externalId, first, 'h-2']);
    expect(send.address.lastInboundExternalId).toBe('h-2');
  });

  it('machine mail is stored but does not reopen a resolved conversation or make it waiting', async () => {
    await deliver({ id: 'm-1', from: 'erin', threadKey: 'm-1', text: 'help' });
    const conversation = await conversationOf('erin');
    const ours = await reply(conversation.id, 'done, closing');
    await request(gateway.url, 'PATCH', `/api/conversations/${conversation.id}`, { token, body: { status: 'resolved' } });
    await deliver({ id: 'ooo-1', from: 'erin', threadKey: 'm-1', threadRefs: [ours], automated: true, text: 'I am out of office until Monday' });
    await eventually(async () => ((await messagesOf(conversation.id)).some((m) => m.externalId === 'ooo-1') ? true : undefined));
    const after = (await request(gateway.url, 'GET', `/api/conversations/${conversation.id}`, { token })).body;
    expect(after.status).toBe('resolved');
    expect(after.waitingSince).toBeNull();
  });

  it('a delivery failure marks our message failed with the reason and opens nothing', async () => {
    await deliver({ id: 'b-1', from: 'frank', threadKey: 'b-1', text: 'reset my 2FA' });
    const conversation = await conversationOf('frank');
    const ours = await reply(conversation.id, 'Please confirm by replying');
    const before = (await conversations()).length;
    await deliver({
      id: 'dsn-1',
      from: 'mailer-daemon',
      threadKey: 'dsn-1',
      automated: true,
      deliveryFailure: { originalExternalId: ours, status: '5.1.1', diagnostic: 'smtp; 550 5.1.1 user unknown' },
      text: 'Delivery Status Notification (Failure)',
    });
    const failed = await eventually(async () => {
      const message = (await messagesOf(conversation.id)).find((m) => m.externalId === ours);
      return message?.status === 'failed' ? message : undefined;
    });
    expect(failed.error).toEqual({ code: 'bounced', message: '5.1.1 smtp; 550 5.1.1 user unknown', retryable: false });
    expect((await conversations()).length).toBe(before);
  });

  it('a delivery failure for something we never sent is kept as a message, not lost', async () => {
    await deliver({
      id: 'dsn-2',
      from: 'mailer-daemon-2',
      threadKey: 'dsn-2',
      deliveryFailure: { originalExternalId: '<never-sent@example.com>', diagnostic: '550 no such user' },
      text: 'Undelivered Mail Returned to Sender',
    });
    const conversation = await conversationOf('mailer-daemon-2');
    expect(conversation.waitingSince).toBeNull();
    expect((await messagesOf(conversation.id))[0].text).toBe('Undelivered Mail Returned to Sender');
  });

  it('a new conversation gets the channel acknowledgement once; the next message does not', async () => {
    const visitor = await Visitor.create(gateway.url);
    expect((await visitor.send('where are my funds?')).status).toBe(202);
    expect((await visitor.send('hello?')).status).toBe(202);
    const history = await eventually(async () => {
      const items = (await visitor.history()).body.items;
      return items.length === 3 ? items : undefined;
    });
    const acknowledgements = history.filter((m: any) => m.author.type === 'bot');
    expect(acknowledgements).toHaveLength(1);
    expect(acknowledgements[0]).toMatchObject({ text: 'Thanks — we got your message and will answer here.', direction: 'outbound' });
    await eventually(async () => {
      const items = (await visitor.history()).body.items;
      return items.find((m: any) => m.author.type === 'bot')?.status === 'sent' ? true : undefined;
    });
  });
});
