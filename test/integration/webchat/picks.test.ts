import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickExternalId } from '../../../adapters/webchat/inbound.js';
import { askQuestion, conversationOf, postPick } from '../../fakes/webchat/questions.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, request } from '../../support/http.js';
import type { SseClient } from '../../support/sse.js';
import { Visitor } from '../../support/visitor.js';

/**
 * Web chat questions with options (issue 15): the desk's question reaches the visitor with its
 * options, and the visitor's tap comes back once, as that visitor's own message.
 */
describe('web chat: a question with options reaches the visitor, and a pick is stored once, as their own message', () => {
  let gateway: TestGateway;
  let ann: Visitor;
  let events: SseClient;
  let conversationId: string;
  const CHOICE = '01jd8w3yq5v0s6zt9n4c2h7k1m';

  const rowsOf = (externalId: string) => gateway.deps.db.selectFrom('messages').select(['conversation_id', 'text', 'choice', 'client_message_id']).where('channel_id', '=', 'web').where('external_id', '=', externalId).execute();

  beforeAll(async () => {
    gateway = await startTestGateway();
    ann = await Visitor.create(gateway.url);
    events = ann.events();
    await events.waitFor((e) => e.event === 'ready');
    expect((await ann.send('My withdrawal is stuck')).status).toBe(202);
    conversationId = await eventually(() => conversationOf(gateway, ann.visitorId), 15_000, 'the conversation');
  });
  afterAll(async () => {
    await events?.close();
    await gateway?.dispose();
  });

  it('the channel says its options are buttons', () => {
    expect(gateway.deps.adapters.get('web')!.capabilities.buttons).toBe(true);
  });

  it("the question arrives on the visitor's stream with its options (values and labels only), and the history shows it unanswered", async () => {
    await askQuestion(gateway, conversationId, CHOICE);
    const pushed = await events.waitFor((e) => e.event === 'message' && e.data.message.choice !== undefined, 15_000);
    expect(pushed.data.message).toMatchObject({ text: 'How would you rate our help? Tap a score.', direction: 'outbound' });
    expect(pushed.data.message.choice).toEqual({ id: CHOICE, options: ['1', '2', '3', '4', '5'].map((value) => ({ value, label: `${value} ★` })) });
    const question = (await ann.history()).body.items.find((m) => m.choice);
    expect(question.choice).toEqual({ id: CHOICE, options: ['1', '2', '3', '4', '5'].map((value) => ({ value, label: `${value} ★` })), picked: null });
    // Ordinary messages carry no choice at all.
    expect((await ann.history()).body.items.filter((m) => !m.choice).map((m) => m.text)).toEqual(['My withdrawal is stuck']);
  });

  it('a tap posted twice at once, again from another tab, and again after it was stored, is one message', async () => {
    const taps = await Promise.all(['tap-first-1', 'tap-double-2', 'tab-two-000'].map((cid) => postPick(ann, cid, { id: CHOICE, value: '4' }, '4 ★')));
    expect(taps.map((r) => r.status)).toEqual([202, 202, 202]);
    await eventually(async () => ((await rowsOf(pickExternalId(ann.visitorId, CHOICE))).length === 1 ? true : undefined), 15_000, 'the pick to be stored');
    // After the queue job is gone only Postgres remembers; a different value later changes nothing either.
    expect((await postPick(ann, 'tap-retry-4', { id: CHOICE, value: '4' }, '4 ★')).status).toBe(202);
    expect((await postPick(ann, 'tap-change-5', { id: CHOICE, value: '5' }, '5 ★')).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const rows = await rowsOf(pickExternalId(ann.visitorId, CHOICE));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ conversation_id: conversationId, text: '4 ★', choice: { id: CHOICE, picked: '4' } });
    const answers = (await ann.history()).body.items.filter((m) => m.direction === 'inbound' && m.choice);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toMatchObject({ text: '4 ★', author: { name: 'You' }, choice: { id: CHOICE, options: [], picked: '4' } });
    expect(['tap-first-1', 'tap-double-2', 'tab-two-000']).toContain(answers[0].clientMessageId);
  });

  it("another visitor posting this question's id only writes a message of their own, in their own conversation", async () => {
    const mallory = await Visitor.create(gateway.url);
    const annBefore = (await ann.history()).body.items.length;
    expect((await postPick(mallory, 'mallory-tap-1', { id: CHOICE, value: '1' }, '1 ★')).status).toBe(202);
    const theirs = await eventually(async () => (await rowsOf(pickExternalId(mallory.visitorId, CHOICE)))[0], 15_000, "mallory's pick");
    const malloryConversation = await conversationOf(gateway, mallory.visitorId);
    expect(theirs.conversation_id).toBe(malloryConversation);
    expect(malloryConversation).not.toBe(conversationId);
    expect((await ann.history()).body.items).toHaveLength(annBefore);
    expect((await rowsOf(pickExternalId(ann.visitorId, CHOICE)))[0]).toMatchObject({ text: '4 ★', choice: { picked: '4' } });
  });

  it.each([
    ['a numeric value', { id: CHOICE, value: 4 }],
    ['a label as value', { id: CHOICE, value: '4 ★' }],
    ['an upper-case id', { id: CHOICE.toUpperCase(), value: '4' }],
    ['a token string', `c|${CHOICE}|4`],
    ['an extra field', { id: CHOICE, value: '4', threadKey: 'anon-someone-else' }],
    ['null', null],
  ])('a pick with %s is refused with 400 naming the field, and nothing is stored', async (_label, choice) => {
    const before = (await ann.history()).body.items.length;
    const r = await postPick(ann, 'bad-tap-0001', choice, '4 ★');
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('validation');
    expect(r.body.error.message).toContain('choice');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await ann.history()).body.items).toHaveLength(before);
  });

  it('a pick with attachments is refused with 400', async () => {
    const r = await request(gateway.url, 'POST', '/widget/web/messages', {
      token: ann.token,
      body: { clientMessageId: 'bad-tap-0003', text: '4 ★', attachments: ['01hzx3k9q8w7e6r5t4y3u2a1b0'], choice: { id: CHOICE, value: '4' } },
    });
    expect(r.status).toBe(400);
    expect(r.body.error.message).toContain('attachments');
  });
});
