import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { loginAdmin, request } from '../../support/http.js';

interface AgentBody {
  id: string;
  email: string;
  name: string;
  role: string;
  active: boolean;
}

describe('agents: admin management, roles, deactivation and API tokens', () => {
  let gateway: TestGateway;
  let adminToken: string;
  let adminId: string;

  const me = (token: string) => request<AgentBody>(gateway.url, 'GET', '/api/me', { token });
  const login = (email: string, password: string) => request<{ token: string; agent: AgentBody }>(gateway.url, 'POST', '/api/auth/login', { body: { email, password } });
  const createAgent = (body: Record<string, unknown>, token = adminToken) => request<AgentBody>(gateway.url, 'POST', '/api/agents', { token, body });
  const setActive = (id: string, active: boolean, token = adminToken) => request<AgentBody>(gateway.url, 'PATCH', `/api/agents/${id}`, { token, body: { active } });
  const errorMessage = (body: unknown): string => (body as { error: { message: string } }).error.message;

  beforeAll(async () => {
    gateway = await startTestGateway();
    adminToken = await loginAdmin(gateway.url);
    adminId = (await me(adminToken)).body.id;
  });
  afterAll(async () => gateway?.dispose());

  it('an admin creates an agent (201) who can then sign in and read /api/me', async () => {
    const created = await createAgent({ email: 'Mei.Lin@Example.com', name: 'Mei Lin', password: 'eight+ chars' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'mei.lin@example.com', name: 'Mei Lin', role: 'agent', active: true });
    expect(Object.keys(created.body).filter((k) => /password|hash/i.test(k))).toEqual([]);

    const session = await login('mei.lin@example.com', 'eight+ chars');
    expect(session.status).toBe(200);
    expect(session.body.agent.id).toBe(created.body.id);
    const profile = await me(session.body.token);
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ id: created.body.id, email: 'mei.lin@example.com', role: 'agent' });
  });

  it('a second agent with the same email, in any letter case, is a 409 naming email', async () => {
    const duplicate = await createAgent({ email: 'MEI.LIN@example.com', name: 'Someone Else', password: 'another password' });
    expect(duplicate.status).toBe(409);
    expect(errorMessage(duplicate.body)).toMatch(/^email:/);
  });

  it('a too short password is a 400 naming password', async () => {
    const response = await createAgent({ email: 'short@example.com', name: 'Short', password: '1234567' });
    expect(response.status).toBe(400);
    expect(errorMessage(response.body)).toMatch(/^password:/);
  });

  it('a non-admin agent gets 403 on creating agents and on changing one, and nothing changes', async () => {
    const created = await createAgent({ email: 'plain@example.com', name: 'Plain Agent', password: 'plain password' });
    const victim = await createAgent({ email: 'victim@example.com', name: 'Victim', password: 'victim password' });
    const plain = (await login('plain@example.com', 'plain password')).body.token;

    const create = await createAgent({ email: 'sneaky@example.com', name: 'Sneaky', password: 'sneaky password', role: 'admin' }, plain);
    expect(create.status).toBe(403);
    const deactivate = await setActive(victim.body.id, false, plain);
    expect(deactivate.status).toBe(403);
    const self = await setActive(created.body.id, false, plain);
    expect(self.status).toBe(403);

    const agents = await request<{ items: AgentBody[] }>(gateway.url, 'GET', '/api/agents', { token: plain });
    expect(agents.status).toBe(200);
    expect(agents.body.items.find((a) => a.email === 'sneaky@example.com')).toBeUndefined();
    expect(agents.body.items.find((a) => a.id === victim.body.id)?.active).toBe(true);
  });

  it('deactivating an agent revokes its session and API tokens and blocks its sign-in', async () => {
    const created = await createAgent({ email: 'leaver@example.com', name: 'Leaver', password: 'leaver password' });
    const session = (await login('leaver@example.com', 'leaver password')).body.token;
    const apiToken = (await request<{ token: string }>(gateway.url, 'POST', '/api/tokens', { token: session, body: { name: 'script' } })).body.token;
    expect((await me(session)).status).toBe(200);
    expect((await me(apiToken)).status).toBe(200);

    const deactivated = await setActive(created.body.id, false);
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.active).toBe(false);

    expect((await me(session)).status).toBe(401);
    expect((await me(apiToken)).status).toBe(401);
    expect((await login('leaver@example.com', 'leaver password')).status).toBe(401);
  });

  it('an admin cannot deactivate itself (409) and stays able to work', async () => {
    const response = await setActive(adminId, false);
    expect(response.status).toBe(409);
    const profile = await me(adminToken);
    expect(profile.status).toBe(200);
    expect(profile.body).toMatchObject({ id: adminId, active: true, role: 'admin' });
  });

  it('changing an unknown agent is a 404', async () => {
    expect((await setActive('no-such-agent', false)).status).toBe(404);
  });

  it('POST /api/tokens returns a new API token that authenticates as the caller', async () => {
    const response = await request<{ token: string; agent: AgentBody }>(gateway.url, 'POST', '/api/tokens', { token: adminToken, body: { name: 'CRM sync' } });
    expect(response.status).toBe(201);
    expect(response.body.token).not.toBe(adminToken);
    expect(response.body.agent.id).toBe(adminId);
    const profile = await me(response.body.token);
    expect(profile.status).toBe(200);
    expect(profile.body.id).toBe(adminId);
    const list = await request(gateway.url, 'GET', '/api/conversations', { token: response.body.token });
    expect(list.status).toBe(200);
  });

  it('a token that was never issued is a 401', async () => {
    expect((await me('sb_not-a-real-token')).status).toBe(401);
  });
});
