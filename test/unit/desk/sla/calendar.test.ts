import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { always, businessCalendar, type Calendar, CalendarSettings, NoBusinessHours } from '../../../../src/desk/sla/calendar.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const berlinOffice = businessCalendar({ timezone: 'Europe/Berlin', businessHours: { 'mon-fri': '09:00-18:00' }, holidays: ['2026-12-25'] });
const iso = (date: Date): string => date.toISOString();

describe('the business calendar', () => {
  it('a conversation opened Friday 17:55 with a 15-minute target is due Monday 09:10', () => {
    // Friday 2026-12-04 17:55 in Berlin is 16:55 UTC (CET, +01:00).
    expect(iso(berlinOffice.add(new Date('2026-12-04T16:55:00Z'), 15 * MINUTE))).toBe('2026-12-07T08:10:00.000Z');
    expect(berlinOffice.between(new Date('2026-12-04T16:55:00Z'), new Date('2026-12-07T08:10:00Z'))).toBe(15 * MINUTE);
  });

  it('skips holidays: Thursday 17:55 before Christmas + 15 minutes is Monday 09:10', () => {
    expect(iso(berlinOffice.add(new Date('2026-12-24T16:55:00Z'), 15 * MINUTE))).toBe('2026-12-28T08:10:00.000Z');
    expect(berlinOffice.isOpen(new Date('2026-12-25T10:00:00Z'))).toBe(false);
    expect(iso(berlinOffice.nextOpening(new Date('2026-12-25T10:00:00Z')))).toBe('2026-12-28T08:00:00.000Z');
  });

  it('answers open, closed and the next opening on a weekend and at the edges', () => {
    expect(berlinOffice.isOpen(new Date('2026-12-07T08:00:00Z'))).toBe(true); // Monday 09:00 opens
    expect(berlinOffice.isOpen(new Date('2026-12-07T17:00:00Z'))).toBe(false); // Monday 18:00 has closed
    expect(berlinOffice.isOpen(new Date('2026-12-05T12:00:00Z'))).toBe(false); // Saturday
    expect(iso(berlinOffice.nextOpening(new Date('2026-12-05T12:00:00Z')))).toBe('2026-12-07T08:00:00.000Z');
    // A week of business time is 45 hours.
    expect(berlinOffice.between(new Date('2026-12-07T00:00:00Z'), new Date('2026-12-14T00:00:00Z'))).toBe(45 * HOUR);
    // Four business hours from Monday 16:00 local: two on Monday, two on Tuesday → Tuesday 11:00.
    expect(iso(berlinOffice.add(new Date('2026-12-07T15:00:00Z'), 4 * HOUR))).toBe('2026-12-08T10:00:00.000Z');
  });

  it('counts real time across DST changes in Europe/Berlin: the overnight shift is 7 h in spring, 9 h in autumn', () => {
    const nights = businessCalendar({ timezone: 'Europe/Berlin', businessHours: { sat: '22:00-06:00' } });
    // 2026-03-29 02:00 → 03:00 (CET → CEST); 2026-10-25 03:00 → 02:00 (CEST → CET).
    expect(nights.between(new Date('2026-03-28T00:00:00Z'), new Date('2026-03-30T00:00:00Z'))).toBe(7 * HOUR);
    expect(nights.between(new Date('2026-10-24T00:00:00Z'), new Date('2026-10-26T00:00:00Z'))).toBe(9 * HOUR);
    // Saturday 22:00 CET is 21:00 UTC; Sunday 06:00 CEST is 04:00 UTC.
    expect(iso(nights.nextOpening(new Date('2026-03-28T12:00:00Z')))).toBe('2026-03-28T21:00:00.000Z');
    expect(iso(nights.add(new Date('2026-03-28T12:00:00Z'), 7 * HOUR))).toBe('2026-03-29T04:00:00.000Z');
  });

  it('counts real time across DST changes in America/New_York, and a 9-to-5 day keeps its 8 hours', () => {
    const office = businessCalendar({ timezone: 'America/New_York', businessHours: { 'sun-mon': '00:00-24:00' } });
    // 2026-03-08 02:00 → 03:00 (EST → EDT): that Sunday has 23 hours; 2026-11-01 has 25.
    expect(office.between(new Date('2026-03-08T05:00:00Z'), new Date('2026-03-09T04:00:00Z'))).toBe(23 * HOUR);
    expect(office.between(new Date('2026-11-01T04:00:00Z'), new Date('2026-11-02T05:00:00Z'))).toBe(25 * HOUR);
    const nineToFive = businessCalendar({ timezone: 'America/New_York', businessHours: { sun: '09:00-17:00' } });
    expect(nineToFive.between(new Date('2026-03-08T00:00:00Z'), new Date('2026-03-09T00:00:00Z'))).toBe(8 * HOUR);
    // A time the clock skips opens when the clock gets there: 02:30 on the spring-forward night is 03:30 EDT.
    const skipped = businessCalendar({ timezone: 'America/New_York', businessHours: { sun: '02:30-04:00' } });
    expect(iso(skipped.nextOpening(new Date('2026-03-08T00:00:00Z')))).toBe('2026-03-08T07:30:00.000Z');
  });

  it('Asia/Shanghai has no DST: weekends and a lunch break', () => {
    const shanghai = businessCalendar({
      timezone: 'Asia/Shanghai',
      businessHours: { 'mon-fri': '09:00-12:00, 13:30-18:00' },
      holidays: ['2026-10-01', '2026-10-02'],
    });
    // Friday 2026-09-25 17:30 (09:30 UTC) + 1 h → Monday 09:30 local (01:30 UTC).
    expect(iso(shanghai.add(new Date('2026-09-25T09:30:00Z'), HOUR))).toBe('2026-09-28T01:30:00.000Z');
    // 11:30 + 1 h spans the lunch break → 14:00.
    expect(iso(shanghai.add(new Date('2026-09-28T03:30:00Z'), HOUR))).toBe('2026-09-28T06:00:00.000Z');
    // National Day holidays (Thu, Fri): Wednesday 17:00 + 2 h → Monday 10:00.
    expect(iso(shanghai.add(new Date('2026-09-30T09:00:00Z'), 2 * HOUR))).toBe('2026-10-05T02:00:00.000Z');
  });

  it('merges overlapping and touching hours into one opening', () => {
    const shifts = businessCalendar({
      timezone: 'UTC',
      businessHours: { mon: '08:00-16:00, 12:00-20:00, 20:00-24:00', tue: '00:00-02:00' },
    });
    expect(shifts.between(new Date('2026-12-07T00:00:00Z'), new Date('2026-12-09T00:00:00Z'))).toBe(18 * HOUR);
    expect(iso(shifts.add(new Date('2026-12-07T08:00:00Z'), 17 * HOUR))).toBe('2026-12-08T01:00:00.000Z');
  });

  it('a calendar open around the clock, and a shift that ends when it starts (24 h), answer like 24/7', () => {
    for (const businessHours of [{ 'mon-sun': '00:00-24:00' }, { 'mon-sun': '08:00-08:00' }, { 'fri-thu': '00:00-12:00,12:00-24:00' }] as Record<string, string>[]) {
      const open = businessCalendar({ timezone: 'Europe/Berlin', businessHours });
      const a = new Date('2026-03-25T10:00:00Z');
      expect(open.between(a, new Date(a.getTime() + 7 * 24 * HOUR))).toBe(7 * 24 * HOUR);
      expect(iso(open.add(a, 100 * HOUR))).toBe(iso(new Date(a.getTime() + 100 * HOUR)));
    }
  });

  it('refuses an unknown time zone, a malformed time and a calendar without any hours ahead', () => {
    expect(CalendarSettings.safeParse({ timezone: 'Mars/Olympus' }).success).toBe(false);
    for (const businessHours of [{ mon: '9:00-17:00' }, { mon: '09:00' }, { mon: '09:00-17:00-18:00' }, { mon: '24:00-02:00' }, { monday: '09:00-17:00' }, { 'mon-xyz': '09:00-17:00' }, {}]) {
      const parsed = CalendarSettings.safeParse({ timezone: 'UTC', businessHours });
      expect(parsed.success, JSON.stringify(businessHours)).toBe(false);
    }
    // The error names the field.
    expect(CalendarSettings.safeParse({ businessHours: { sat: '10-14' } }).error?.issues[0]?.path).toEqual(['businessHours', 'sat']);
    // Without business hours the calendar is 24/7.
    expect(businessCalendar({ timezone: 'Asia/Shanghai' })).toBe(always);
    const allHolidays = businessCalendar({
      timezone: 'UTC',
      businessHours: { mon: '09:00-17:00' },
      holidays: Array.from({ length: 1000 }, (_, i) => new Date(Date.UTC(2026, 11, 7) + i * 7 * 86_400_000).toISOString().slice(0, 10)),
    });
    expect(() => allHolidays.add(new Date('2026-12-07T00:00:00Z'), HOUR)).toThrow(NoBusinessHours);
  });

  describe('properties, over random calendars and times', () => {
    const clock = fc.integer({ min: 0, max: 24 * 4 - 1 }).map((quarter) => `${String(Math.floor(quarter / 4)).padStart(2, '0')}:${String((quarter % 4) * 15).padStart(2, '0')}`);
    const calendars = fc
      .record({
        timezone: fc.constantFrom('Europe/Berlin', 'America/New_York', 'Asia/Shanghai', 'UTC', 'Australia/Sydney'),
        businessHours: fc.dictionary(fc.constantFrom('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'mon-fri', 'sat-sun', 'fri-mon', 'tue,thu'), fc.array(fc.tuple(clock, clock), { minLength: 1, maxLength: 2 }).map((ranges) => ranges.map(([from, to]) => `${from}-${to}`).join(', ')), { minKeys: 1, maxKeys: 3 }),
      })
      .map((input): Calendar => businessCalendar(input));
    // 2026, which holds both DST changes of every zone above.
    const instants = fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2026, 11, 31) }).map((ms) => new Date(ms));
    const durations = fc.integer({ min: 1, max: 200 * HOUR });

    it('business time from a to a + x business time is x', () => {
      fc.assert(fc.property(calendars, instants, durations, (calendar, a, x) => calendar.between(a, calendar.add(a, x)) === x), { numRuns: 300 });
    });

    it('adding x then y is adding x + y', () => {
      fc.assert(fc.property(calendars, instants, durations, durations, (calendar, a, x, y) => calendar.add(calendar.add(a, x), y).getTime() === calendar.add(a, x + y).getTime()), { numRuns: 300 });
    });

    it('business time adds up over consecutive spans and never exceeds the clock', () => {
      fc.assert(
        fc.property(calendars, instants, durations, durations, (calendar, a, d1, d2) => {
          const b = new Date(a.getTime() + d1);
          const c = new Date(b.getTime() + d2);
          const whole = calendar.between(a, c);
          return whole === calendar.between(a, b) + calendar.between(b, c) && whole <= c.getTime() - a.getTime() && whole >= 0;
        }),
        { numRuns: 300 },
      );
    });

    it('a due time is never earlier than the start, and is open time or the end of an opening', () => {
      fc.assert(
        fc.property(calendars, instants, durations, (calendar, a, x) => {
          const due = calendar.add(a, x);
          return due.getTime() >= a.getTime() && calendar.isOpen(new Date(due.getTime() - 1));
        }),
        { numRuns: 300 },
      );
    });
  });

  it('always is 24/7', () => {
    const a = new Date('2026-12-05T12:00:00Z');
    expect(iso(always.add(a, 15 * MINUTE))).toBe('2026-12-05T12:15:00.000Z');
    expect(always.between(a, new Date('2026-12-06T12:00:00Z'))).toBe(24 * HOUR);
    expect(always.isOpen(a)).toBe(true);
  });
});
