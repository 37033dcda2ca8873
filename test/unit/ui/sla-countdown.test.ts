import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { always } from '../../../src/desk/sla/calendar.js';
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

describe('the list badge picks the most urgent clock and colours it by the share of the target left', () => {
  it('the running clock due first wins over a later one, and over paused or met ones', () => {
    const clocks = sla(running('resolution', 2 * DAY, DAY), running('firstResponse', 15 * MINUTE, 12 * MINUTE), { ...paused('nextResponse', HOUR, 5 * MINUTE), state: 'met', metAt: iso(NOW) });
    expect(slaBadge(clocks, NOW)).toMatchObject({ metric: 'firstResponse', state: 'ok', leftMs: 12 * MINUTE, paused: false });
  });

  it('green above a quarter of the target left, amber from a quarter (the desk warns at 10 %), red once past due', () => {
    const at = (left: number) => slaBadge(sla(running('firstResponse', 4 * HOUR, left)), NOW)?.state;
    expect(at(HOUR + 1)).toBe('ok');
    expect(at(HOUR)).toBe('warning');
    expect(at(24 * MINUTE)).toBe('warning');
    expect(at(1)).toBe('warning');
    // Past due before the desk's timer has recorded the breach: red already.
    expect(at(0)).toBe('breached');
    expect(at(-5 * MINUTE)).toBe('breached');
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
    });
    fc.assert(
      fc.property(clocks, ({ target, left }) => {
        const clock = running('firstResponse', target, left);
        const wait = msUntilChange([clock], NOW);
        expect(wait).toBeGreaterThan(0);
        expect(shown(clock, NOW + wait - 1)).toBe(shown(clock, NOW));
        expect(shown(clock, NOW + wait)).not.toBe(shown(clock, NOW));
      }),
      { numRuns: 500 },
    );
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
