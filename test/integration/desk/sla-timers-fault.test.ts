import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/runtime/paths.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { Visitor } from '../../support/visitor.js';

/** `slow`: a target long enough to stop the gateways before its timers are due. */
const channels = [
  { id: 'web', kind: 'webchat' },
  { id: 'slow', kind: 'webchat' },
];
const desk = {
  safety: { footer: false },
  autoAck: false,
  responseTargets: { webchat: '2s', slow: '8s' },
  sla: [{ name: 'chat', firstResponse: 'channel' }],
};

/** A worker process that takes the first due timer and holds it until killed (test/support/hold-timer-child.ts). */
function startHolder(prefix: string): { child: ChildProcess; output: () => string; holding: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'test/support/hold-timer-child.ts'), prefix], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const holding = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /holding (\S+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code, signal) => reject(new Error(`holder exited (${code ?? signal}) before holding a timer: ${out}`)));
  });
  return { child, output: () => out, holding };
}

/**
 * SLA timers are BullMQ delayed jobs: with two workers running each breach is recorded once, and
 * a worker killed with SIGKILL while it holds the timer leaves it to the others, which record the
 * breach once when BullMQ's stalled check hands the job back.
 */
describe('SLA timers across workers and a kill -9', () => {
  let all: TestGateway;
  let worker: TestGateway | undefined;
  let admin: string;

  beforeAll(async () => {
    all = await startTestGateway({ channels, desk });
    admin = await loginAdmin(all.url);
  });
  afterAll(async () => {
    await worker?.stop();
    await all?.dispose();
  });

  const open = async (text: string, channel = 'web'): Promise<string> => {
    const visitor = await Visitor.create(all.url, channel);
    expect((await visitor.send(text)).status).toBe(202);
    return eventually(async () => {
      const list = await request(all.url, 'GET', `/api/conversations?q=${encodeURIComponent(text)}`, { token: admin });
      const found = list.body.items?.[0];
      return found?.sla?.firstResponseDueAt ? (found.id as string) : undefined;
    });
  };
  const breachLines = async (id: string): Promise<number> =>
    (await request(all.url, 'GET', `/api/conversations/${id}/messages`, { token: admin })).body.items.filter((m: any) => m.system?.type === 'sla-breached').length;
  const breachEvents = async (id: string): Promise<number> => {
    const rows = await all.deps.db.selectFrom('conversations').select('sla').where('id', '=', id).executeTakeFirstOrThrow();
    return ((rows.sla as { breaches?: unknown[] } | null)?.breaches ?? []).length;
  };

  it('two workers: every breach is recorded once', async () => {
    worker = await startTestGateway({ env: { ROLE: 'worker' }, reuse: { schema: all.schema, prefix: all.prefix, dataDir: all.dataDir }, channels, desk, httpOptional: true });
    const ids = await Promise.all(Array.from({ length: 6 }, (_, i) => open(`two workers ${i}`)));
    for (const id of ids) await eventually(async () => ((await breachLines(id)) >= 1 ? true : undefined), 20_000, `a breach of ${id}`);
    // Every reconcile after the breach (events, stale timers) had its chance to write a second one.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    for (const id of ids) {
      expect(await breachLines(id)).toBe(1);
      expect(await breachEvents(id)).toBe(1);
    }
  });

  it('kill -9 of the worker holding the timer: another records the breach, once', async () => {
    // Only the holder runs timers while the conversation's is due: the gateways stop first.
    const id = await open('held timer', 'slow');
    await worker?.stop();
    worker = undefined;
    await all.stop();
    const holder = startHolder(all.prefix);
    try {
      const jobId = await Promise.race([holder.holding, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no timer held: ${holder.output()}`)), 30_000))]);
      expect(jobId).toMatch(/^sla\.due\.\d+$/);
    } finally {
      holder.child.kill('SIGKILL');
    }
    const reuse = { schema: all.schema, prefix: all.prefix, dataDir: all.dataDir };
    all = await startTestGateway({ reuse, channels, desk });
    admin = await loginAdmin(all.url);
    worker = await startTestGateway({ env: { ROLE: 'worker' }, reuse, channels, desk, httpOptional: true });
    expect(await breachLines(id)).toBe(0);
    // The lock (10 s) runs out, the stalled check (every 5 s) hands the job back.
    await eventually(async () => ((await breachLines(id)) >= 1 ? true : undefined), 40_000, 'the breach after the kill');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await breachLines(id)).toBe(1);
    expect(await breachEvents(id)).toBe(1);
  });
});
