import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConversationStatus } from '../../../../src/domain/conversation.js';
import { always, businessCalendar } from '../../../../src/desk/sla/calendar.js';
import { breachedSince, type ClockFacts, nextDue, nextWakeUp, reconcile, type SlaState } from '../../../../src/desk/sla/clock.js';
import type { Targets } from '../../../../src/desk/sla/policy.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const berlin = businessCalendar({ timezone: 'Europe/Berlin', businessHours: { 'mon-fri': '09:00-18:00' } });
const at = (iso: string) => new Date(iso);

const targets = (ms: Targets['ms'], always = false, policy = 'default'): Targets => ({ policy, always, ms });
const facts = (over: Partial<ClockFacts> = {}): ClockFacts => ({ status: 'open', createdAt: '2026-12-07T09:00:00.000Z', firstResponseAt: null, waitingSince: '2026-12-07T09:00:00.000Z', ...over });

/** Runs reconcile through a list of moments, as events and timers would, collecting the events. */
function run(steps: { now: string; facts: ClockFacts; targets?: Targets }[], calendar = berlin, initial: SlaState | null = null) {
  let state = initial;
  const events: ReturnType<typeof reconcile>['events'] = [];
  for (const step of steps) {
    const result = reconcile(state, step.facts, step.targets ?? targets({ firstResponse: 15 * MINUTE }), calendar, at(step.now));
    state = result.state;
    events.push(...result.events);
  }
  return { state, events };
}

