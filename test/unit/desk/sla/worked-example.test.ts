import { describe, expect, it } from 'vitest';
import { reconcile, type ClockFacts, nextWakeUp, type SlaState } from '../../../../src/desk/sla/clock.js';
import { calendarOf, SlaSettings, type Subject, targetsFor } from '../../../../src/desk/sla/policy.js';
import { promiseText } from '../../../../src/desk/sla/promise.js';

/** The README's "Service levels" worked example, step by step (times in Asia/Shanghai, UTC+8). */
describe("the README's worked example", () => {
  const settings = SlaSettings.parse({
    timezone: 'Asia/Shanghai',
    businessHours: { 'mon-fri': '09:00-18:00', sat: '10:00-14:00' },
    holidays: ['2027-02-10'],
    responseTargets: { webchat: '5m', telegram: '15m', email: '24h' },
    sla: [
      { name: 'urgent', match: { priority: 'urgent' }, firstResponse: '15m', nextResponse: '30m', resolution: '4h', always: true },
      { name: 'default', firstResponse: 'channel', nextResponse: '2h', resolution: '3d' },
    ],
  });
  const calendar = calendarOf(settings);
  const subject: Subject = { channelId: 'tg', channelKind: 'telegram', priority: 'normal', labels: [] };
  const local = (text: string) => new Date(`${text}+08:00`);
  const utc = (text: string) => local(text).toISOString();
  const opened = utc('2027-02-05T17:55:00'); // a Friday

  it('runs as the README says', () => {
    const step = (state: SlaState | null, facts: ClockFacts, now: string, over = subject) => reconcile(state, facts, targetsFor(settings, over), calendar, local(now));
    const facts: ClockFacts = { status: 'open', createdAt: opened, firstResponseAt: null, waitingSince: opened };

    expect(promiseText({ lang: 'en', urgent: false, targetMs: targetsFor(settings, subject)!.ms.firstResponse!, calendar, timezone: settings.timezone, now: local('2027-02-05T17:55:00') })).toBe(
      'Thanks for your message, we have it. We usually answer here within 15 minutes.',
    );
    const first = step(null, facts, '2027-02-05T17:55:00');
    expect(first.state?.policy).toBe('default');
    expect(first.state?.clocks.firstResponse?.dueAt).toBe(utc('2027-02-06T10:10:00'));
    expect(nextWakeUp(first.state)?.toISOString()).toBe(utc('2027-02-06T10:08:30'));

    // Saturday 10:05: answered, then pending.
    const answered: ClockFacts = { ...facts, firstResponseAt: utc('2027-02-06T10:05:00'), waitingSince: null, status: 'pending' };
    const pending = step(first.state, answered, '2027-02-06T10:05:00');
    expect(pending.events).toEqual([]);
    expect(pending.state?.clocks.firstResponse).toMatchObject({ stoppedAt: utc('2027-02-06T10:05:00'), breachedAt: null });
    expect(pending.state?.clocks.resolution).toMatchObject({ runningSince: null, dueAt: null });

    // Monday 08:30: the customer answers; the next response is due at 11:00.
    const monday: ClockFacts = { ...answered, status: 'open', waitingSince: utc('2027-02-08T08:30:00') };
    const waiting = step(pending.state, monday, '2027-02-08T08:30:00');
    expect(waiting.state?.clocks.nextResponse?.dueAt).toBe(utc('2027-02-08T11:00:00'));
    expect(waiting.state?.clocks.resolution?.runningSince).toBe(utc('2027-02-08T08:30:00'));

    // 11:00: breached, once.
    const late = step(waiting.state, monday, '2027-02-08T11:00:00');
    expect(late.events.filter((e) => e.type === 'breached')).toEqual([{ type: 'breached', metric: 'nextResponse', at: utc('2027-02-08T11:00:00') }]);
    expect(step(late.state, monday, '2027-02-08T11:05:00').events).toEqual([]);

    // Had it been urgent: due 18:10 on Friday, every hour counting, and a person is on it.
    const urgent = step(null, facts, '2027-02-05T17:55:00', { ...subject, priority: 'urgent' });
    expect(urgent.state?.clocks.firstResponse?.dueAt).toBe(utc('2027-02-05T18:10:00'));
    expect(promiseText({ lang: 'en', urgent: true, targetMs: 900_000, calendar, timezone: settings.timezone, now: local('2027-02-05T17:55:00') })).toMatch(/A member of our team is on it now/);
  });
});
