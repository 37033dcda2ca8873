import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { SseClient } from '../../support/sse.js';
import { Visitor } from '../../support/visitor.js';

/**
 * Service levels end to end through a real gateway (Postgres, Redis, BullMQ delayed jobs): the
 * response-time promise, due times on the conversation, pausing, policy changes on priority, a
 * breach recorded once, and the inbox's breached view and due-time order.
 */
describe('service levels', () => {
  let gateway: TestGateway;
  let admin: string;
  let stream: SseClient;

  beforeAll(async () => {
    gateway = await startTestGateway({
      channels: [{ id: 'web', kind: 'webchat' }],
      desk: {
        safety: { footer: false },
        responseTargets: { webchat: '3s' },
        sla: [
          { name: 'urgent', match: { priority: 'urgent' }, firstResponse: '1h', nextResponse: '1h', resolution: '4h', always: true },
          { name: 'chat', firstResponse: 'channel', nextResponse: '1h', resolution: '2d' },
        ],
      },
    });
    admin = await loginAdmin(gateway.url);
    stream = new SseClient(`${gateway.url}/api/events`, { authorization: `Bearer ${admin}` });
    await stream.waitFor((e) => e.event === 'ready');
  });
  afterAll(async () => {
    await stream?.close();
    await gateway?.dispose();
  });

  const open = async (text: string): Promise<{ visitor: Visitor; conversationId: string }> => {
    const visitor = await Visitor.create(gateway.url);
    expect((await visitor.send(text)).status).toBe(202);
    const created = await stream.waitFor((e) => e.event === 'message.created' && e.data.text === text);
    return { visitor, conversationId: created.data.conversationId as string };
  };
  const conversation = async (id: string) => (await request(gateway.url, 'GET', `/api/conversations/${id}`, { token: admin })).body;
  const withSla = (id: string, check: (c: any) => boolean, timeoutMs = 10_000) =>
    eventually(async () => {
      const c = await conversation(id);
      return c.sla && check(c) ? c : undefined;
    }, timeoutMs, 'the conversation’s service level');
  const bots = async (visitor: Visitor) => (await visitor.history()).body.items.filter((m: any) => m.author.type === 'bot');

  it('the first message is answered once with the expected response time, in the customer’s language', async () => {
    const { visitor } = await open('Hello, my withdrawal is stuck');
    await eventually(async () => ((await bots(visitor)).length === 1 ? true : undefined));
    await visitor.send('are you there?');
    const chinese = await open('你好，我的提现一直没到账');
    await eventually(async () => ((await bots(chinese.visitor)).length === 1 ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // room for a second acknowledgement, had one been due
    expect((await bots(visitor)).map((m: any) => m.text)).toEqual(['Thanks for your message, we have it. We usually answer here within 3 seconds.']);
    expect((await bots(chinese.visitor)).map((m: any) => m.text)).toEqual(['感谢您的留言，我们已收到。通常我们会在3秒内在这里回复您。']);
  });

  it('an urgent case (theft reported) is told a person is on it, and runs on the urgent policy', async () => {
    const { visitor, conversationId } = await open('HELP my funds were stolen from my wallet');
    const [ack] = await eventually(async () => {
      const found = await bots(visitor);
      return found.length > 0 ? found : undefined;
    });
    expect(ack.text).toMatch(/^Thanks for reaching out\. A member of our team is on it now/);
    const c = await withSla(conversationId, (x) => x.sla.policy === 'urgent');
    expect(Date.parse(c.sla.firstResponseDueAt) - Date.parse(c.createdAt)).toBe(3_600_000);
  });

  it('the conversation carries its due times; the breach is recorded once, as a system line and an event, and shows in the breached view', async () => {
    const { conversationId } = await open('my deposit has not arrived');
    // Written with the conversation in its ingest: the created event already shows the due times.
    const created = await stream.waitFor((e) => e.event === 'conversation.created' && e.data.id === conversationId);
    expect(Date.parse(created.data.sla.firstResponseDueAt) - Date.parse(created.data.createdAt)).toBe(3_000);
    const running = await withSla(conversationId, (c) => c.sla.firstResponseDueAt !== null);
    expect(running.sla).toMatchObject({ policy: 'chat', always: false, breaches: [] });
    expect(Date.parse(running.sla.firstResponseDueAt) - Date.parse(running.createdAt)).toBe(3_000);
    expect(Date.parse(running.sla.resolutionDueAt) - Date.parse(running.createdAt)).toBe(2 * 86_400_000);
    expect(running.sla.nextResponseDueAt).toBeNull();

    const breach = await stream.waitFor((e) => e.event === 'conversation.sla_breached' && e.data.id === conversationId, 15_000);
    expect(breach.data.sla.breaches).toEqual([{ metric: 'firstResponse', at: running.sla.firstResponseDueAt }]);
    await stream.waitFor((e) => e.event === 'conversation.sla_warning' && e.data.id === conversationId);
    const breached = await request(gateway.url, 'GET', '/api/conversations?sla=breached', { token: admin });
    expect(breached.body.items.map((c: any) => c.id)).toContain(conversationId);
    const messages = (await request(gateway.url, 'GET', `/api/conversations/${conversationId}/messages`, { token: admin })).body.items;
    expect(messages.filter((m: any) => m.system?.type === 'sla-breached')).toMatchObject([{ system: { params: { metric: 'firstResponse', policy: 'chat' } }, private: true }]);

    // Answering meets the first response (late) and leaves the breached view.
    expect((await request(gateway.url, 'POST', `/api/conversations/${conversationId}/messages`, { token: admin, body: { text: 'Looking into it now.' } })).status).toBe(202);
    const answered = await withSla(conversationId, (c) => c.sla.clocks.find((k: any) => k.metric === 'firstResponse')?.state === 'met');
    expect(answered.sla.firstResponseDueAt).toBeNull();
    expect((await request(gateway.url, 'GET', '/api/conversations?sla=breached', { token: admin })).body.items.map((c: any) => c.id)).not.toContain(conversationId);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(stream.events.filter((e) => e.event === 'conversation.sla_breached' && e.data.id === conversationId)).toHaveLength(1);
  });

  it('a customer writing after the answer starts the next-response clock; pending pauses every clock', async () => {
    const { visitor, conversationId } = await open('how long does a bank transfer take?');
    await request(gateway.url, 'POST', `/api/conversations/${conversationId}/messages`, { token: admin, body: { text: 'Usually a day.' } });
    await withSla(conversationId, (c) => c.sla.clocks.some((k: any) => k.metric === 'firstResponse' && k.state === 'met'));
    await visitor.send('and on weekends?');
    const waiting = await withSla(conversationId, (c) => c.sla.nextResponseDueAt !== null);
    expect(Date.parse(waiting.sla.nextResponseDueAt) - Date.parse(waiting.waitingSince)).toBe(3_600_000);

    expect((await request(gateway.url, 'PATCH', `/api/conversations/${conversationId}`, { token: admin, body: { status: 'pending' } })).status).toBe(200);
    const paused = await withSla(conversationId, (c) => c.sla.clocks.every((k: any) => k.state !== 'running'));
    expect(paused.sla).toMatchObject({ nextResponseDueAt: null, resolutionDueAt: null });
    expect(paused.sla.clocks.find((k: any) => k.metric === 'nextResponse').leftMs).toBeGreaterThan(3_500_000);
    const runningOnly = await request(gateway.url, 'GET', '/api/conversations?sla=running&limit=100', { token: admin });
    expect(runningOnly.body.items.map((c: any) => c.id)).not.toContain(conversationId);

    await request(gateway.url, 'PATCH', `/api/conversations/${conversationId}`, { token: admin, body: { status: 'open' } });
    const resumed = await withSla(conversationId, (c) => c.sla.nextResponseDueAt !== null);
    expect(Date.parse(resumed.sla.nextResponseDueAt)).toBeGreaterThan(Date.parse(waiting.sla.nextResponseDueAt));
  });

  it('a priority change moves the conversation to the policy that now fits, keeping the time used', async () => {
    const { conversationId } = await open('the app shows the wrong balance');
    const before = await withSla(conversationId, (c) => c.sla.policy === 'chat');
    await request(gateway.url, 'PATCH', `/api/conversations/${conversationId}`, { token: admin, body: { priority: 'urgent' } });
    const urgent = await withSla(conversationId, (c) => c.sla.policy === 'urgent');
    const due = Date.parse(urgent.sla.firstResponseDueAt);
    expect(due - Date.parse(before.createdAt)).toBe(3_600_000);
  });

  it('sorts by the soonest due time and filters by due time, paging with the same order', async () => {
    const ids: string[] = [];
    for (const text of ['sort one', 'sort two', 'sort three']) ids.push((await open(text)).conversationId);
    for (const id of ids) await withSla(id, (c) => c.sla.resolutionDueAt !== null);
    const all: any[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await request(gateway.url, 'GET', `/api/conversations?sort=due&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: admin });
      expect(page.status).toBe(200);
      all.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    const dues = all.map((c) => c.sla?.clocks.filter((k: any) => k.dueAt).map((k: any) => Date.parse(k.dueAt)).sort((a: number, b: number) => a - b)[0] ?? Infinity);
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
    const soon = await request(gateway.url, 'GET', `/api/conversations?dueBefore=${encodeURIComponent(new Date(Date.now() + 10 * 60_000).toISOString())}&limit=100`, { token: admin });
    for (const c of soon.body.items) expect(c.sla.clocks.some((k: any) => k.dueAt && Date.parse(k.dueAt) < Date.now() + 10 * 60_000)).toBe(true);
    const wrongCursor = await request(gateway.url, 'GET', `/api/conversations?sort=activity&cursor=${Buffer.from(JSON.stringify({ d: null, id: 'x' })).toString('base64url')}`, { token: admin });
    expect(wrongCursor.status).toBe(400);
  });

  it('admins change the targets in the inbox; a wrong one is a 400 naming the field', async () => {
    const wrong = await request(gateway.url, 'PUT', '/api/desk/settings/sla', { token: admin, body: { responseTargets: { webchat: 'soon' } } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toMatch(/^responseTargets\.webchat: a duration/);
    const changed = await request(gateway.url, 'PUT', '/api/desk/settings/sla', {
      token: admin,
      body: { timezone: 'Asia/Shanghai', businessHours: { 'mon-sun': '00:00-24:00' }, responseTargets: { webchat: '10m' }, sla: [{ name: 'all', firstResponse: 'channel' }] },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.settings).toMatchObject({ timezone: 'Asia/Shanghai', businessHours: { 'mon-sun': '00:00-24:00' }, sla: [{ name: 'all', firstResponse: 'channel', always: false }] });
    const { conversationId } = await open('after the change');
    const c = await withSla(conversationId, (x) => x.sla.policy === 'all');
    expect(Date.parse(c.sla.firstResponseDueAt) - Date.parse(c.createdAt)).toBe(600_000);
    expect(c.sla.resolutionDueAt).toBeNull();
  });
});