describe('SLA clocks', () => {
  it('a conversation opened Friday 17:55 (Berlin) with a 15-minute target is due Monday 09:10', () => {
    // Friday 2026-12-04 17:55 CET = 16:55 UTC.
    const opened = facts({ createdAt: '2026-12-04T16:55:00.000Z', waitingSince: '2026-12-04T16:55:00.000Z' });
    const { state, events } = run([{ now: '2026-12-04T16:55:01.000Z', facts: opened }]);
    expect(state?.clocks.firstResponse).toMatchObject({ dueAt: '2026-12-07T08:10:00.000Z', warnAt: '2026-12-07T08:08:30.000Z', runningSince: '2026-12-04T16:55:00.000Z' });
    expect(nextDue(state)?.toISOString()).toBe('2026-12-07T08:10:00.000Z');
    expect(nextWakeUp(state)?.toISOString()).toBe('2026-12-07T08:08:30.000Z');
    expect(events).toEqual([]);
  });

  it('a first reply in time meets the target; one after the due time records the breach at the due time, once', () => {
    const opened = facts({ createdAt: '2026-12-07T09:00:00.000Z' });
    const inTime = run([
      { now: '2026-12-07T09:00:00.000Z', facts: opened },
      { now: '2026-12-07T09:10:00.000Z', facts: { ...opened, firstResponseAt: '2026-12-07T09:10:00.000Z', waitingSince: null } },
    ]);
    expect(inTime.state?.clocks.firstResponse).toMatchObject({ stoppedAt: '2026-12-07T09:10:00.000Z', breachedAt: null, dueAt: null, usedMs: 10 * MINUTE });
    expect(inTime.events).toEqual([]);

    // The timer was late (a worker restarted): the breach still carries the due time.
    const late = run([
      { now: '2026-12-07T09:00:00.000Z', facts: opened },
      { now: '2026-12-07T09:40:00.000Z', facts: { ...opened, firstResponseAt: '2026-12-07T09:40:00.000Z', waitingSince: null } },
      { now: '2026-12-07T09:41:00.000Z', facts: { ...opened, firstResponseAt: '2026-12-07T09:40:00.000Z', waitingSince: null } },
    ]);
    // 90 % passed too, but a breach says it all: no warning after it.
    expect(late.events).toEqual([{ type: 'breached', metric: 'firstResponse', at: '2026-12-07T09:15:00.000Z' }]);
    expect(late.state?.breaches).toEqual([{ metric: 'firstResponse', at: '2026-12-07T09:15:00.000Z' }]);
    expect(breachedSince(late.state)).toBeNull(); // met since: not in breach now
  });

  it('warns at 90 % and breaches at 100 % while waiting, each once however often it is asked', () => {
    const opened = facts();
    const { state, events } = run([
      { now: '2026-12-07T09:00:00.000Z', facts: opened },
      { now: '2026-12-07T09:13:30.000Z', facts: opened },
      { now: '2026-12-07T09:13:31.000Z', facts: opened },
      { now: '2026-12-07T09:15:00.000Z', facts: opened },
      { now: '2026-12-07T09:20:00.000Z', facts: opened },
    ]);
    expect(events).toEqual([
      { type: 'warned', metric: 'firstResponse', at: '2026-12-07T09:13:30.000Z' },
      { type: 'breached', metric: 'firstResponse', at: '2026-12-07T09:15:00.000Z' },
    ]);
    expect(breachedSince(state)?.toISOString()).toBe('2026-12-07T09:15:00.000Z');
    expect(nextWakeUp(state)).toBeUndefined(); // nothing left to wake up for
    expect(nextDue(state)?.toISOString()).toBe('2026-12-07T09:15:00.000Z'); // overdue sorts first
  });

  it('pending and snoozed pause the clocks and keep the time used; reopening resumes from there', () => {
    const opened = facts();
    const resolution = targets({ firstResponse: HOUR, resolution: 4 * HOUR });
    const { state } = run([
      { now: '2026-12-07T09:00:00.000Z', facts: opened, targets: resolution },
      { now: '2026-12-07T09:20:00.000Z', facts: { ...opened, status: 'pending' }, targets: resolution },
      { now: '2026-12-07T12:00:00.000Z', facts: { ...opened, status: 'snoozed' }, targets: resolution },
    ]);
    expect(state?.clocks.firstResponse).toMatchObject({ usedMs: 20 * MINUTE, runningSince: null, dueAt: null });
    expect(nextWakeUp(state)).toBeUndefined();
    const resumed = run([{ now: '2026-12-07T13:00:00.000Z', facts: opened, targets: resolution }], berlin, state);
    expect(resumed.state?.clocks.firstResponse).toMatchObject({ runningSince: '2026-12-07T13:00:00.000Z', dueAt: '2026-12-07T13:40:00.000Z' });
    expect(resumed.state?.clocks.resolution).toMatchObject({ dueAt: '2026-12-07T16:40:00.000Z' });
  });

  it('a clock paused with a minute left resumes with that minute: warned before the pause, breached a minute after', () => {
    const opened = facts();
    const { state, events } = run([
      { now: '2026-12-07T09:00:00.000Z', facts: opened },
      { now: '2026-12-07T09:14:00.000Z', facts: { ...opened, status: 'pending' } },
      { now: '2026-12-07T10:00:00.000Z', facts: opened },
      { now: '2026-12-07T10:01:00.000Z', facts: opened },
    ]);
    expect(events.map((e) => [e.type, e.at])).toEqual([
      ['warned', '2026-12-07T09:13:30.000Z'],
      ['breached', '2026-12-07T10:01:00.000Z'],
    ]);
    expect(state?.clocks.firstResponse?.dueAt).toBe('2026-12-07T10:01:00.000Z');
  });

  it('each customer message after an answer starts a new next-response wait; an answer ends it', () => {
    const policy = targets({ firstResponse: 15 * MINUTE, nextResponse: 2 * HOUR });
    const answered = facts({ firstResponseAt: '2026-12-07T09:05:00.000Z', waitingSince: null });
    const first = run(
      [
        { now: '2026-12-07T09:05:00.000Z', facts: answered, targets: policy },
        { now: '2026-12-07T10:00:00.000Z', facts: { ...answered, waitingSince: '2026-12-07T10:00:00.000Z' }, targets: policy },
      ],
      berlin,
    );
    expect(first.state?.clocks.nextResponse).toMatchObject({ startedAt: '2026-12-07T10:00:00.000Z', dueAt: '2026-12-07T12:00:00.000Z' });
    expect(first.state?.clocks.firstResponse?.stoppedAt).toBe('2026-12-07T09:05:00.000Z');
    // Breached, answered, then a new wait: the new cycle starts clean.
    const later = run(
      [
        { now: '2026-12-07T12:30:00.000Z', facts: { ...answered, waitingSince: '2026-12-07T10:00:00.000Z' }, targets: policy },
        { now: '2026-12-07T12:40:00.000Z', facts: { ...answered, firstResponseAt: '2026-12-07T09:05:00.000Z', waitingSince: null }, targets: policy },
        { now: '2026-12-07T14:00:00.000Z', facts: { ...answered, waitingSince: '2026-12-07T14:00:00.000Z' }, targets: policy },
      ],
      berlin,
      first.state,
    );
    // Looked at only after the due time (a late timer): the warning and the breach, in order, once each.
    expect(later.events).toEqual([
      { type: 'warned', metric: 'nextResponse', at: '2026-12-07T11:48:00.000Z' },
      { type: 'breached', metric: 'nextResponse', at: '2026-12-07T12:00:00.000Z' },
    ]);
    expect(later.state?.clocks.nextResponse).toMatchObject({ startedAt: '2026-12-07T14:00:00.000Z', breachedAt: null, dueAt: '2026-12-07T16:00:00.000Z' });
    expect(later.state?.breaches).toHaveLength(1);
  });

  it('a priority change to a 24/7 policy keeps the time used and moves the due time to the new target', () => {
    // Friday 17:00 CET: one business hour left in the week.
    const opened = facts({ createdAt: '2026-12-04T16:00:00.000Z', waitingSince: '2026-12-04T16:00:00.000Z' });
    const normal = targets({ firstResponse: 4 * HOUR });
    const urgent = targets({ firstResponse: 30 * MINUTE }, true, 'urgent');
    const { state } = run([
      { now: '2026-12-04T16:00:00.000Z', facts: opened, targets: normal },
      { now: '2026-12-04T16:10:00.000Z', facts: opened, targets: urgent },
    ]);
    expect(state).toMatchObject({ policy: 'urgent', always: true });
    // 10 minutes used; 20 left, counted around the clock: 16:30 UTC.
    expect(state?.clocks.firstResponse).toMatchObject({ targetMs: 30 * MINUTE, dueAt: '2026-12-04T16:30:00.000Z' });
    const before = run([{ now: '2026-12-04T16:00:00.000Z', facts: opened, targets: normal }]);
    // In business time the 4 hours ran to Monday 12:00 CET.
    expect(before.state?.clocks.firstResponse?.dueAt).toBe('2026-12-07T11:00:00.000Z');
  });

  it('no policy: no clocks; a policy removed later keeps only the targets already met', () => {
    expect(reconcile(null, facts(), undefined, berlin, at('2026-12-07T09:00:00Z'))).toEqual({ state: null, events: [] });
    const met = run([{ now: '2026-12-07T09:10:00.000Z', facts: facts({ firstResponseAt: '2026-12-07T09:10:00.000Z', waitingSince: null }), targets: targets({ firstResponse: HOUR, resolution: 4 * HOUR }) }]);
    const after = reconcile(met.state, facts({ firstResponseAt: '2026-12-07T09:10:00.000Z', waitingSince: null }), undefined, berlin, at('2026-12-07T10:00:00Z'));
    expect(Object.keys(after.state!.clocks)).toEqual(['firstResponse']);
  });

  const statuses: ConversationStatus[] = ['open', 'pending', 'snoozed', 'resolved'];
  const step = fc.record({
    advanceMs: fc.integer({ min: 0, max: 6 * HOUR }),
    status: fc.constantFrom(...statuses),
    reply: fc.boolean(),
    customerWrites: fc.boolean(),
    urgent: fc.boolean(),
  });

  it('property: asking again at the same moment changes nothing, every breach is once per wait, due times match the time left', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), fc.boolean(), (steps, businessHours) => {
        const calendar = businessHours ? berlin : always;
        let now = Date.parse('2026-12-04T15:00:00.000Z');
        let f: ClockFacts = facts({ createdAt: new Date(now).toISOString(), waitingSince: new Date(now).toISOString() });
        let state: SlaState | null = null;
        const breaches = new Set<string>();
        for (const s of steps) {
          now += s.advanceMs;
          const nowIso = new Date(now).toISOString();
          if (s.reply && f.waitingSince) f = { ...f, firstResponseAt: f.firstResponseAt ?? nowIso, waitingSince: null };
          else if (s.customerWrites && !f.waitingSince) f = { ...f, waitingSince: nowIso, status: 'open' };
          f = { ...f, status: s.status };
          const t = s.urgent ? targets({ firstResponse: 15 * MINUTE, nextResponse: 30 * MINUTE, resolution: 4 * HOUR }, true, 'urgent') : targets({ firstResponse: HOUR, nextResponse: 2 * HOUR, resolution: 3 * 24 * HOUR });
          const result = reconcile(state, f, t, calendar, new Date(now));
          const again = reconcile(result.state, f, t, calendar, new Date(now));
          expect(again.state).toEqual(result.state);
          expect(again.events).toEqual([]);
          for (const e of result.events.filter((x) => x.type === 'breached')) {
            const cycle = `${e.metric}:${result.state!.clocks[e.metric]?.startedAt}`;
            expect(breaches.has(cycle)).toBe(false);
            breaches.add(cycle);
          }
          for (const clock of Object.values(result.state?.clocks ?? {})) {
            if (clock.runningSince && clock.dueAt && !clock.breachedAt) {
              const hours = result.state!.always ? always : calendar;
              expect(hours.between(new Date(clock.runningSince), new Date(clock.dueAt))).toBe(clock.targetMs - clock.usedMs);
              expect(Date.parse(clock.dueAt)).toBeGreaterThan(now);
            }
          }
          state = result.state;
        }
      }),
      { numRuns: 300 },
    );
  });
});
