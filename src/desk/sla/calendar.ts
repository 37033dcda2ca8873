import { DateTime, IANAZone } from 'luxon';
import { z } from 'zod';

/**
 * The business calendar of service levels (issue 14, DESIGN §10): when the team is at work, in
 * its time zone — weekly hours, overnight shifts, holidays — and the two questions SLA timers ask:
 * "add 4 business hours to t" and "how much business time lies between a and b". Pure: times in,
 * times out. Durations are real elapsed time, so the hour a clock skips or repeats at a DST change
 * counts as it passes (a 22:00–06:00 shift is 7 h on the spring-forward night, 9 h in autumn).
 */

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Weekday = (typeof weekdays)[number];

/** Minutes after local midnight of `HH:MM` (00:00–24:00), or undefined. */
function minutesOf(clock: string): number | undefined {
  const match = /^(\d{2}):(\d{2})$/.exec(clock.trim());
  if (!match) return undefined;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return Number(match[2]) < 60 && minutes <= 24 * 60 ? minutes : undefined;
}

/** `mon-fri`, `sat`, `mon,wed,fri`, `fri-mon` (wrapping): the days a key names, or undefined. */
function daysOf(key: string): Weekday[] | undefined {
  const days = new Set<Weekday>();
  for (const part of key.toLowerCase().split(',').map((p) => p.trim())) {
    const [first, last, extra] = part.split('-').map((d) => weekdays.indexOf(d.trim() as Weekday));
    if (first === undefined || first < 0 || extra !== undefined || (last !== undefined && last < 0)) return undefined;
    for (let day = first; ; day = (day + 1) % 7) {
      days.add(weekdays[day]!);
      if (last === undefined || day === last) break;
    }
  }
  return days.size > 0 ? [...days] : undefined;
}

/** One opening a week-day has: minutes after its local midnight; `to` ≤ `from` ends the next day. */
interface Hours {
  readonly days: readonly Weekday[];
  readonly from: number;
  readonly to: number;
}

/**
 * DESIGN §10's `businessHours`: `{ mon-fri: "09:00-18:00", sat: "10:00-14:00" }`. A value may hold
 * several openings (`"09:00-12:00, 13:30-18:00"`); one that closes at or before it opens runs past
 * midnight (`"22:00-06:00"`); 24:00 is midnight at the end of the day.
 */
const ParsedHours = z.record(z.string(), z.string()).transform((map, ctx): Hours[] => {
  const hours: Hours[] = [];
  for (const [key, value] of Object.entries(map)) {
    const days = daysOf(key);
    if (!days) ctx.addIssue({ code: 'custom', message: `"${key}": days as mon, mon-fri or mon,wed`, path: [key] });
    for (const range of value.split(',')) {
      const [from, to, extra] = range.split('-').map(minutesOf);
      if (from === undefined || to === undefined || extra !== undefined || range.split('-').length !== 2 || from === 24 * 60) {
        ctx.addIssue({ code: 'custom', message: `"${range.trim()}": hours as HH:MM-HH:MM`, path: [key] });
        continue;
      }
      if (days) hours.push({ days, from, to });
    }
  }
  if (hours.length === 0 && Object.keys(map).length === 0) ctx.addIssue({ code: 'custom', message: 'no hours (leave businessHours out for 24/7)' });
  return hours;
});

/**
 * The same, checked but kept as written: settings are stored and shown as the admin typed them,
 * and parsed into openings only when a calendar is built.
 */
export const BusinessHours = z.record(z.string(), z.string()).superRefine((map, ctx) => {
  const result = ParsedHours.safeParse(map);
  if (!result.success) for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
});

/** The calendar keys of `desk:` (DESIGN §10). */
export const CalendarSettings = z.object({
  timezone: z.string().refine((zone) => IANAZone.isValidZone(zone), 'an IANA time zone, such as Europe/Berlin or Asia/Shanghai').default('UTC'),
  /** Absent: 24/7. */
  businessHours: BusinessHours.optional(),
  /**
   * Local dates with no hours (YYYY-MM-DD). A shift that opened the evening before runs on into the
   * holiday; none opens on it.
   */
  holidays: z.array(z.iso.date()).max(1000).default([]),
});
export type CalendarSettings = z.infer<typeof CalendarSettings>;
export type CalendarSettingsInput = z.input<typeof CalendarSettings>;

/** An opening, [start, end) in epoch milliseconds. */
interface Interval {
  readonly start: number;
  readonly end: number;
}

/** How far ahead a search looks for hours before giving up (every day a holiday, say). */
const SEARCH_DAYS = 3 * 366;

