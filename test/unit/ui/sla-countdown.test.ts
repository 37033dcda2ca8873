import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { always, businessCalendar } from '../../../src/desk/sla/calendar.js';
import { reconcile } from '../../../src/desk/sla/clock.js';
import { slaView } from '../../../src/domain/sla.js';
import { makeTranslate } from '../../../src/ui/inbox/src/i18n.js';
import {
  clockState,
  compareByDue,
  conversationBadge,
  type ConversationSla,
  formatSlaLong,
  formatSlaShort,
  isBreached,
  msUntilChange,
  type SlaClock,
  slaBadge,
  slaBadgeLabel,
} from '../../../src/ui/inbox/src/sla.js';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Date.parse('2027-03-01T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const en = makeTranslate('en');
const zh = makeTranslate('zh');

const running = (metric: SlaClock['metric'], targetMs: number, leftMs: number, over: Partial<SlaClock> = {}): SlaClock => ({
  metric,
  targetMs,
  state: 'running',
  dueAt: iso(NOW + leftMs),
  leftMs: targetMs,
  breachedAt: null,
  metAt: null,
  warnAt: null,
  warnedAt: null,
  ...over,
});
const paused = (metric: SlaClock['metric'], targetMs: number, leftMs: number, over: Partial<SlaClock> = {}): SlaClock => ({
  metric,
  targetMs,
  state: 'paused',
  dueAt: null,
  leftMs,
  breachedAt: null,
  metAt: null,
  warnAt: null,
  warnedAt: null,
  ...over,
});
const sla = (...clocks: SlaClock[]): ConversationSla => ({
  policy: 'default',
  always: true,
  firstResponseDueAt: null,
  nextResponseDueAt: null,
  resolutionDueAt: null,
  breaches: [],
  clocks,
});

describe('the list badge picks the most urgent clock and colours it as the desk warns', () => {
  it('the running clock due first wins over a later one, and over paused or met ones', () => {
    const clocks = sla(running('resolution', 2 * DAY, DAY), running('firstResponse', 15 * MINUTE, 12 * MINUTE), { ...paused('nextResponse', HOUR, 5 * MINUTE), state: 'met', metAt: iso(NOW) });
    expect(slaBadge(clocks, NOW)).toMatchObject({ metric: 'firstResponse', state: 'ok', leftMs: 12 * MINUTE, paused: false });
  });

  it('green until the server’s 90 % instant (warnAt), amber from it, red once past due', () => {
    // 4 business hours, 30 real minutes before due: the desk counts business time, so its warning
    // can be far from "a share of the real time left" — the badge follows the desk.
    const at = (now: number) => slaBadge(sla(running('firstResponse', 4 * HOUR, 30 * MINUTE, { warnAt: iso(NOW + 10 * MINUTE) })), now)?.state;
    expect(at(NOW)).toBe('ok');
    expect(at(NOW + 10 * MINUTE - 1)).toBe('ok');
    expect(at(NOW + 10 * MINUTE)).toBe('warning');
    expect(at(NOW + 30 * MINUTE - 1)).toBe('warning');
    // Past due before the desk's timer has recorded the breach: red already.
    expect(at(NOW + 30 * MINUTE)).toBe('breached');
    expect(at(NOW + 35 * MINUTE)).toBe('breached');
  });

  it('a clock the desk has warned about is amber whatever the time left (warnAt is null by then)', () => {
    expect(slaBadge(sla(running('firstResponse', 4 * HOUR, 3 * HOUR, { warnedAt: iso(NOW - MINUTE) })), NOW)?.state).toBe('warning');
  });

  it('the last quarter of real time is not amber by itself: without a warning due, a clock stays green until due', () => {
    // Across closed hours a business-hours clock can be 95 % real-time gone and barely used.
    expect(slaBadge(sla(running('firstResponse', 4 * HOUR, MINUTE, { warnAt: iso(NOW + 2 * MINUTE) })), NOW)?.state).toBe('ok');
    expect(slaBadge(sla(running('firstResponse', 4 * HOUR, MINUTE)), NOW)?.state).toBe('ok');
  });

  it('a recorded breach is red whatever the time left says', () => {
    expect(clockState(running('firstResponse', HOUR, 30 * MINUTE, { breachedAt: iso(NOW - MINUTE) }), NOW)).toBe('breached');
  });

  it('paused clocks (pending, snoozed) are neutral with their business time left; one already past its target stays red', () => {
    expect(slaBadge(sla(paused('resolution', DAY, 3 * HOUR), paused('firstResponse', HOUR, 20 * MINUTE)), NOW)).toMatchObject({
      metric: 'firstResponse',
      state: 'paused',
      leftMs: 20 * MINUTE,
      paused: true,
    });
    expect(slaBadge(sla(paused('firstResponse', HOUR, -5 * MINUTE, { breachedAt: iso(NOW - HOUR) })), NOW)).toMatchObject({ state: 'breached', paused: true });
  });

  it('no badge without a service level, when every clock is met, or once resolved', () => {
    expect(slaBadge(null, NOW)).toBeNull();
    expect(slaBadge(sla({ ...paused('firstResponse', HOUR, 10 * MINUTE), state: 'met', metAt: iso(NOW) }), NOW)).toBeNull();
    expect(conversationBadge({ status: 'resolved', sla: sla(paused('resolution', DAY, HOUR)) }, NOW)).toBeNull();
    expect(conversationBadge({ status: 'pending', sla: sla(paused('resolution', DAY, HOUR)) }, NOW)).not.toBeNull();
  });
});

describe('countdown wording', () => {
  it('compact text counts down in whole units and shows overdue time with a minus sign', () => {
    expect([45 * SECOND, 12 * MINUTE + 40 * SECOND, 3 * HOUR + 59 * MINUTE, 47 * HOUR + 59 * MINUTE, 2 * DAY + 5 * HOUR, -5 * MINUTE - 10 * SECOND, -300].map((ms) => formatSlaShort(ms, en))).toEqual([
      '45s',
      '12m',
      '3h',
      '47h',
      '2d',
      '\u22125m',
      '0s',
    ]);
    expect([45 * SECOND, 12 * MINUTE, 3 * HOUR, -2 * DAY].map((ms) => formatSlaShort(ms, zh))).toEqual(['45秒', '12分', '3小时', '\u22122天']);
  });

  it('titles and screen readers get whole words, in the locale’s own plurals', () => {
    expect(formatSlaLong(12 * MINUTE, 'en')).toBe('12 minutes');
    expect(formatSlaLong(HOUR, 'en')).toBe('1 hour');
    expect(formatSlaLong(12 * MINUTE, 'zh')).toBe('12分钟');
    const badge = slaBadge(sla(running('firstResponse', HOUR, 12 * MINUTE)), NOW)!;
    expect(slaBadgeLabel(badge, en, 'en')).toBe('First response due in 12 minutes');
    expect(slaBadgeLabel(badge, zh, 'zh')).toBe('首次响应将在12分钟后到期');
    expect(slaBadgeLabel(slaBadge(sla(running('nextResponse', HOUR, -5 * MINUTE)), NOW)!, en, 'en')).toBe('Next response overdue by 5 minutes');
    expect(slaBadgeLabel(slaBadge(sla(paused('resolution', DAY, 3 * HOUR)), NOW)!, en, 'en')).toBe('Resolution paused, 3 hours left');
  });
});

describe('one timer for all countdowns wakes exactly when what is shown changes', () => {
  const shown = (clock: SlaClock, now: number) => `${formatSlaShort(Date.parse(clock.dueAt!) - now, en)} ${clockState(clock, now)}`;

  it('nothing shown changes before the instant it names, and something does at it', () => {
    const clocks = fc.record({
      target: fc.integer({ min: 1, max: 3 * 24 * 3600 }).map((n) => n * 4),
      left: fc.integer({ min: -3 * DAY, max: 3 * DAY }),
      // The warning instant, anywhere before the due time (business time puts it anywhere), or
      // already given (warnAt null, warnedAt set), or none.
      warn: fc.oneof(fc.record({ inMs: fc.integer({ min: -3 * DAY, max: 3 * DAY }) }), fc.constant('warned' as const), fc.constant(null)),
    });
    fc.assert(
      fc.property(clocks, ({ target, left, warn }) => {
        const over: Partial<SlaClock> =
          warn === 'warned' ? { warnedAt: iso(NOW - MINUTE) } : warn === null ? {} : { warnAt: iso(NOW + Math.min(warn.inMs, left)) };
        const clock = running('firstResponse', target, left, over);
        const wait = msUntilChange([clock], NOW);
        expect(wait).toBeGreaterThan(0);
        expect(shown(clock, NOW + wait - 1)).toBe(shown(clock, NOW));
        expect(shown(clock, NOW + wait)).not.toBe(shown(clock, NOW));
      }),
      { numRuns: 500 },
    );
  });

  it('it wakes at the warning instant when that comes before the text changes', () => {
    expect(msUntilChange([running('resolution', 2 * DAY, 30 * HOUR + 5 * MINUTE, { warnAt: iso(NOW + 90 * SECOND) })], NOW)).toBe(90 * SECOND);
    expect(msUntilChange([running('resolution', 2 * DAY, 30 * HOUR + 5 * MINUTE, { warnAt: iso(NOW - SECOND) })], NOW)).toBe(5 * MINUTE + 1);
  });

  it('hours or days away it sleeps until the hour or day ticks over; paused and met clocks never wake it', () => {
    expect(msUntilChange([running('resolution', 2 * DAY, 30 * HOUR + 5 * MINUTE)], NOW)).toBe(5 * MINUTE + 1);
    expect(msUntilChange([running('resolution', 5 * DAY, 3 * DAY + 5 * HOUR)], NOW)).toBe(5 * HOUR + 1);
    expect(msUntilChange([paused('resolution', DAY, HOUR), { ...paused('firstResponse', HOUR, 0), state: 'met' }], NOW)).toBe(Infinity);
  });
});

describe('the breached view and the due order follow the API', () => {
  it('a clock the desk put past due is in breach until it is met; a resolved conversation is not', () => {
    const createdAt = iso(NOW - 10 * MINUTE);
    const targets = { policy: 'chat', always: true, ms: { firstResponse: 6 * SECOND, resolution: 2 * DAY } };
    const waiting = reconcile(null, { status: 'open', createdAt, firstResponseAt: null, waitingSince: createdAt }, targets, always, new Date(NOW));
    const view = slaView(waiting.state);
    expect(isBreached({ status: 'open', sla: view })).toBe(true);
    expect(slaBadge(view, NOW)).toMatchObject({ metric: 'firstResponse', state: 'breached' });
    expect(isBreached({ status: 'resolved', sla: view })).toBe(false);

    const answered = reconcile(waiting.state, { status: 'open', createdAt, firstResponseAt: iso(NOW), waitingSince: null }, targets, always, new Date(NOW + SECOND));
    const after = slaView(answered.state);
    expect(isBreached({ status: 'open', sla: after })).toBe(false);
    expect(slaBadge(after, NOW + SECOND)).toMatchObject({ metric: 'resolution', state: 'ok' });
  });

  it('a business-hours target set late on Friday turns amber at the desk’s 90 % on Monday, not a quarter of real time before due', () => {
    // Mon–Fri 09:00–18:00 UTC, 4 business hours from Friday 17:00: one hour on Friday, three on Monday — due 12:00, 90 % used at 11:36.
    const calendar = businessCalendar({ timezone: 'UTC', businessHours: { 'mon-fri': '09:00-18:00' } });
    const createdAt = '2027-02-26T17:00:00.000Z';
    const targets = { policy: 'default', always: false, ms: { firstResponse: 4 * HOUR } };
    const { state } = reconcile(null, { status: 'open', createdAt, firstResponseAt: null, waitingSince: createdAt }, targets, calendar, new Date(createdAt));
    const view = slaView(state)!;
    expect(view.clocks[0]).toMatchObject({ dueAt: '2027-03-01T12:00:00.000Z', warnAt: '2027-03-01T11:36:00.000Z', warnedAt: null });
    const at = (time: string) => slaBadge(view, Date.parse(time))?.state;
    expect(at('2027-02-26T17:55:00.000Z')).toBe('ok');
    expect(at('2027-03-01T11:00:00.000Z')).toBe('ok');
    expect(at('2027-03-01T11:35:59.999Z')).toBe('ok');
    expect(at('2027-03-01T11:36:00.000Z')).toBe('warning');
    expect(at('2027-03-01T12:00:00.000Z')).toBe('breached');
  });

  it('sort=due: overdue first, then the soonest due, conversations without a running clock last', () => {
    const items = [
      { id: 'c-none', sla: null },
      { id: 'c-later', sla: sla(running('resolution', 2 * DAY, DAY)) },
      { id: 'c-paused', sla: sla(paused('firstResponse', HOUR, MINUTE)) },
      { id: 'c-overdue', sla: sla(running('firstResponse', HOUR, -MINUTE)) },
      { id: 'c-soon', sla: sla(running('firstResponse', HOUR, MINUTE), running('resolution', DAY, DAY)) },
    ];
    expect([...items].sort(compareByDue).map((c) => c.id)).toEqual(['c-overdue', 'c-soon', 'c-later', 'c-none', 'c-paused']);
  });
});
