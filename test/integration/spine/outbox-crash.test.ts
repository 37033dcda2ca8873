import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../src/runtime/paths.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';
import { SseClient } from '../../support/sse.js';
import { Visitor } from '../../support/visitor.js';

/** Runs the child; resolves with its output once the kernel killed it. */
function crashAfter(gateway: TestGateway, conversationId: string, mode: 'after-commit' | 'after-publish'): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'test/support/outbox-crash-child.ts'), gateway.schema, gateway.prefix, conversationId, mode], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve(out) : reject(new Error(`child did not crash as planned: ${out}`))));
  });
}

/**
 * kill -9 between commit and dispatch (DESIGN §1 "nothing acknowledged is lost", applied to the
 * events a change produces): the batch survives in the outbox and the recovery sweep hands it
 * out — exactly once, even when the dead writer had already published it.
 */
describe('outbox events across a crash of their writer', () => {
  let gateway: TestGateway;
  let token: string;
  let stream: SseClient;

  beforeAll(async () => {
    // No SLA policies: their clocks answer a priority change with an update of their own, and
    // this test counts the updates one batch makes.
    gateway = await startTestGateway({ channels: [{ id: 'web', kind: 'webchat' }], desk: { safety: { footer: false }, autoAck: false, sla: [] } });
    token = await loginAdmin(gateway.url);
    stream = new SseClient(`${gateway.url}/api/events`, { authorization: `Bearer ${token}` });
    await stream.waitFor((e) => e.event === 'ready');
  });
  afterAll(async () => {
    await stream?.close();
    await gateway?.dispose();
  });

  const conversationFor = async (text: string): Promise<string> => {
    const visitor = await Visitor.create(gateway.url);
    expect((await visitor.send(text)).status).toBe(202);
    const created = await stream.waitFor((e) => e.event === 'message.created' && e.data.text === text);
    return created.data.conversationId as string;
  };
  const urgentUpdates = (conversationId: string) => stream.events.filter((e) => e.event === 'conversation.updated' && e.data.id === conversationId && e.data.priority === 'urgent');
  const notes = (conversationId: string) => stream.events.filter((e) => e.event === 'message.created' && e.data.conversationId === conversationId && e.data.system?.type === 'priority');
  const outboxRows = async (): Promise<number> => Number((await gateway.deps.db.selectFrom('outbox').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

  it('committed but never dispatched: the sweep dispatches it once, and forgets it', async () => {
    const conversationId = await conversationFor('crash before dispatch');
    const output = await crashAfter(gateway, conversationId, 'after-commit');
    expect(output).toMatch(/^committed \d+/);
    expect(urgentUpdates(conversationId)).toHaveLength(0);
    await stream.waitFor((e) => e.event === 'conversation.updated' && e.data.id === conversationId && e.data.priority === 'urgent', 20_000);
    await eventually(async () => ((await outboxRows()) === 0 ? true : undefined), 20_000, 'the outbox to be empty');
    // Two more sweeps' worth of time: nothing comes twice.
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    expect(urgentUpdates(conversationId)).toHaveLength(1);
    expect(notes(conversationId)).toHaveLength(1);
    const conversation = (await request(gateway.url, 'GET', `/api/conversations/${conversationId}`, { token })).body;
    expect(conversation.priority).toBe('urgent');
  }, 60_000);

  it('published, then killed before the row was forgotten: the sweep forgets it without showing it again', async () => {
    const conversationId = await conversationFor('crash after publish');
    const output = await crashAfter(gateway, conversationId, 'after-publish');
    expect(output).toContain('published');
    await stream.waitFor((e) => e.event === 'conversation.updated' && e.data.id === conversationId && e.data.priority === 'urgent');
    expect(await outboxRows()).toBeGreaterThan(0);
    await eventually(async () => ((await outboxRows()) === 0 ? true : undefined), 20_000, 'the sweep to take the batch');
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(urgentUpdates(conversationId)).toHaveLength(1);
    expect(notes(conversationId)).toHaveLength(1);
  }, 60_000);
});
