import { describe, expect, it } from 'vitest';
import { DEFAULT_RESPONSE_TARGETS as SERVER_DEFAULTS, SlaSettings } from '../../../src/desk/sla/policy.js';
import { ApiError } from '../../../src/ui/inbox/src/api.js';
import { DEFAULT_RESPONSE_TARGETS, emptyPolicy, formOfSla, move, slaBody, slaErrorOf } from '../../../src/ui/inbox/src/desk-settings.js';
import { makeTranslate } from '../../../src/ui/inbox/src/i18n.js';

const en = makeTranslate('en');

/** The README's example, as GET /api/desk/settings returns it (parsed: match entries are lists). */
const readme = SlaSettings.parse({
  timezone: 'Asia/Shanghai',
  businessHours: { 'mon-fri': '09:00-18:00', sat: '10:00-14:00' },
  holidays: ['2027-02-10'],
  responseTargets: { webchat: '5m', telegram: '15m', email: '24h', 'support-bot': '10m' },
  sla: [
    { name: 'urgent', match: { priority: 'urgent' }, firstResponse: '15m', nextResponse: '30m', resolution: '4h', always: true },
    { name: 'default', firstResponse: 'channel', nextResponse: '2h', resolution: '3d' },
  ],
});

describe('the service-level form', () => {
  it('reads the settings into rows and sends back the same settings the server parsed', () => {
    const form = formOfSla(readme);
    expect(form.allDay).toBe(false);
    expect(form.hours).toEqual([
      { days: 'mon-fri', hours: '09:00-18:00' },
      { days: 'sat', hours: '10:00-14:00' },
    ]);
    expect(form.targets).toMatchObject({ webchat: '5m', telegram: '15m', email: '24h', discord: '' });
    expect(form.otherTargets).toEqual({ 'support-bot': '10m' });
    expect(form.policies[0]).toMatchObject({ name: 'urgent', priority: ['urgent'], always: true, firstResponse: '15m' });
    expect(SlaSettings.parse(slaBody(form))).toEqual(readme);
  });

  it('24/7 sends no businessHours, blank rows and blank targets are left out, and lists are split on commas', () => {
    const form = formOfSla(readme);
    form.allDay = true;
    form.holidays = ['', '2027-10-01', ' '];
    form.targets.telegram = ' ';
    form.policies = [{ ...emptyPolicy(), name: ' vip ', channel: 'telegram, web', labels: 'vip，whale', resolution: '1d' }];
    const body = slaBody(form);
    expect(body).not.toHaveProperty('businessHours');
    expect(body.holidays).toEqual(['2027-10-01']);
    expect(body.responseTargets).toEqual({ webchat: '5m', email: '24h', 'support-bot': '10m' });
    expect(body.sla).toEqual([{ name: 'vip', match: { channel: ['telegram', 'web'], labels: ['vip', 'whale'] }, resolution: '1d', always: false }]);
    expect(SlaSettings.safeParse(body).success).toBe(true);
  });

  it('empty settings (the defaults) read as 24/7 in UTC, and the placeholders are the server’s defaults', () => {
    const form = formOfSla({});
    expect(form).toMatchObject({ timezone: 'UTC', allDay: true, hours: [], holidays: [], policies: [] });
    expect(DEFAULT_RESPONSE_TARGETS).toEqual(SERVER_DEFAULTS);
  });

  it('an API refusal is put at the field its path names, mapped to the form’s rows', () => {
    const form = formOfSla(readme);
    form.holidays = ['', 'tomorrow'];
    const refusal = (message: string) => slaErrorOf(new ApiError(400, 'validation', message), form, en);
    expect(refusal('responseTargets.webchat: a duration such as 90s, 15m, 4h or 2d')).toEqual({ field: 'responseTargets.webchat', text: 'responseTargets.webchat: a duration such as 90s, 15m, 4h or 2d' });
    expect(refusal('businessHours.sat: "9-18": hours as HH:MM-HH:MM').field).toBe('businessHours.1');
    expect(refusal('holidays.0: Invalid ISO date').field).toBe('holidays.1');
    expect(refusal('sla.1.firstResponse: a duration').field).toBe('sla.1.firstResponse');
    expect(refusal('sla.0.match.priority.0: Invalid option').field).toBe('sla.0.match');
    expect(refusal('timezone: an IANA time zone').field).toBe('timezone');
    expect(refusal('something odd').field).toBeNull();
    expect(slaErrorOf(new ApiError(403, 'forbidden', 'no'), form, en).field).toBeNull();
  });

  it('moves a policy up and down, and not past either end', () => {
    expect(move(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'c', 'b']);
    expect(move(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(move(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
    expect(move(['a', 'b'], 1, 2)).toEqual(['a', 'b']);
  });
});
