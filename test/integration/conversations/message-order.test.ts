import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../../src/domain/index.js';
import { ScriptedChannel } from '../../fakes/scripted-channel.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { conversationOf, deliver, messagesOf, storedMessage } from './helpers.js';

const at = (second: number): string => new Date(Date.UTC(2025, 4, 1, 8, 0, second)).toISOString();

describe('messages of a conversation: platform order and paging', () => {
  let gateway: TestGateway;
  let token: string;
  /** The platform's order: m2a and m2b share a sent time, and m2a arrived first. */
  const platformOrder = ['m0', 'm1', 'm2a', 'm2b', 'm3', 'm4'];
  const sentAt: Record<string, string> = { m0: at(0), m1: at(10), m2a: at(20), m2b: at(20), m3: at(30), m4: at(40) };
  let conversationId: string;
  let idOf: Map<string, string>;

  const texts = (items: Message[]): string[] => items.map((m) => m.text);

  beforeAll(async () => {
    gateway = await startTestGateway({ extraAdapters: [new ScriptedChannel()] });
    token = await loginAdmin(gateway.url);
    // Delivered shuffled and all at once: the inbound workers (concurrency 8) finish in any order.
    await Promise.all(['m3', 'm0', 'm4', 'm2a', 'm1'].map((m) => deliver(gateway.url, { id: `ord-${m}`, from: 'order-1', text: m, sentAt: sentAt[m]! })));
    conversationId = (await conversationOf(gateway.url, token, 'order-1')).id;
    await eventually(async () => ((await messagesOf(gateway.url, token, conversationId)).length === 5 ? true : undefined), 10_000, 'five messages');
    // Same sent time as m2a, arriving strictly later.
    await deliver(gateway.url, { id: 'ord-m2b', from: 'order-1', text: 'm2b', sentAt: sentAt.m2b! });
    await storedMessage(gateway.url, token, conversationId, 'm2b');
    idOf = new Map((await messagesOf(gateway.url, token, conversationId)).map((m) => [m.text, m.id]));
  });
  afterAll(async () => gateway?.dispose());

  it('lists messages by sent time, then arrival, whatever order they were delivered in', async () => {
    const items = await messagesOf(gateway.url, token, conversationId);
    expect(texts(items)).toEqual(platformOrder);
    expect(items.map((m) => m.createdAt)).toEqual(platformOrder.map((m) => sentAt[m]));
  });

  it('without a pivot, limit returns the newest messages, oldest first', async () => {
    expect(texts(await messagesOf(gateway.url, token, conversationId, 'limit=2'))).toEqual(['m3', 'm4']);
  });

  it('before= returns the newest `limit` messages older than the pivot, and walks back to the start', async () => {
    expect(texts(await messagesOf(gateway.url, token, conversationId, `limit=2&before=${idOf.get('m4')}`))).toEqual(['m2b', 'm3']);
    // The pivot shares its sent time with m2a: the tie is decided by arrival.
    expect(texts(await messagesOf(gateway.url, token, conversationId, `limit=10&before=${idOf.get('m2b')}`))).toEqual(['m0', 'm1', 'm2a']);
    expect(texts(await messagesOf(gateway.url, token, conversationId, `before=${idOf.get('m0')}`))).toEqual([]);

    const pages: string[][] = [];
    let page = await messagesOf(gateway.url, token, conversationId, 'limit=4');
    while (page.length > 0 && pages.length < 10) {
      pages.unshift(texts(page));
      page = await messagesOf(gateway.url, token, conversationId, `limit=4&before=${page[0]!.id}`);
    }
    expect(pages).toEqual([['m0', 'm1'], ['m2a', 'm2b', 'm3', 'm4']]);
  });

  it('after= returns the oldest `limit` messages newer than the pivot', async () => {
    expect(texts(await messagesOf(gateway.url, token, conversationId, `limit=2&after=${idOf.get('m0')}`))).toEqual(['m1', 'm2a']);
    expect(texts(await messagesOf(gateway.url, token, conversationId, `limit=10&after=${idOf.get('m2a')}`))).toEqual(['m2b', 'm3', 'm4']);
    expect(texts(await messagesOf(gateway.url, token, conversationId, `after=${idOf.get('m4')}`))).toEqual([]);
  });

  it('before and after together is a 400', async () => {
    const response = await request(gateway.url, 'GET', `/api/conversations/${conversationId}/messages?before=${idOf.get('m3')}&after=${idOf.get('m1')}`, { token });
    expect(response.status).toBe(400);
  });

  it('lastMessageAt and the preview follow the newest sent time, even when an older message arrives last', async () => {
    await deliver(gateway.url, { id: 'late-new', from: 'order-2', text: 'the newest message', sentAt: at(50) });
    const conversation = await conversationOf(gateway.url, token, 'order-2');
    await deliver(gateway.url, { id: 'late-old', from: 'order-2', text: 'an older message, delivered late', sentAt: at(5) });
    await storedMessage(gateway.url, token, conversation.id, 'an older message, delivered late');

    const after = (await request<Conversation>(gateway.url, 'GET', `/api/conversations/${conversation.id}`, { token })).body;
    expect(after.lastMessageAt).toBe(at(50));
    expect(after.lastMessagePreview).toBe('the newest message');
    expect(texts(await messagesOf(gateway.url, token, conversation.id))).toEqual(['an older message, delivered late', 'the newest message']);
  });

  it('in the list, a conversation is placed by its newest sent time, not by its latest arrival', async () => {
    const list = await request<{ items: Conversation[] }>(gateway.url, 'GET', '/api/conversations?channel=scripted', { token });
    // order-2's newest message (second 50) is newer than order-1's (second 40), though the message order-2 received last is older (second 5).
    expect(list.body.items.map((c) => [c.contact.identities[0]?.externalId, c.lastMessageAt])).toEqual([
      ['order-2', at(50)],
      ['order-1', at(40)],
    ]);
  });
});