export class NoBusinessHours extends Error {
  override readonly name = 'NoBusinessHours';
}

/**
 * Answers on one calendar. `always` (24/7, what urgent cases and `always` policies use) is the
 * calendar open at every instant.
 */
export interface Calendar {
  isOpen(at: Date): boolean;
  /** `at` when open, else the next opening. */
  nextOpening(at: Date): Date;
  /** The instant `ms` of business time after `at` (business time from `at` on; `ms` = 0 gives the next opening). */
  add(at: Date, ms: number): Date;
  /** Business time in [a, b), in ms; 0 when b is not after a. */
  between(a: Date, b: Date): number;
}

export const always: Calendar = {
  isOpen: () => true,
  nextOpening: (at) => new Date(at.getTime()),
  add: (at, ms) => new Date(at.getTime() + Math.max(0, ms)),
  between: (a, b) => Math.max(0, b.getTime() - a.getTime()),
};

/** The calendar of `desk:`'s settings: `always` without business hours. */
export function businessCalendar(input: CalendarSettingsInput): Calendar {
  const config = CalendarSettings.parse(input);
  if (!config.businessHours) return always;
  const hours = ParsedHours.parse(config.businessHours);
  const holidays = new Set(config.holidays);
  const zone = config.timezone;

  /** The openings that start on one local date, sorted. */
  function openingsOn(day: DateTime): Interval[] {
    const date = day.toISODate()!;
    if (holidays.has(date)) return [];
    const weekday = weekdays[day.weekday - 1]!;
    const out: Interval[] = [];
    for (const opening of hours) {
      if (!opening.days.includes(weekday)) continue;
      const start = at(day, opening.from);
      const end = opening.to > opening.from ? at(day, opening.to) : at(day.plus({ days: 1 }), opening.to);
      if (end > start) out.push({ start, end });
    }
    return out.sort((a, b) => a.start - b.start);
  }

  /**
   * Merged openings in time order, from those that start on the local day before `from`'s (an
   * overnight shift may still be running) onwards.
   */
  function* openings(from: number): Generator<Interval> {
    let day = DateTime.fromMillis(from, { zone }).startOf('day').minus({ days: 1 });
    let pending: Interval | undefined;
    let empty = 0;
    while (empty <= SEARCH_DAYS) {
      const today = openingsOn(day);
      empty = today.length === 0 ? empty + 1 : 0;
      for (const next of today) {
        if (pending && next.start <= pending.end) pending = { start: pending.start, end: Math.max(pending.end, next.end) };
        else {
          if (pending && pending.end > from) yield pending;
          pending = next;
        }
      }
      // Every opening of a later day starts at or after the next midnight: what lies before it can
      // no longer grow, and goes out now (a 24/7 calendar would otherwise never yield).
      const nextDay = day.plus({ days: 1 });
      const midnight = nextDay.toMillis();
      if (pending && pending.start < midnight) {
        const done = { start: pending.start, end: Math.min(pending.end, midnight) };
        if (done.end > from) yield done;
        pending = pending.end > midnight ? { start: midnight, end: pending.end } : undefined;
      }
      day = nextDay;
    }
    throw new NoBusinessHours(`no business hours within ${SEARCH_DAYS} days of ${new Date(from).toISOString()}`);
  }

  return {
    isOpen(moment) {
      const t = moment.getTime();
      for (const interval of openings(t)) return interval.start <= t;
      return false;
    },
    nextOpening(moment) {
      const t = moment.getTime();
      for (const interval of openings(t)) return new Date(Math.max(t, interval.start));
      throw new NoBusinessHours('no business hours');
    },
    add(moment, ms) {
      let left = Math.max(0, ms);
      for (const interval of openings(moment.getTime())) {
        const start = Math.max(interval.start, moment.getTime());
        if (left <= interval.end - start) return new Date(start + left);
        left -= interval.end - start;
      }
      throw new NoBusinessHours('no business hours');
    },
    between(a, b) {
      const from = a.getTime();
      const to = b.getTime();
      if (to <= from) return 0;
      let total = 0;
      for (const interval of openings(from)) {
        if (interval.start >= to) break;
        total += Math.min(interval.end, to) - Math.max(interval.start, from);
      }
      return total;
    },
  };
}

/**
 * The instant of a local clock time on a local date. A time the clock skips (spring forward) is
 * the instant the clock reaches after the gap; a time it repeats (autumn) is its first occurrence.
 */
function at(day: DateTime, minutes: number): number {
  if (minutes === 24 * 60) return day.plus({ days: 1 }).startOf('day').toMillis();
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60, second: 0, millisecond: 0 }).toMillis();
}
