import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/runtime/paths.js';
import { createEndpoint } from '../../../src/store/webhooks.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually } from '../../support/http.js';
import { Visitor } from '../../support/visitor.js';

const desk = { webhooks: { retrySchedule: ['1s', '1s', '1s'] }, safety: { footer: false }, autoAck: false, csat: { enabled: false } };

interface Seen {
  id: string;
  body: string;
  headers: Record<string, string>;
}

/**
 * A receiver that accepts the first request and never answers it (the worker sending it is killed
 * meanwhile); every later request is verified with the secret, as a user's receiver would, and 204.
 */
function receiver() {
  const seen: Seen[] = [];
  const verified: { id: string; event: { type: string; data: { text?: string } } }[] = [];
  const held: ServerResponse[] = [];
  let secret = '';
  let firstSeen: (s: Seen) => void = () => undefined;
  const first = new Promise<Seen>((resolve) => (firstSeen = resolve));
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s = { id: String(req.headers['webhook-id']), body: Buffer.concat(chunks).toString('utf8'), headers: req.headers as Record<string, string> };
      seen.push(s);
      if (seen.length === 1) {
        held.push(res);
        firstSeen(s);
        return;
      }
      try {
        verified.push({ id: s.id, event: new Webhook(secret).verify(s.body, s.headers) as { type: string; data: { text?: string } } });
        res.writeHead(204).end();
      } catch {
        res.writeHead(401).end('bad signature');
      }
    });
  });
  return { server, seen, verified, first, held, setSecret: (value: string) => (secret = value) };
}

/** A worker-role gateway in its own process (test/support/webhooks-worker-child.ts), to be killed with SIGKILL. */
function startWorkerChild(gateway: TestGateway): { child: ChildProcess; output: () => string; ready: Promise<void> } {
  const args = ['--import', 'tsx', join(projectRoot, 'test/support/webhooks-worker-child.ts'), gateway.schema, gateway.prefix, gateway.dataDir, JSON.stringify(desk)];
  const child = spawn(process.execPath, args, { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready\n')) resolve();
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code, signal) => reject(new Error(`worker child exited (${code ?? signal}) before it was ready: ${out}`)));
  });
  return { child, output: () => out, ready };
}

const within = <T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(what())), ms))]);

/**
 * Issue 18: "kill -9 of the worker during delivery loses no event". The only worker process is
 * killed while its request to the receiver is in flight; the next worker (BullMQ's stalled check
 * or the sweep hands the job back) sends the same delivery — same `webhook-id`, still signed —
 * and the outbox holds one delivery for the event, succeeded.
 */
describe('outbound webhooks: kill -9 of the worker mid-delivery', () => {
  let api: TestGateway;
  let worker: TestGateway | undefined;
  let holder: ReturnType<typeof startWorkerChild> | undefined;
  const hook = receiver();

  beforeAll(async () => {
    hook.server.listen(0, '127.0.0.1');
    await once(hook.server, 'listening');
    // HTTP only: no worker of its own, so the child is the only process delivering webhooks.
    api = await startTestGateway({ env: { ROLE: 'api' }, desk });
  });
  afterAll(async () => {
    holder?.child.kill('SIGKILL');
    await worker?.stop();
    for (const res of hook.held) res.destroy();
    hook.server.close();
    await api?.dispose();
  });

  it('the delivery in flight is sent again with the same webhook-id, verifies, succeeds, and is one row', async () => {
    const { endpoint, secret } = await createEndpoint(api.deps.db, {
      url: `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}/hook`,
      events: ['message.created'],
      secretKey: api.config.secretKey,
    });
    hook.setSecret(secret);
    holder = startWorkerChild(api);
    await within(holder.ready, 60_000, () => `worker child not ready: ${holder?.output()}`);

    const visitor = await Visitor.create(api.url, 'web');
    expect((await visitor.send('killed mid-delivery')).status).toBe(202);
    const first = await within(hook.first, 30_000, () => `the receiver saw no request: ${holder?.output()}`);
    holder.child.kill('SIGKILL');
    await once(holder.child, 'exit');
    holder = undefined;

    // Killed before the attempt was recorded: the row is pending with no attempt.
    const pending = await api.deps.db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpoint.id).execute();
    expect(pending.map((r) => ({ id: r.id, status: r.status, attempts: r.attempts }))).toEqual([{ id: first.id, status: 'pending', attempts: 0 }]);
    expect(hook.verified).toEqual([]);

    worker = await startTestGateway({ env: { ROLE: 'worker' }, reuse: { schema: api.schema, prefix: api.prefix, dataDir: api.dataDir }, desk, httpOptional: true });
    const done = await eventually(async () => {
      const r = await api.deps.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', first.id).executeTakeFirstOrThrow();
      return r.status === 'succeeded' ? r : undefined;
    }, 60_000, 'the delivery to succeed after the kill');
    expect(done.attempts).toBe(1);

    expect(hook.seen.length).toBeGreaterThanOrEqual(2);
    expect(new Set(hook.seen.map((s) => s.id))).toEqual(new Set([first.id]));
    expect(hook.verified.length).toBeGreaterThanOrEqual(1);
    for (const v of hook.verified) {
      expect(v.id).toBe(first.id);
      expect(v.event.type).toBe('message.created');
      expect(v.event.data.text).toBe('killed mid-delivery');
    }
    // The same bytes as the request the killed worker sent (only the timestamp header moves).
    expect(hook.seen.at(-1)!.body).toBe(first.body);
    const rows = await api.deps.db.selectFrom('webhook_deliveries').select(['id', 'status']).where('endpoint_id', '=', endpoint.id).execute();
    expect(rows).toEqual([{ id: first.id, status: 'succeeded' }]);
  });
});
