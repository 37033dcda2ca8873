import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedChannel } from '../../fakes/scripted-channel.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';

describe('outbound delivery: retries, rate limits and permanent failures', () => {
  let gateway: TestGateway;
  let token: string;
  const channel = new ScriptedChannel();
  let conversationId: string;

  const deliver = (id: string, sentAt?: string) =>
    request(gateway.url, 'POST', '/webhooks/scripted', { headers: { 'x-secret': 'scripted-secret' }, body: { id, from: 'c1', text: `customer ${id}`, ...(sentAt ? { sentAt } : {}) } });
  const messageOf = async (id: string) => {
    const r = await request(gateway.url, 'GET', `/api/conversations/${conversationId}/messages?limit=200`, { token });
    return r.body.items.find((m: { id: string }) => m.id === id);
  };
  const reply = async (text: string) => {
    const r = await request(gateway.url, 'POST', `/api/conversations/${conversationId}/messages`, { token, body: { text } });
    expect(r.status).toBe(202);
    return r.body.id as string;
  };
  const sendsOf = (id: string) => channel.sends.filter((s) => s.message.messageId === id);

  beforeAll(async () => {
    gateway = await startTestGateway({ extraAdapters: [channel] });
    token = await loginAdmin(gateway.url);
    expect((await deliver('m1')).status).toBe(200);
    conversationId = await eventually(async () => {
      const r = await request(gateway.url, 'GET', '/api/conversations?channel=scripted', { token });
      return r.body.items[0]?.id as string | undefined;
    });
  });
  afterAll(async () => gateway?.dispose());

  it('a reply that fails with a retryable error and then succeeds ends sent, after two attempts', async () => {
    channel.willSend({ kind: 'retryable', message: 'HTTP 502 from platform' });
    const id = await reply('first try fails');
    const sent = await eventually(async () => ((await messageOf(id))?.status === 'sent' ? messageOf(id) : undefined), 15_000, 'reply sent');
    expect(sent.externalId).toMatch(/^out-/);
    expect(sent.error).toBeUndefined();
    expect(sendsOf(id).map((s) => s.outcome)).toEqual(['retryable', 'ok']);
  });

  it('an unexpected exception from the adapter is retried like a network error', async () => {
    channel.willSend({ kind: 'crash', message: 'socket hang up' });
    const id = await reply('crash then ok');
    await eventually(async () => ((await messageOf(id))?.status === 'sent' ? true : undefined), 15_000);
    expect(sendsOf(id).map((s) => s.outcome)).toEqual(['crash', 'ok']);
  });

  it('a permanent error ends failed at once with the platform reason, and retry re-sends it', async () => {
    channel.willSend({ kind: 'permanent', code: 'blocked', message: 'Forbidden: bot was blocked by the user' });
    const id = await reply('you blocked us');
    const failed = await eventually(async () => ((await messageOf(id))?.status === 'failed' ? messageOf(id) : undefined), 10_000);
    expect(failed.error).toEqual({ code: 'blocked', message: 'Forbidden: bot was blocked by the user', retryable: false });
    expect(sendsOf(id)).toHaveLength(1);

    const retried = await request(gateway.url, 'POST', `/api/messages/${id}/retry`, { token });
    expect(retried.status).toBe(202);
    expect(retried.body.status).toBe('queued');
    await eventually(async () => ((await messageOf(id))?.status === 'sent' ? true : undefined), 10_000);
    expect(sendsOf(id).map((s) => s.outcome)).toEqual(['permanent', 'ok']);

    const again = await request(gateway.url, 'POST', `/api/messages/${id}/retry`, { token });
    expect(again.status).toBe(409);
  });

  it('a 429 with retry-after pauses the channel for that long, then delivers', async () => {
    channel.willSend({ kind: 'retryable', message: 'Too Many Requests: retry after 2', retryAfterMs: 2_000 });
    const id = await reply('rate limited');
    await eventually(async () => (sendsOf(id).length > 0 ? true : undefined), 10_000);
    // A reply written during the pause waits for it too: the channel is paused, not the one message.
    const next = await reply('written while paused');
    await eventually(async () => ((await messageOf(id))?.status === 'sent' && (await messageOf(next))?.status === 'sent' ? true : undefined), 15_000);
    const [limited, delivered] = sendsOf(id);
    expect(limited?.outcome).toBe('retryable');
    expect(delivered?.outcome).toBe('ok');
    // The platform asked for 2 s; allow for timer granularity but not for ignoring it.
    expect(delivered!.at - limited!.at).toBeGreaterThanOrEqual(1_900);
    expect(sendsOf(next)[0]!.at - limited!.at).toBeGreaterThanOrEqual(1_900);
  });

  it('a long reply that fails after its first part resumes at the second: every part reaches the customer once, in order', async () => {
    const text = ['A'.repeat(900), 'B'.repeat(900), 'C'.repeat(900)].join('\n\n');
    channel.willSend({ kind: 'partial', parts: 1 });
    const before = channel.delivered.length;
    const id = await reply(text);
    const sent = await eventually(async () => ((await messageOf(id))?.status === 'sent' ? messageOf(id) : undefined), 15_000);
    expect(channel.delivered.slice(before).map((part) => part[0])).toEqual(['A', 'B', 'C']);
    expect(sent.externalId).toBe(`out-${channel.delivered.length - 2}`);
  });

  it('retry refuses inbound messages, notes and unknown ids', async () => {
    const note = await request(gateway.url, 'POST', `/api/conversations/${conversationId}/messages`, { token, body: { text: 'note', private: true } });
    expect((await request(gateway.url, 'POST', `/api/messages/${note.body.id}/retry`, { token })).status).toBe(409);
    expect((await request(gateway.url, 'POST', '/api/messages/nope/retry', { token })).status).toBe(404);
  });

  it('the sweeper re-enqueues a reply that was saved but whose job was lost', async () => {
    channel.willSend({ kind: 'permanent', code: 'x', message: 'park it' });
    const id = await reply('lost job');
    await eventually(async () => ((await messageOf(id))?.status === 'failed' ? true : undefined), 10_000);
    // Simulate "saved, never enqueued": back to queued with an old timestamp and no job in Redis.
    await gateway.deps.db.updateTable('messages').set({ status: 'queued', error: null, updated_at: new Date(Date.now() - 120_000) }).where('id', '=', id).execute();
    const queue = gateway.deps.queues.outbound('scripted');
    // The worker still holds the job's lock for a moment after recording the failure.
    await eventually(async () => ((await (await queue.getJob(id))?.getState()) === 'failed' ? true : undefined));
    await (await queue.getJob(id))?.remove();
    const { sweepOutbound } = await import('../../../src/inbox/maintenance.js');
    const swept = await sweepOutbound(gateway.deps);
    expect(swept.requeued).toBe(1);
    await eventually(async () => ((await messageOf(id))?.status === 'sent' ? true : undefined), 10_000);
  });
});
