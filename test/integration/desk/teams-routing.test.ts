import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { SseClient } from '../../support/sse.js';
import { Visitor } from '../../support/visitor.js';

interface Person {
  id: string;
  name: string;
  token: string;
  stream?: SseClient;
}

/**
 * Teams through a real gateway: new conversations join the team that takes their channel and are
 * handed round-robin to online members under their capacity (presence = the inbox's live
 * connection); escalation goes to the supervisor, the customer is told; a breach escalates by itself.
 */
describe('teams, routing and escalation', () => {
  let gateway: TestGateway;
  let admin: string;
  const people: Record<'ana' | 'bo' | 'cy' | 'sue', Person> = {} as never;
  let teamId: string;

  beforeAll(async () => {
    gateway = await startTestGateway({
      channels: [
        { id: 'web', kind: 'webchat' },
        { id: 'fast', kind: 'webchat' },
      ],
      desk: {
        safety: { footer: false },
        autoAck: false,
        responseTargets: { web: '1h', fast: '2s' },
        sla: [{ name: 'chat', firstResponse: 'channel' }],
      },
    });
    admin = await loginAdmin(gateway.url);
    for (const name of ['ana', 'bo', 'cy', 'sue'] as const) {
      const created = await request(gateway.url, 'POST', '/api/agents', { token: admin, body: { email: `${name}@example.com`, name, password: `${name}-password-1` } });
      expect(created.status).toBe(201);
      const login = await request(gateway.url, 'POST', '/api/auth/login', { body: { email: `${name}@example.com`, password: `${name}-password-1` } });
      people[name] = { id: created.body.id, name, token: login.body.token };
    }
  });
  afterAll(async () => {
    for (const person of Object.values(people)) await person.stream?.close();
    await gateway?.dispose();
  });

  const goOnline = async (person: Person): Promise<void> => {
    person.stream = new SseClient(`${gateway.url}/api/events`, { authorization: `Bearer ${person.token}` });
    await person.stream.waitFor((e) => e.event === 'ready');
  };
  const open = async (text: string, channel = 'web'): Promise<{ visitor: Visitor; id: string }> => {
    const visitor = await Visitor.create(gateway.url, channel);
    expect((await visitor.send(text)).status).toBe(202);
    const id = await eventually(async () => (await request(gateway.url, 'GET', `/api/conversations?q=${encodeURIComponent(text)}`, { token: admin })).body.items[0]?.id as string | undefined);
    return { visitor, id };
  };
  const conversation = async (id: string) => (await request(gateway.url, 'GET', `/api/conversations/${id}`, { token: admin })).body;
  const systemLines = async (id: string, type: string) => (await request(gateway.url, 'GET', `/api/conversations/${id}/messages`, { token: admin })).body.items.filter((m: any) => m.system?.type === type);

  it('admins create teams; a wrong agent, a duplicate name or a non-admin is refused', async () => {
    const body = { name: 'Support', supervisorId: people.sue.id, channels: ['web'], members: ['ana', 'bo', 'cy'].map((n) => ({ agentId: people[n as 'ana'].id, capacity: 2 })) };
    expect((await request(gateway.url, 'POST', '/api/teams', { token: people.ana.token, body })).status).toBe(403);
    const unknown = await request(gateway.url, 'POST', '/api/teams', { token: admin, body: { ...body, members: [{ agentId: 'nobody', capacity: 2 }] } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/members: no agent nobody/);
    const created = await request(gateway.url, 'POST', '/api/teams', { token: admin, body });
    expect(created.status).toBe(201);
    teamId = created.body.id;
    expect(created.body).toMatchObject({ name: 'Support', supervisorId: people.sue.id, autoAssign: true, members: [{ capacity: 2, online: false }, { capacity: 2, online: false }, { capacity: 2, online: false }] });
    expect((await request(gateway.url, 'POST', '/api/teams', { token: admin, body: { ...body, name: 'support' } })).status).toBe(409);
    const loop = await request(gateway.url, 'PUT', `/api/teams/${teamId}`, { token: admin, body: { ...body, parentId: teamId } });
    expect(loop.status).toBe(400);
  });

  it('round-robin with capacity 2 over 3 agents, one offline: the two online ones get two each; the fifth waits for the third', async () => {
    await goOnline(people.ana);
    await goOnline(people.cy);
    const listed = await request(gateway.url, 'GET', '/api/teams', { token: admin });
    expect(listed.body.items[0].members.filter((m: any) => m.online).map((m: any) => m.agentId).sort()).toEqual([people.ana.id, people.cy.id].sort());

    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) ids.push((await open(`routing question ${i}`)).id);
    const placed = await eventually(async () => {
      const all = await Promise.all(ids.map(conversation));
      // Placement and assignment run per desk batch: under load the fifth may join the team a moment after the others are assigned.
      return all.filter((c) => c.assigneeId !== null).length === 4 && all.every((c) => c.teamId !== null) ? all : undefined;
    }, 15_000, 'four assignments');
    expect(placed.every((c) => c.teamId === teamId)).toBe(true);
    const byAgent = (list: any[]) => list.reduce((m: Record<string, number>, c) => ({ ...m, [c.assigneeId ?? 'none']: (m[c.assigneeId ?? 'none'] ?? 0) + 1 }), {});
    expect(byAgent(placed)).toEqual({ [people.ana.id]: 2, [people.cy.id]: 2, none: 1 });
    expect(await systemLines(placed.find((c) => c.assigneeId)!.id, 'assigned')).toMatchObject([{ system: { params: { by: 'desk.routing' } } }]);

    // Bo opens the inbox: what waited in the team is theirs.
    await goOnline(people.bo);
    const waiting = placed.find((c) => c.assigneeId === null)!;
    await eventually(async () => ((await conversation(waiting.id)).assigneeId === people.bo.id ? true : undefined), 10_000, 'the waiting one assigned to bo');

    // Ana resolves one: she has room again, and the next new conversation may be hers.
    const anas = placed.filter((c) => c.assigneeId === people.ana.id);
    await request(gateway.url, 'PATCH', `/api/conversations/${anas[0].id}`, { token: people.ana.token, body: { status: 'resolved' } });
    const next = await open('routing question after a resolve');
    const assigned = await eventually(async () => ((await conversation(next.id)).assigneeId as string | null) ?? undefined, 10_000);
    expect([people.ana.id, people.bo.id]).toContain(assigned);
  });

  it("an agent escalates with a reason: the team's supervisor takes over and the customer is told, once", async () => {
    const { visitor, id } = await open('I want to complain about the fees');
    await eventually(async () => ((await conversation(id)).assigneeId ? true : undefined));
    const escalated = await request(gateway.url, 'POST', `/api/conversations/${id}/escalate`, { token: people.ana.token, body: { reason: 'complaint' } });
    expect(escalated.status).toBe(200);
    expect(escalated.body).toMatchObject({ assigneeId: people.sue.id, escalation: { level: 1, reason: 'complaint', by: 'ana', assignedTo: people.sue.id } });
    expect(await systemLines(id, 'escalated')).toMatchObject([{ system: { params: { by: 'ana', reason: 'complaint', assignee: 'sue', level: '1' } } }]);
    const told = await eventually(async () => {
      const bots = (await visitor.history()).body.items.filter((m: any) => m.author.type === 'bot');
      return bots.length > 0 ? bots : undefined;
    });
    expect(told.map((m: any) => m.text)).toEqual(['A support manager has taken over your conversation and will continue with you here.']);
    // The supervisor sees it among the escalated ones; there is nobody above her.
    await people.sue.stream?.close();
    await goOnline(people.sue);
    const theirs = await request(gateway.url, 'GET', `/api/conversations?assignee=me&escalated=true&team=${teamId}`, { token: people.sue.token });
    expect(theirs.body.items.map((c: any) => c.id)).toEqual([id]);
    const again = await request(gateway.url, 'POST', `/api/conversations/${id}/escalate`, { token: people.sue.token, body: { reason: 'complaint' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('no_supervisor');
    const bad = await request(gateway.url, 'POST', `/api/conversations/${id}/escalate`, { token: people.sue.token, body: { reason: 'because' } });
    expect(bad.status).toBe(400);
  });

  it('a breached SLA escalates by itself one level, once', async () => {
    const fast = await request(gateway.url, 'POST', '/api/teams', { token: admin, body: { name: 'Fast lane', supervisorId: people.sue.id, channels: ['fast'] } });
    expect(fast.status).toBe(201);
    const { id } = await open('is anyone there? quick question', 'fast');
    const escalated = await eventually(async () => {
      const c = await conversation(id);
      return c.escalation ? c : undefined;
    }, 15_000, 'the automatic escalation');
    expect(escalated).toMatchObject({ teamId: fast.body.id, assigneeId: people.sue.id, escalation: { level: 1, reason: 'sla-breach', by: 'desk.sla' } });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await systemLines(id, 'escalated')).toHaveLength(1);
    expect(await systemLines(id, 'sla-breached')).toHaveLength(1);
  });

  it('an agent moves a conversation to another team; unknown teams are refused', async () => {
    const { id } = await open('move me please');
    const other = await request(gateway.url, 'GET', '/api/teams', { token: admin });
    const fastLane = other.body.items.find((t: any) => t.name === 'Fast lane');
    const moved = await request(gateway.url, 'PUT', `/api/conversations/${id}/team`, { token: people.ana.token, body: { teamId: fastLane.id } });
    expect(moved.status).toBe(200);
    expect(moved.body.teamId).toBe(fastLane.id);
    expect(await systemLines(id, 'team')).toMatchObject([{ system: { params: { by: 'ana', team: 'Fast lane' } } }]);
    expect((await request(gateway.url, 'PUT', `/api/conversations/${id}/team`, { token: people.ana.token, body: { teamId: 'nope' } })).status).toBe(400);
    // Deleting the team keeps the conversation, without a team, and says so live.
    const live = new SseClient(`${gateway.url}/api/events`, { authorization: `Bearer ${admin}` });
    await live.waitFor((e) => e.event === 'ready');
    expect((await request(gateway.url, 'DELETE', `/api/teams/${fastLane.id}`, { token: admin })).status).toBe(204);
    await live.waitFor((e) => e.event === 'conversation.updated' && e.data.id === id && e.data.teamId === null);
    await live.close();
  });
});
