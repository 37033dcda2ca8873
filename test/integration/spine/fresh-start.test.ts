import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, request } from '../../support/http.js';
import { GatewayProcess } from '../../support/process.js';
import { freePort } from '../../support/redis-server.js';
import { Visitor } from '../../support/visitor.js';

/**
 * The README's first command on a fresh data directory: no DATABASE_URL, no REDIS_URL, no
 * accounts — embedded PGlite and a private redis-server, started and stopped by the gateway.
 */
describe('npm start on a fresh data directory', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchboard-fresh-'));
  let gateway: GatewayProcess;

  afterAll(async () => {
    await gateway?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the demo page and the API, prints the generated admin password once, and keeps data across restarts', async () => {
    gateway = new GatewayProcess({ PORT: String(await freePort()), DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, ['npm', 'start', '--silent']);
    await gateway.start(180_000);

    const demo = await fetch(`${gateway.url}/demo`);
    expect(demo.status).toBe(200);
    expect(await demo.text()).toContain('/widget.js');
    const script = await fetch(`${gateway.url}/widget.js`);
    expect(script.headers.get('content-type')).toMatch(/javascript/);

    const password = /password: (\S+)/.exec(gateway.stdout)?.[1];
    expect(password).toBeDefined();
    const login = await request(gateway.url, 'POST', '/api/auth/login', { body: { email: 'admin@localhost', password } });
    expect(login.status).toBe(200);
    const token = login.body.token as string;

    const visitor = await Visitor.create(gateway.url);
    expect((await visitor.send('hello from a fresh install')).status).toBe(202);
    const conversation = await eventually(async () => (await request(gateway.url, 'GET', '/api/conversations', { token })).body.items[0], 20_000);
    expect(conversation.contact.identities[0].externalId).toBe(visitor.visitorId);
    // Out of the box the first message is answered with the expected response time (DESIGN §10 autoAck).
    const promise = 'Thanks for your message, we have it. We usually answer here within 5 minutes.';
    await eventually(async () => ((await visitor.history()).body.items.some((m: { text: string }) => m.text === promise) ? true : undefined), 20_000, 'the response-time promise');

    const redisPort = Number(readFileSync(join(dataDir, 'redis', 'port'), 'utf8'));
    // SIGTERM (as Ctrl-C or a process manager sends it): the gateway drains and its private
    // redis-server goes away with it instead of lingering.
    await gateway.stop();
    await eventually(async () => ((await answers(redisPort)) ? undefined : true), 15_000, 'embedded redis-server stopped');

    await gateway.start(180_000);
    expect(gateway.stdout).not.toMatch(/password:/);
    const again = await request(gateway.url, 'GET', `/api/conversations/${conversation.id}/messages`, { token });
    expect(again.body.items.map((m: { text: string }) => m.text)).toEqual(['hello from a fresh install', promise]);
    await gateway.stop();
  }, 400_000);
});

async function answers(port: number): Promise<boolean> {
  const client = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}
