import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../../src/domain/index.js';
import { ScriptedChannel } from '../../fakes/scripted-channel.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { conversationOf, createAgent, deliver, messagesOf } from './helpers.js';

/** A valid 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('POST /api/conversations/:id/messages: replies, idempotency and attachments', () => {
  let gateway: TestGateway;
  let token: string;
  let dana: { id: string; token: string };
  const channel = new ScriptedChannel();
  let first: string;
  let other: string;

  const reply = (conversationId: string, body: unknown, options: { key?: string; as?: string } = {}) =>
    request<Message>(gateway.url, 'POST', `/api/conversations/${conversationId}/messages`, {
      token: options.as ?? token,
      body,
      ...(options.key ? { headers: { 'idempotency-key': options.key } } : {}),
    });
  const errorMessage = (body: unknown): string => (body as { error: { message: string } }).error.message;
  const sendsOf = (messageId: string) => channel.sends.filter((s) => s.message.messageId === messageId);
  const waitSent = (conversationId: string, messageId: string) =>
    eventually(async () => (await messagesOf(gateway.url, token, conversationId)).find((m) => m.id === messageId && m.status === 'sent'), 10_000, `${messageId} sent`);
  const upload = (bytes: Buffer, as: string, filename = 'screenshot.png') =>
    request<{ id: string; kind: string; mimeType: string; size: number; name: string }>(gateway.url, 'POST', '/api/attachments', {
      token: as,
      raw: bytes,
      headers: { 'content-type': 'image/png', 'x-filename': filename },
    });
  const download = async (id: string, as?: string): Promise<{ status: number; bytes: Buffer; type: string | null }> => {
    const response = await fetch(`${gateway.url}/api/attachments/${id}`, as ? { headers: { authorization: `Bearer ${as}` } } : {});
    return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()), type: response.headers.get('content-type') };
  };
  const getConversation = async (id: string) => (await request<Conversation>(gateway.url, 'GET', `/api/conversations/${id}`, { token })).body;

  beforeAll(async () => {
    gateway = await startTestGateway({ extraAdapters: [channel] });
    token = await loginAdmin(gateway.url);
    dana = await createAgent(gateway.url, token, { email: 'dana@example.com', name: 'Dana Agent' });
    await deliver(gateway.url, { id: 'rp-1', from: 'reply-1', text: 'someone drained my wallet' });
    await deliver(gateway.url, { id: 'rp-2', from: 'reply-2', text: 'how do I export my keys?' });
    first = (await conversationOf(gateway.url, token, 'reply-1')).id;
    other = (await conversationOf(gateway.url, token, 'reply-2')).id;
  });
  afterAll(async () => gateway?.dispose());

  it('the same Idempotency-Key sent 5 times at once stores one message and sends it once', async () => {
    const text = 'We have frozen the withdrawal. Never share your recovery phrase.';
    const responses = await Promise.all(Array.from({ length: 5 }, () => reply(first, { text }, { key: 'reply-key-1' })));
    expect(responses.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    const ids = new Set(responses.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const replayed = responses.map((r) => r.headers.get('idempotent-replayed'));
    expect(replayed.filter((h) => h === 'true')).toHaveLength(4);
    expect(replayed.filter((h) => h === null)).toHaveLength(1);

    const [id] = [...ids];
    await waitSent(first, id!);
    await pause(750);
    expect(sendsOf(id!)).toHaveLength(1);
    expect(channel.sends.filter((s) => s.message.text === text)).toHaveLength(1);
    expect((await messagesOf(gateway.url, token, first)).filter((m) => m.text === text).map((m) => m.id)).toEqual([id]);
  });

  it('replaying a key after the fact returns the first message, marked as a replay', async () => {
    const original = await reply(first, { text: 'checking now' }, { key: 'reply-key-2' });
    expect(original.headers.get('idempotent-replayed')).toBeNull();
    const again = await reply(first, { text: 'a different text, same key' }, { key: 'reply-key-2' });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toMatchObject({ id: original.body.id, text: 'checking now' });
  });

  it('the same Idempotency-Key on another conversation is a 409 and stores nothing there', async () => {
    const response = await reply(other, { text: 'meant for the other customer' }, { key: 'reply-key-1' });
    expect(response.status).toBe(409);
    expect((await messagesOf(gateway.url, token, other)).map((m) => m.text)).toEqual(['how do I export my keys?']);
  });

  it('the same Idempotency-Key sent at once to two conversations: every request to the losing conversation is a 409', async () => {
    const key = 'reply-key-race';
    const requests = [first, other, first, other, first, other, first, other].map((id) => reply(id, { text: `race on ${id === first ? 'first' : 'other'}` }, { key }));
    const responses = await Promise.all(requests);
    const accepted = responses.filter((r) => r.status === 202);
    expect(new Set(accepted.map((r) => r.body.id)).size).toBe(1);
    const winner = accepted[0]!.body.conversationId;
    // A 202 must never hand back a message of a conversation other than the one in the URL.
    const seen = responses.map((response, index) => ({
      target: index % 2 === 0 ? first : other,
      status: response.status,
      messageConversation: response.status === 202 ? response.body.conversationId : null,
    }));
    expect(seen).toEqual(seen.map(({ target }) => ({ target, status: target === winner ? 202 : 409, messageConversation: target === winner ? target : null })));
  });

  it('Idempotency-Keys are per agent: another agent reusing a key gets its own message', async () => {
    const mine = await reply(other, { text: 'admin answer' }, { key: 'shared-key' });
    const theirs = await reply(other, { text: 'dana answer' }, { key: 'shared-key', as: dana.token });
    expect([mine.status, theirs.status]).toEqual([202, 202]);
    expect(theirs.headers.get('idempotent-replayed')).toBeNull();
    expect(theirs.body.id).not.toBe(mine.body.id);
    expect(theirs.body.author).toMatchObject({ type: 'agent', id: dana.id, name: 'Dana Agent' });
  });

  it('an empty or blank reply is a 400 naming text', async () => {
    for (const body of [{ text: '' }, { text: '   \n ' }, {}]) {
      const response = await reply(first, body);
      expect(response.status).toBe(400);
      expect(errorMessage(response.body)).toMatch(/^text:/);
    }
  });

  it('a reply to an unknown conversation is a 404', async () => {
    const response = await reply('0000000000nosuchconversati', { text: 'hello?' });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: { code: 'not_found' } });
  });

  it('firstResponseAt is set by the first reply, not by a private note, and not moved by later replies', async () => {
    await deliver(gateway.url, { id: 'fr-1', from: 'reply-3', text: 'anyone there?' });
    const conversation = await conversationOf(gateway.url, token, 'reply-3');
    expect(conversation.firstResponseAt).toBeNull();

    const note = await reply(conversation.id, { text: 'probably phishing, check the tx', private: true });
    expect(note.body).toMatchObject({ private: true, status: 'sent' });
    expect((await getConversation(conversation.id)).firstResponseAt).toBeNull();

    const answer = await reply(conversation.id, { text: 'Yes, we are looking into it.' });
    const afterFirst = (await getConversation(conversation.id)).firstResponseAt;
    expect(afterFirst).toBe(answer.body.createdAt);

    await pause(20);
    await reply(conversation.id, { text: 'Update: the transaction is confirmed.' });
    expect((await getConversation(conversation.id)).firstResponseAt).toBe(afterFirst);
  });

  it('an uploaded PNG sent with a reply reaches the channel with the same bytes, and any agent can download it', async () => {
    const uploaded = await upload(PNG, token);
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ kind: 'image', mimeType: 'image/png', size: PNG.length, name: 'screenshot.png' });

    const sent = await reply(first, { text: 'see the screenshot', attachments: [uploaded.body.id] });
    expect(sent.status).toBe(202);
    expect(sent.body.attachments.map((a) => a.id)).toEqual([uploaded.body.id]);
    await waitSent(first, sent.body.id);

    const [recorded] = sendsOf(sent.body.id);
    expect(recorded?.message.attachments.map((a) => ({ name: a.name, mimeType: a.mimeType, size: a.size }))).toEqual([
      { name: 'screenshot.png', mimeType: 'image/png', size: PNG.length },
    ]);
    expect((await recorded!.message.attachments[0]!.read()).equals(PNG)).toBe(true);

    const byDana = await download(uploaded.body.id, dana.token);
    expect(byDana.status).toBe(200);
    expect(byDana.type).toBe('image/png');
    expect(byDana.bytes.equals(PNG)).toBe(true);
    expect((await download(uploaded.body.id)).status).toBe(401);
  });

  it('another agent’s unlinked upload cannot be attached (400) nor downloaded (404), and stores no reply', async () => {
    const danas = await upload(PNG, dana.token, 'dana.png');
    expect(danas.status).toBe(201);
    const before = (await messagesOf(gateway.url, token, other)).length;
    const response = await reply(other, { text: 'stealing an upload', attachments: [danas.body.id] });
    expect(response.status).toBe(400);
    expect(errorMessage(response.body)).toMatch(/^attachments:/);
    expect(await messagesOf(gateway.url, token, other)).toHaveLength(before);
    expect((await download(danas.body.id, token)).status).toBe(404);
    expect((await download(danas.body.id, dana.token)).status).toBe(200);
  });

  it('an upload already sent with one reply cannot be attached to another (400)', async () => {
    const uploaded = await upload(PNG, token, 'once.png');
    expect((await reply(first, { text: 'first use', attachments: [uploaded.body.id] })).status).toBe(202);
    const reused = await reply(other, { text: 'second use', attachments: [uploaded.body.id] });
    expect(reused.status).toBe(400);
    expect(errorMessage(reused.body)).toMatch(/^attachments:/);
  });
});
