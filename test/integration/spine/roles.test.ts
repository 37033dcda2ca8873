import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { loginAdmin, request } from '../../support/http.js';
import { SseClient } from '../../support/sse.js';
import { Visitor } from '../../support/visitor.js';

/**
 * DESIGN §8: an API process and a worker process share only Postgres and Redis; events the worker
 * publishes reach the agents connected to the API process, through Redis pub/sub.
 */
describe('split roles: ROLE=api and ROLE=worker in separate gateways', () => {
  let api: TestGateway;
  let worker: TestGateway;

  beforeAll(async () => {
    api = await startTestGateway({ env: { ROLE: 'api' } });
    worker = await startTestGateway({ env: { ROLE: 'worker' }, reuse: { schema: api.schema, prefix: api.prefix, dataDir: api.dataDir }, httpOptional: true });
  });
  afterAll(async () => {
    await worker?.stop();
    await api?.dispose();
  });

  it('the worker stores what the API accepted, and its events reach SSE clients of the API process', async () => {
    expect(worker.url).toBe('');
    const token = await loginAdmin(api.url);
    const events = new SseClient(`${api.url}/api/events`, { authorization: `Bearer ${token}` });
    await events.waitFor((e) => e.event === 'ready');
    const visitor = await Visitor.create(api.url);
    const visitorEvents = visitor.events();
    await visitorEvents.waitFor((e) => e.event === 'ready');
    await visitor.send('across processes');
    const created = await events.waitFor((e) => e.event === 'message.created');
    expect(created.data.text).toBe('across processes');

    const reply = await request(api.url, 'POST', `/api/conversations/${created.data.conversationId}/messages`, { token, body: { text: 'answered by the worker process' } });
    expect(reply.status).toBe(202);
    const live = await visitorEvents.waitFor((e) => e.event === 'message');
    expect(live.data.message.text).toBe('answered by the worker process');
    await events.waitFor((e) => e.event === 'message.updated' && e.data.id === reply.body.id && e.data.status === 'sent');
    await Promise.all([events.close(), visitorEvents.close()]);
  });
});
