import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertCanned } from '../../../src/store/canned.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { Visitor } from '../../support/visitor.js';

const desk = { safety: { footer: false }, autoAck: false, csat: { enabled: false } };

/**
 * Automation rules through real gateways: a rule runs once per event (two workers, a batch
 * delivered again), a chain of rules that would loop stops, a rule never triggers itself, a
 * catastrophic pattern times out, replies go through the safety guard and are sent once, and a
 * dry run changes nothing.
 */
describe('automation rules', () => {
  let gateway: TestGateway;
  let worker: TestGateway | undefined;
  let admin: string;
  let agentX: { id: string; token: string };

  beforeAll(async () => {
    gateway = await startTestGateway({ desk });
    admin = await loginAdmin(gateway.url);
    const created = await request(gateway.url, 'POST', '/api/agents', { token: admin, body: { email: 'x@example.com', name: 'Xia', password: 'xia-password-1' } });
    const login = await request(gateway.url, 'POST', '/api/auth/login', { body: { email: 'x@example.com', password: 'xia-password-1' } });
    agentX = { id: created.body.id, token: login.body.token };
  });
  afterAll(async () => {
    await worker?.stop();
    await gateway?.dispose();
  });

  const createRule = async (body: Record<string, unknown>): Promise<string> => {
    const created = await request(gateway.url, 'POST', '/api/automation/rules', { token: admin, body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body.id as string;
  };
  const disableAll = async (): Promise<void> => {
    const rules = await request(gateway.url, 'GET', '/api/automation/rules', { token: admin });
    for (const rule of rules.body.items) await request(gateway.url, 'PATCH', `/api/automation/rules/${rule.id}`, { token: admin, body: { enabled: false } });
  };
  const open = async (text: string): Promise<string> => {
    const visitor = await Visitor.create(gateway.url, 'web');
    expect((await visitor.send(text)).status).toBe(202);
    return eventually(async () => (await request(gateway.url, 'GET', `/api/conversations?q=${encodeURIComponent(text)}`, { token: admin })).body.items[0]?.id as string | undefined);
  };
  const runs = async (query: string): Promise<any[]> => (await request(gateway.url, 'GET', `/api/automation/runs?${query}&limit=200`, { token: admin })).body.items;
  const finishedRuns = (ruleId: string, conversationId: string) =>
    eventually(async () => {
      const list = await runs(`ruleId=${ruleId}&conversationId=${conversationId}`);
      return list.length > 0 && list.every((r) => r.status !== 'running') ? list : undefined;
    }, 15_000, `runs of ${ruleId}`);
  const conversation = async (id: string) => (await request(gateway.url, 'GET', `/api/conversations/${id}`, { token: admin })).body;
  const messages = async (id: string): Promise<any[]> => (await request(gateway.url, 'GET', `/api/conversations/${id}/messages?limit=200`, { token: admin })).body.items;
  /** The batch of a run's event delivered again, `copies` times at once, and waited for. */
  const redeliver = async (run: any, copies: number): Promise<void> => {
    const [type] = [run.eventType];
    const message = (await messages(run.conversationId)).find((m) => m.author.type === 'contact');
    const event =
      type === 'message.created'
        ? { type, conversationId: run.conversationId, messageId: message.id, direction: 'inbound', author: 'contact', id: run.eventId }
        : { type, conversationId: run.conversationId, id: run.eventId };
    const queue = gateway.deps.queues.deskEvents;
    const ids = Array.from({ length: copies }, (_, i) => `redeliver.${run.eventId}.${i}.${Date.now()}`);
    await queue.addBulk(ids.map((jobId) => ({ name: 'events', data: { batch: { id: run.eventId.split('.')[0], events: [event as never] } }, opts: { jobId } })));
    for (const id of ids) await eventually(async () => ((await queue.getJobState(id)) === 'unknown' ? true : undefined), 15_000, `redelivery ${id}`);
  };
  /** Waits until the conversation's timeline stops growing (the rules have settled). */
  const settled = async (id: string): Promise<any[]> => {
    let last = -1;
    let stable = 0;
    return eventually(async () => {
      const list = await messages(id);
      stable = list.length === last ? stable + 1 : 0;
      last = list.length;
      return stable >= 20 ? list : undefined;
    }, 30_000, 'the conversation to settle');
  };

  it('an invalid rule is refused with 400 naming the field; an agent gets 403', async () => {
    const base = { name: 'Bad', event: 'message.created', actions: [{ type: 'addLabel', label: 'x' }] };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...base, conditions: [{ kind: 'textMatches', pattern: '(unclosed' }] }, /^conditions\.0\.pattern: does not compile/],
      [{ ...base, conditions: [{ kind: 'textMatches', pattern: 'a'.repeat(501) }] }, /^conditions\.0\.pattern: at most 500/],
      [{ ...base, actions: [{ type: 'assign', agentId: 'nobody' }] }, /^actions\.0\.agentId: no active agent/],
      [{ ...base, actions: [] }, /^actions/],
      [{ ...base, event: 'conversation.created', conditions: [{ kind: 'textContains', words: ['x'] }] }, /^conditions\.0\.kind: textContains applies only to message\.created/],
      [{ ...base, actions: [{ type: 'snooze', duration: 'soon' }] }, /^actions\.0\.duration/],
    ];
    for (const [body, message] of cases) {
      const answer = await request(gateway.url, 'POST', '/api/automation/rules', { token: admin, body });
      expect(answer.status).toBe(400);
      expect(answer.body.error.message).toMatch(message);
    }
    expect((await request(gateway.url, 'POST', '/api/automation/rules', { token: agentX.token, body: base })).status).toBe(403);
    expect((await request(gateway.url, 'GET', '/api/automation/runs', { token: agentX.token })).status).toBe(403);
    expect((await request(gateway.url, 'GET', '/api/automation/rules', { token: admin })).body.items).toEqual([]);
  });

  it("'stolen' → label theft, assign, urgent: runs once, also when its batch is delivered twice more at once; audited", async () => {
    const ruleId = await createRule({
      name: 'Theft',
      event: 'message.created',
      conditions: [{ kind: 'textContains', words: ['STOLEN', 'hacked'] }, { kind: 'author', in: ['customer'] }],
      actions: [
        { type: 'addLabel', label: 'theft' },
        { type: 'assign', agentId: agentX.id },
        { type: 'priority', priority: 'urgent' },
      ],
    });
    const id = await open('help, my funds were stolen');
    const [run] = await finishedRuns(ruleId, id);
    // The safety triage may have made it urgent already: then the priority action is a no-op.
    expect(run).toMatchObject({ status: 'done', actionsDone: ['addLabel', 'assign', expect.stringMatching(/^priority/)], chain: [] });
    await redeliver(run, 2);
    expect(await runs(`ruleId=${ruleId}&conversationId=${id}`)).toHaveLength(1);
    const after = await conversation(id);
    expect(after).toMatchObject({ assigneeId: agentX.id, priority: 'urgent' });
    expect(after.labels).toContain('theft');
    const lines = await messages(id);
    expect(lines.filter((m) => m.system?.type === 'assigned')).toMatchObject([{ system: { params: { by: 'Rule: Theft', assignee: 'Xia' } } }]);
    expect(lines.filter((m) => m.system?.type === 'labels')).toHaveLength(1);
    const other = await open('a question about fees');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await runs(`conversationId=${other}`)).toEqual([]);
    const audit = await request(gateway.url, 'GET', '/api/audit', { token: admin });
    expect(audit.body.items.some((e: any) => e.action === 'automation.rule.create' && e.target.id === ruleId)).toBe(true);
  });

  it('a catastrophic pattern times out and is logged; the next rule on the same message still runs', async () => {
    await disableAll();
    const slow = await createRule({ name: 'Slow', event: 'message.created', conditions: [{ kind: 'textMatches', pattern: '(a+)+$', ignoreCase: false }], actions: [{ type: 'addLabel', label: 'never' }] });
    const after = await createRule({ name: 'After', event: 'message.created', conditions: [{ kind: 'textContains', words: ['aaaa'] }], actions: [{ type: 'addLabel', label: 'after' }] });
    const id = await open(`${'a'.repeat(40)}!`);
    expect(await finishedRuns(slow, id)).toMatchObject([{ status: 'skipped', error: 'regex timed out' }]);
    expect(await finishedRuns(after, id)).toMatchObject([{ status: 'done' }]);
    expect((await conversation(id)).labels).toEqual(['after']);
  });

  it('a rule on conversation.updated that adds a label runs once: its own change does not trigger it', async () => {
    await disableAll();
    const ruleId = await createRule({ name: 'Tagger', event: 'conversation.updated', actions: [{ type: 'addLabel', label: 'seen' }] });
    const id = await open('tag me once');
    expect((await request(gateway.url, 'PATCH', `/api/conversations/${id}`, { token: admin, body: { priority: 'low' } })).status).toBe(200);
    const list = await settled(id);
    expect(await runs(`ruleId=${ruleId}&conversationId=${id}`)).toMatchObject([{ status: 'done', actionsDone: ['addLabel'], chain: [] }]);
    expect(list.filter((m) => m.system?.type === 'labels' && m.system.params.by === 'Rule: Tagger')).toHaveLength(1);
  });

  it('three rules that would feed each other forever stop: each runs at most once per chain and the conversation settles', async () => {
    await disableAll();
    const a = await createRule({ name: 'Add a', event: 'conversation.updated', actions: [{ type: 'addLabel', label: 'a' }] });
    const b = await createRule({ name: 'High on a', event: 'conversation.updated', conditions: [{ kind: 'label', op: 'has', label: 'a' }], actions: [{ type: 'priority', priority: 'high' }, { type: 'note', text: 'saw a' }] });
    const c = await createRule({ name: 'Remove a', event: 'conversation.updated', conditions: [{ kind: 'label', op: 'has', label: 'a' }], actions: [{ type: 'removeLabel', label: 'a' }, { type: 'priority', priority: 'low' }] });
    const id = await open('loop starter');
    await request(gateway.url, 'PATCH', `/api/conversations/${id}`, { token: admin, body: { status: 'pending' } });
    const list = await settled(id);
    const all = (await runs(`conversationId=${id}`)).filter((r) => [a, b, c].includes(r.ruleId));
    expect(all.length).toBeGreaterThan(0);
    for (const run of all) {
      expect(run.chain).not.toContain(run.ruleId);
      expect(new Set(run.chain).size).toBe(run.chain.length);
    }
    // Every chain is a sequence of distinct rules: at most 3 + 3·2 + 3·2·1 runs per starting event.
    expect(all.length).toBeLessThanOrEqual(15);
    expect((await messages(id)).length).toBe(list.length);
  });

  it('a canned reply action is sent once, also when its event is delivered again', async () => {
    await disableAll();
    const canned = await request(gateway.url, 'POST', '/api/canned', { token: admin, body: { shortcut: 'refund', title: 'Refund', scope: 'shared', variants: { en: 'Hi {{contact.name}}, your refund is on its way.' } } });
    expect(canned.status).toBe(201);
    const ruleId = await createRule({ name: 'Refund', event: 'message.created', conditions: [{ kind: 'textContains', words: ['refund'] }], actions: [{ type: 'reply', cannedId: canned.body.id }] });
    const id = await open('where is my refund');
    const [run] = await finishedRuns(ruleId, id);
    expect(run.status).toBe('done');
    await redeliver(run, 2);
    const replies = (await messages(id)).filter((m) => m.author.name === 'Rule: Refund' && !m.private);
    expect(replies.map((m) => m.text)).toEqual(['Hi there, your refund is on its way.']);
    // Automation answers nobody: the reply is the desk's (author bot), not the team's first response.
    expect(replies[0]!.author.type).toBe('bot');
    expect((await request(gateway.url, 'GET', `/api/conversations/${id}`, { token: admin })).body.firstResponseAt).toBeNull();
  });

  it('a canned reply asking for a recovery phrase is refused by the safety guard: the run fails with unsafe_content, nothing is sent', async () => {
    await disableAll();
    // Saved while wallet safety was switched off: the guard at sending still stops it.
    const unsafe = await insertCanned(gateway.deps.db, 'cr_unsafe', { shortcut: 'unsafe', title: 'Unsafe', ownerId: null, en: 'Please send me your recovery phrase so we can restore the wallet.', zh: null });
    const ruleId = await createRule({ name: 'Unsafe', event: 'message.created', conditions: [{ kind: 'textContains', words: ['restore'] }], actions: [{ type: 'reply', cannedId: unsafe.id }] });
    const id = await open('please restore my wallet');
    const [run] = await finishedRuns(ruleId, id);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^unsafe_content: /);
    expect((await messages(id)).filter((m) => m.author.name === 'Rule: Unsafe')).toEqual([]);
  });

  it('business hours: outside on a closed day, inside on a 24/7 desk', async () => {
    await disableAll();
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const closed = await request(gateway.url, 'PUT', '/api/desk/settings/sla', { token: admin, body: { timezone: 'UTC', businessHours: { 'mon-sun': '00:00-24:00' }, holidays: [day(-1), day(0), day(1)] } });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    await createRule({ name: 'Night', event: 'message.created', conditions: [{ kind: 'businessHours', when: 'outside' }], actions: [{ type: 'addLabel', label: 'after-hours' }] });
    await createRule({ name: 'Day', event: 'message.created', conditions: [{ kind: 'businessHours', when: 'inside' }], actions: [{ type: 'addLabel', label: 'in-hours' }] });
    const night = await open('hello at night');
    await eventually(async () => ((await conversation(night)).labels.length > 0 ? true : undefined));
    expect((await conversation(night)).labels).toEqual(['after-hours']);
    expect((await request(gateway.url, 'DELETE', '/api/desk/settings/sla', { token: admin })).status).toBe(200);
    const dayId = await open('hello by day');
    await eventually(async () => ((await conversation(dayId)).labels.length > 0 ? true : undefined));
    expect((await conversation(dayId)).labels).toEqual(['in-hours']);
  });

  it('a dry run shows each condition and the actions that would run, and changes nothing', async () => {
    await disableAll();
    const id = await open('my balance looks wrong since yesterday');
    await settled(id);
    const before = { conversation: await conversation(id), messages: (await messages(id)).length, runs: (await runs(`conversationId=${id}`)).length };
    const rule = {
      name: 'Dry',
      event: 'message.created',
      conditions: [{ kind: 'textContains', words: ['balance'] }, { kind: 'priority', in: ['normal'] }, { kind: 'label', op: 'hasNot', label: 'theft' }],
      actions: [{ type: 'addLabel', label: 'theft' }, { type: 'assign', agentId: agentX.id }, { type: 'resolve' }],
    };
    const answer = await request(gateway.url, 'POST', '/api/automation/rules/test', { token: admin, body: { rule, conversationId: id } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({ matched: true, conditions: [{ outcome: true }, { outcome: true }, { outcome: true }], actions: [{ type: 'addLabel', changes: true }, { type: 'assign', changes: true }, { type: 'resolve', changes: true }] });
    const miss = await request(gateway.url, 'POST', '/api/automation/rules/test', { token: admin, body: { rule: { ...rule, conditions: [{ kind: 'textContains', words: ['refund'] }] }, conversationId: id } });
    expect(miss.body).toMatchObject({ matched: false, conditions: [{ kind: 'textContains', outcome: false }], actions: [] });
    expect(await conversation(id)).toEqual(before.conversation);
    expect((await messages(id)).length).toBe(before.messages);
    expect((await runs(`conversationId=${id}`)).length).toBe(before.runs);
    expect((await request(gateway.url, 'POST', '/api/automation/rules/test', { token: admin, body: { rule, conversationId: 'nope' } })).status).toBe(404);
  });

  it('two gateways with the worker role: each event runs the rule once, with its batch delivered to both again', async () => {
    await disableAll();
    const ruleId = await createRule({
      name: 'Theft two',
      event: 'message.created',
      conditions: [{ kind: 'textContains', words: ['stolen'] }],
      actions: [{ type: 'addLabel', label: 'theft' }, { type: 'assign', agentId: agentX.id }, { type: 'priority', priority: 'urgent' }],
    });
    // Started after the rule exists: its cache of rules is fresh (another process picks an edit up within seconds).
    worker = await startTestGateway({ env: { ROLE: 'worker' }, reuse: { schema: gateway.schema, prefix: gateway.prefix, dataDir: gateway.dataDir }, desk, httpOptional: true });
    const ids = await Promise.all(Array.from({ length: 4 }, (_, i) => open(`stolen again ${i}`)));
    for (const id of ids) {
      const [run] = await finishedRuns(ruleId, id);
      await redeliver(run, 4);
    }
    for (const id of ids) {
      expect(await runs(`ruleId=${ruleId}&conversationId=${id}`)).toMatchObject([{ status: 'done' }]);
      const lines = await messages(id);
      expect(lines.filter((m) => m.system?.type === 'assigned')).toHaveLength(1);
      expect(lines.filter((m) => m.system?.type === 'labels')).toHaveLength(1);
      const after = await conversation(id);
      expect(after).toMatchObject({ assigneeId: agentX.id, priority: 'urgent' });
      expect(after.labels.filter((l: string) => l === 'theft')).toHaveLength(1);
    }
  });
});
