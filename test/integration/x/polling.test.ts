import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeXApi, xFailures } from '../../fakes/x/api.js';
import { CHANNEL_ID, conversationOf, inboundExternalIds, startXGateway } from '../../fakes/x/harness.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';

/**
 * Polling `GET /2/dm_events` in the connector role, at test speed: a budget of 4 requests per
 * 2 s stands in for X's 15 per 15 minutes, and the fake enforces the same limit with 429s.
 */
describe('X DM polling', () => {
  let fake: FakeXApi;
  let gateway: TestGateway | undefined;
  const ada = { id: '3001234567', name: 'Ada Lovelace', username: 'ada_l' };
  const limit = { max: 4, windowMs: 2_000 };
  const polling = { mode: 'polling', pollIntervalMs: 100, pollBudget: limit.max, pollWindowMs: limit.windowMs };
  const start = (reuse?: TestGateway) => startXGateway(fake, polling, { env: { ROLE: 'all' }, ...(reuse ? { reuse: { schema: reuse.schema, prefix: reuse.prefix, dataDir: reuse.dataDir } } : {}) });
  const storedAtLeast = (n: number) =>
    eventually(async () => {
      const ids = await inboundExternalIds(gateway!);
      return ids.length >= n ? ids : undefined;
    }, 20_000, `${n} stored DMs`);
  /** Most dm_events requests the fake saw in any window of the limit's length. */
  const busiestWindow = (): number => {
    const times = fake.requestsTo('GET', '/2/dm_events').map((r) => r.at);
    return Math.max(0, ...times.map((t) => times.filter((u) => u >= t && u < t + limit.windowMs).length));
  };

  beforeAll(async () => {
    fake = await FakeXApi.start();
    fake.dmEventsLimit = limit;
  });
  afterAll(async () => {
    await gateway?.dispose();
    await fake?.stop();
  });

  it('DMs at X arrive in order, named from the expanded users, with the fields and expansions asked for', async () => {
    gateway = await start();
    const dms = [1, 2, 3].map((n) => fake.receive(ada, `polled ${n}`));
    expect(await storedAtLeast(3)).toEqual(dms.map((d) => d.id));
    const token = await loginAdmin(gateway.url);
    expect((await conversationOf(gateway, token, ada.id)).contact.name).toBe('Ada Lovelace');
    const query = fake.requestsTo('GET', '/2/dm_events')[0]!.query;
    expect(query['dm_event.fields']).toContain('sender_id');
    expect(query.expansions).toContain('sender_id');
    expect(query.event_types).toBe('MessageCreate');
  });

  it('our own reply shows up in the timeline and is not stored as a customer DM', async () => {
    const token = await loginAdmin(gateway!.url);
    const conversation = await conversationOf(gateway!, token, ada.id);
    expect((await request(gateway!.url, 'POST', `/api/conversations/${conversation.id}/messages`, { token, body: { text: 'Thanks, looking.' } })).status).toBe(202);
    await eventually(async () => fake.sentTo(ada.id)[0], 15_000);
    const later = fake.receive(ada, 'after your reply');
    const ids = await storedAtLeast(4);
    expect(ids.at(-1)).toBe(later.id);
    expect(ids).not.toContain(fake.sentTo(ada.id)[0]!.id);
  });

  it('after a restart it resumes from the checkpoint: 150 DMs that arrived while down (two pages) are stored once each, in order', async () => {
    await gateway!.stop();
    const whileDown = Array.from({ length: 150 }, (_, i) => fake.receive(ada, `while down ${i}`));
    gateway = await start(gateway);
    const ids = await storedAtLeast(154);
    expect(ids.slice(4)).toEqual(whileDown.map((d) => d.id));
    expect(new Set(ids).size).toBe(ids.length);
    // Two pages were needed to reach the checkpoint; the second carried the pagination token.
    expect(fake.requestsTo('GET', '/2/dm_events').some((r) => r.query.pagination_token !== undefined)).toBe(true);
  });

  it('never exceeded the request limit, across polls, pages and the restart (the fake answered no 429)', async () => {
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(fake.requestsTo('GET', '/2/dm_events').length).toBeGreaterThan(limit.max);
    expect(busiestWindow()).toBeLessThanOrEqual(limit.max);
    expect(fake.limitBreaches).toBe(0);
  });

  it('a tier refusal pauses the channel with X’s reason and the poller stops asking', async () => {
    await gateway!.stop();
    fake.accountFailure = xFailures.tier();
    const beforeRestart = fake.requestsTo('GET', '/2/dm_events').length;
    gateway = await startXGateway(fake, { ...polling, pausedBackoffMs: 60_000 }, { env: { ROLE: 'all' }, reuse: { schema: gateway!.schema, prefix: gateway!.prefix, dataDir: gateway!.dataDir } });
    const adapter = gateway.deps.adapters.get(CHANNEL_ID)!;
    const status = await eventually(async () => {
      const s = await adapter.verify();
      return s.status === 'paused' ? s : undefined;
    }, 15_000);
    expect(status.error).toContain('Client Forbidden: You currently have access to a subset of X API V2 endpoints');
    // verify() can see the pause through its own probe before the poller's first request (refused
    // too) lands; count from after that request.
    await eventually(async () => (fake.requestsTo('GET', '/2/dm_events').length > beforeRestart ? true : undefined), 15_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const asked = fake.requestsTo('GET', '/2/dm_events').length;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(fake.requestsTo('GET', '/2/dm_events').length).toBe(asked);
    fake.accountFailure = undefined;
  });
});
