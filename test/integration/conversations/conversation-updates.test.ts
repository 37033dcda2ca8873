import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../../../src/domain/index.js';
import { ScriptedChannel } from '../../fakes/scripted-channel.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { SseClient, type SseEvent } from '../../support/sse.js';
import { conversationOf, createAgent, deliver, messagesOf } from './helpers.js';

describe('PATCH /api/conversations/:id: status, assignee, priority, labels', () => {
  let gateway: TestGateway;
  let token: string;
  let adminId: string;
  let dana: { id: string; token: string };
  let events: SseClient;
  let conversationId: string;

  const patch = (body: unknown, id = conversationId) => request<Conversation>(gateway.url, 'PATCH', `/api/conversations/${id}`, { token, body });
  const errorMessage = (body: unknown): string => (body as { error: { message: string } }).error.message;
  const systemTexts = async (id = conversationId): Promise<string[]> => {
    const items = await messagesOf(gateway.url, token, id);
    for (const m of items.filter((m) => m.author.type === 'system')) expect(m).toMatchObject({ private: true, author: { name: 'Admin' } });
    return items.filter((m) => m.author.type === 'system').map((m) => m.text);
  };
  /** Runs `change` and returns the first matching SSE event published after it started. */
  const publishedDuring = async (change: () => Promise<unknown>, match: (e: SseEvent) => boolean): Promise<SseEvent> => {
    const mark = events.events.length;
    await change();
    return events.waitFor((e) => events.events.indexOf(e) >= mark && match(e));
  };
  const updated = (status?: string) => (e: SseEvent) =>
    e.event === 'conversation.updated' && e.data.id === conversationId && (status === undefined || e.data.status === status);

  beforeAll(async () => {
    gateway = await startTestGateway({ extraAdapters: [new ScriptedChannel()] });
    token = await loginAdmin(gateway.url);
    adminId = (await request(gateway.url, 'GET', '/api/me', { token })).body.id;
    dana = await createAgent(gateway.url, token, { email: 'dana@example.com', name: 'Dana Agent' });
    events = new SseClient(`${gateway.url}/api/events`, { authorization: `Bearer ${token}` });
    await events.waitFor((e) => e.event === 'ready');
    await deliver(gateway.url, { id: 'u-1', from: 'upd-1', text: 'my withdrawal is stuck' });
    conversationId = (await conversationOf(gateway.url, token, 'upd-1')).id;
  });
  afterAll(async () => {
    await events?.close();
    await gateway?.dispose();
  });

  it('resolve sets status and resolvedAt, records a system note and publishes conversation.updated', async () => {
    const before = await systemTexts();
    const startedAt = Date.now();
    let response!: Awaited<ReturnType<typeof patch>>;
    const event = await publishedDuring(async () => (response = await patch({ status: 'resolved' })), updated('resolved'));
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('resolved');
    expect(Date.parse(response.body.resolvedAt!)).toBeGreaterThanOrEqual(startedAt - 1000);
    expect(Date.parse(response.body.resolvedAt!)).toBeLessThanOrEqual(Date.now() + 1000);
    expect(event.data.resolvedAt).toBe(response.body.resolvedAt);
    expect(await systemTexts()).toEqual([...before, 'Admin resolved the conversation']);
  });

  it('reopen sets status open and clears resolvedAt', async () => {
    const before = await systemTexts();
    const event = await publishedDuring(() => patch({ status: 'open' }), updated('open'));
    expect(event.data.resolvedAt).toBeNull();
    const current = (await request<Conversation>(gateway.url, 'GET', `/api/conversations/${conversationId}`, { token })).body;
    expect(current).toMatchObject({ status: 'open', resolvedAt: null });
    expect(await systemTexts()).toEqual([...before, 'Admin reopened the conversation']);
  });

  it('pending sets status pending', async () => {
    const before = await systemTexts();
    await publishedDuring(async () => expect((await patch({ status: 'pending' })).body.status).toBe('pending'), updated('pending'));
    expect(await systemTexts()).toEqual([...before, 'Admin marked the conversation pending']);
  });

  it('snooze with snoozedUntil stores that wake-up time; leaving snooze clears it', async () => {
    const until = new Date(Date.now() + 3 * 3_600_000).toISOString();
    const before = await systemTexts();
    const event = await publishedDuring(() => patch({ status: 'snoozed', snoozedUntil: until }), updated('snoozed'));
    expect(event.data.snoozedUntil).toBe(until);
    expect(await systemTexts()).toEqual([...before, `Admin snoozed the conversation until ${until}`]);

    const reopened = await patch({ status: 'open' });
    expect(reopened.body).toMatchObject({ status: 'open', snoozedUntil: null });
  });

  it('snooze without snoozedUntil wakes up about a day later; a past snoozedUntil is a 400', async () => {
    const snoozed = await patch({ status: 'snoozed' });
    expect(snoozed.status).toBe(200);
    const wakesIn = Date.parse(snoozed.body.snoozedUntil!) - Date.now();
    expect(wakesIn).toBeGreaterThan(23 * 3_600_000);
    expect(wakesIn).toBeLessThan(25 * 3_600_000);
    await patch({ status: 'open' });

    const past = await patch({ status: 'snoozed', snoozedUntil: new Date(Date.now() - 60_000).toISOString() });
    expect(past.status).toBe(400);
    expect(errorMessage(past.body)).toMatch(/^snoozedUntil:/);
    expect((await request<Conversation>(gateway.url, 'GET', `/api/conversations/${conversationId}`, { token })).body.status).toBe('open');
  });

  it('snoozing an already snoozed conversation with a new snoozedUntil moves its wake-up time', async () => {
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    const later = new Date(Date.now() + 5 * 3_600_000).toISOString();
    expect((await patch({ status: 'snoozed', snoozedUntil: soon })).body.snoozedUntil).toBe(soon);
    const moved = await patch({ status: 'snoozed', snoozedUntil: later });
    expect(moved.status).toBe(200);
    // A 200 that keeps the old time would silently drop the agent's change.
    expect(moved.body.snoozedUntil).toBe(later);
    await patch({ status: 'open' });
  });

  it('assigning to self and to another agent sets assigneeId and records who did it', async () => {
    const before = await systemTexts();
    const mine = await publishedDuring(() => patch({ assigneeId: adminId }), (e) => updated()(e) && e.data.assigneeId === adminId);
    expect(mine.data.assigneeId).toBe(adminId);
    const theirs = await patch({ assigneeId: dana.id });
    expect(theirs.body.assigneeId).toBe(dana.id);
    const none = await patch({ assigneeId: null });
    expect(none.body.assigneeId).toBeNull();
    expect(await systemTexts()).toEqual([
      ...before,
      'Admin took the conversation',
      'Admin assigned the conversation to Dana Agent',
      'Admin unassigned the conversation',
    ]);
  });

  it('assigning to an unknown agent id is a 400 naming assigneeId and changes nothing', async () => {
    const before = await systemTexts();
    const response = await patch({ assigneeId: 'no-such-agent' });
    expect(response.status).toBe(400);
    expect(errorMessage(response.body)).toMatch(/^assigneeId:/);
    expect((await request<Conversation>(gateway.url, 'GET', `/api/conversations/${conversationId}`, { token })).body.assigneeId).toBeNull();
    expect(await systemTexts()).toEqual(before);
  });

  it('priority changes are recorded; setting the same value again records nothing', async () => {
    const before = await systemTexts();
    const event = await publishedDuring(() => patch({ priority: 'urgent' }), (e) => updated()(e) && e.data.priority === 'urgent');
    expect(event.data.priority).toBe('urgent');
    const again = await patch({ priority: 'urgent' });
    expect(again.body.priority).toBe('urgent');
    expect(await systemTexts()).toEqual([...before, 'Admin set priority to urgent']);
  });

  it('labels are deduplicated, keep their order and are recorded', async () => {
    const before = await systemTexts();
    let response!: Awaited<ReturnType<typeof patch>>;
    const event = await publishedDuring(
      async () => (response = await patch({ labels: ['vip', 'kyc', 'vip', 'scam-report'] })),
      (e) => updated()(e) && e.data.labels.length > 0,
    );
    expect(response.status).toBe(200);
    expect(response.body.labels).toEqual(['vip', 'kyc', 'scam-report']);
    expect(event.data.labels).toEqual(['vip', 'kyc', 'scam-report']);
    const cleared = await patch({ labels: [] });
    expect(cleared.body.labels).toEqual([]);
    expect(await systemTexts()).toEqual([...before, 'Admin set labels: vip, kyc, scam-report', 'Admin removed all labels']);
  });

  it('a label with a space is a 400 naming labels, and the labels stay as they were', async () => {
    await patch({ labels: ['vip'] });
    const response = await patch({ labels: ['ok', 'two words'] });
    expect(response.status).toBe(400);
    expect(errorMessage(response.body)).toMatch(/^labels\.1:/);
    expect((await request<Conversation>(gateway.url, 'GET', `/api/conversations/${conversationId}`, { token })).body.labels).toEqual(['vip']);
  });

  it('several changes in one PATCH become one system note each', async () => {
    const before = await systemTexts();
    const response = await patch({ status: 'pending', priority: 'low' });
    expect(response.body).toMatchObject({ status: 'pending', priority: 'low' });
    expect(await systemTexts()).toEqual([...before, 'Admin marked the conversation pending', 'Admin set priority to low']);
  });

  it('an unknown field is a 400 that names it', async () => {
    const response = await patch({ status: 'open', colour: 'red' });
    expect(response.status).toBe(400);
    expect(errorMessage(response.body)).toContain('colour');
    expect((await request<Conversation>(gateway.url, 'GET', `/api/conversations/${conversationId}`, { token })).body.status).toBe('pending');
  });

  it('an unknown conversation is a 404', async () => {
    const response = await patch({ status: 'resolved' }, '0000000000nosuchconversati');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: { code: 'not_found' } });
  });

  it('a resolved conversation reopens when the customer writes again, and stays one conversation', async () => {
    await deliver(gateway.url, { id: 'r-1', from: 'upd-2', text: 'thanks, all good' });
    const first = await conversationOf(gateway.url, token, 'upd-2');
    expect((await request<Conversation>(gateway.url, 'PATCH', `/api/conversations/${first.id}`, { token, body: { status: 'resolved' } })).body.status).toBe('resolved');

    await deliver(gateway.url, { id: 'r-2', from: 'upd-2', text: 'actually it happened again' });
    const reopened = await eventually(async () => {
      const r = await request<Conversation>(gateway.url, 'GET', `/api/conversations/${first.id}`, { token });
      return r.body.status === 'open' ? r.body : undefined;
    });
    expect(reopened.resolvedAt).toBeNull();
    const all = await request<{ items: Conversation[] }>(gateway.url, 'GET', '/api/conversations?channel=scripted&limit=100', { token });
    expect(all.body.items.filter((c) => c.contact.identities.some((i) => i.externalId === 'upd-2')).map((c) => c.id)).toEqual([first.id]);
    const texts = (await messagesOf(gateway.url, token, first.id)).filter((m) => m.author.type === 'contact').map((m) => m.text);
    expect(texts).toEqual(['thanks, all good', 'actually it happened again']);
  });
});
