import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEndpoint } from '../../../src/store/webhooks.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually } from '../../support/http.js';
import { Visitor } from '../../support/visitor.js';

/** A real receiver: answers the first `failFirst` requests 500, then verifies like a user's would. */
function receiver(failFirst: number) {
  const seen: { id: string; status: number }[] = [];
  const accepted: { id: string; type: string }[] = [];
  let secret = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = String(req.headers['webhook-id']);
      if (seen.length < failFirst) {
        seen.push({ id, status: 500 });
        res.writeHead(500).end('down for maintenance');
        return;
      }
      try {
        const event = new Webhook(secret).verify(Buffer.concat(chunks).toString('utf8'), req.headers as Record<string, string>) as { type: string };
        if (!accepted.some((a) => a.id === id)) accepted.push({ id, type: event.type });
        seen.push({ id, status: 204 });
        res.writeHead(204).end();
      } catch {
        seen.push({ id, status: 401 });
        res.writeHead(401).end('bad signature');
      }
    });
  });
  return { server, seen, accepted, setSecret: (s: string) => (secret = s) };
}

describe('outbound webhooks: retries until the receiver answers', () => {
  let gateway: TestGateway;
  const hook = receiver(3);
  beforeAll(async () => {
    hook.server.listen(0, '127.0.0.1');
    await once(hook.server, 'listening');
    gateway = await startTestGateway({ desk: { safety: { footer: false }, autoAck: false, csat: { enabled: false }, webhooks: { retrySchedule: ['1s', '1s', '1s'] } } });
  });
  afterAll(async () => {
    await gateway?.dispose();
    hook.server.close();
  });

  it('500 three times then 2xx: received 4 times with one webhook-id, accepted once, stored succeeded with 4 attempts', async () => {
    const { endpoint, secret } = await createEndpoint(gateway.deps.db, {
      url: `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}/hook`,
      events: ['message.created'],
      secretKey: gateway.config.secretKey,
    });
    hook.setSecret(secret);
    // The feature's cached endpoint list (what the ingest asks) is refreshed every few seconds.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    const visitor = await Visitor.create(gateway.url, 'web');
    expect((await visitor.send('my withdrawal is stuck')).status).toBe(202);
    const row = await eventually(async () => {
      const r = await gateway.deps.db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpoint.id).executeTakeFirst();
      return r?.status === 'succeeded' ? r : undefined;
    }, 30_000, 'the delivery to succeed');
    expect(row.attempts).toBe(4);
    expect(hook.seen.map((s) => s.status)).toEqual([500, 500, 500, 204]);
    expect(new Set(hook.seen.map((s) => s.id))).toEqual(new Set([row.id]));
    expect(hook.accepted).toEqual([{ id: row.id, type: 'message.created' }]);
    const attempts = await gateway.deps.db.selectFrom('webhook_attempts').select(['http_status', 'response_body']).where('delivery_id', '=', row.id).orderBy('id').execute();
    expect(attempts.map((a) => a.http_status)).toEqual([500, 500, 500, 204]);
    expect(attempts[0]!.response_body).toBe('down for maintenance');
  });

  it('a dead receiver: after the schedule the endpoint is disabled with a readable reason, and gets no new deliveries', async () => {
    const dead = receiver(1_000);
    dead.server.listen(0, '127.0.0.1');
    await once(dead.server, 'listening');
    try {
      const { endpoint } = await createEndpoint(gateway.deps.db, { url: `http://127.0.0.1:${(dead.server.address() as AddressInfo).port}/`, events: ['*'], secretKey: gateway.config.secretKey });
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      const visitor = await Visitor.create(gateway.url, 'web');
      expect((await visitor.send('is anyone there')).status).toBe(202);
      const disabled = await eventually(async () => {
        const r = await gateway.deps.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', endpoint.id).executeTakeFirstOrThrow();
        return r.enabled ? undefined : r;
      }, 30_000, 'the endpoint to be disabled');
      expect(disabled.disabled_reason).toMatch(/^every attempt of delivery msg_\S+ failed over \d+ s \(4 attempts\); last: HTTP 500 down for maintenance$/);
      expect(disabled.disabled_at).not.toBeNull();
      const before = await gateway.deps.db.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', endpoint.id).execute();
      expect((await visitor.send('still there?')).status).toBe(202);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const after = await gateway.deps.db.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', endpoint.id).execute();
      expect(after.length).toBe(before.length);
    } finally {
      dead.server.close();
    }
  });
});
