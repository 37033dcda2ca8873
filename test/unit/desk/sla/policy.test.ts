import { describe, expect, it } from 'vitest';
import { always, businessCalendar } from '../../../../src/desk/sla/calendar.js';
import { SlaSettings, responseTarget, targetsFor } from '../../../../src/desk/sla/policy.js';
import { promiseText, spokenDuration, spokenTime } from '../../../../src/desk/sla/promise.js';
import { Duration } from '../../../../src/desk/settings-types.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const subject = { channelId: 'tg', channelKind: 'telegram' as const, priority: 'normal' as const, labels: [] as string[] };

describe('SLA policies', () => {
  it('durations are DESIGN §10 strings; anything else is refused with the format', () => {
    expect(['90s', '15m', '4h', '2d'].map((d) => Duration.parse(d))).toEqual([90_000, 15 * MINUTE, 4 * HOUR, 2 * 24 * HOUR]);
    for (const bad of ['15', '1.5h', '15 min', '-5m', '0s', '400d', '']) expect(Duration.safeParse(bad).success, bad).toBe(false);
  });

  it('defaults: urgent cases 15m around the clock, others the channel target in business time', () => {
    const settings = SlaSettings.parse({});
    expect(targetsFor(settings, subject)).toEqual({ policy: 'default', always: false, ms: { firstResponse: 15 * MINUTE, nextResponse: 2 * HOUR, resolution: 3 * 24 * HOUR } });
    expect(targetsFor(settings, { ...subject, priority: 'urgent' })).toEqual({ policy: 'urgent', always: true, ms: { firstResponse: 15 * MINUTE, nextResponse: 30 * MINUTE, resolution: 4 * HOUR } });
    expect(targetsFor(settings, { ...subject, channelId: 'mail', channelKind: 'email' })?.ms.firstResponse).toBe(24 * HOUR);
  });

  it('the first policy whose match fits wins; a channel matches by id or kind, labels by any', () => {
    const settings = SlaSettings.parse({
      responseTargets: { telegram: '10m', 'tg-vip': '2m' },
      sla: [
        { name: 'vip', match: { labels: ['vip', 'whale'] }, firstResponse: '5m' },
        { name: 'chat', match: { channel: ['webchat', 'tg-vip'], priority: ['high', 'urgent'] }, firstResponse: 'channel' },
        { name: 'rest', firstResponse: 'channel', resolution: '2d', always: 'true' },
      ],
    });
    expect(targetsFor(settings, { ...subject, labels: ['whale'] })?.policy).toBe('vip');
    expect(targetsFor(settings, { ...subject, channelId: 'tg-vip', priority: 'high' })).toMatchObject({ policy: 'chat', ms: { firstResponse: 2 * MINUTE } });
    expect(targetsFor(settings, { ...subject, channelId: 'tg-vip' })).toMatchObject({ policy: 'rest', always: true, ms: { firstResponse: 2 * MINUTE, resolution: 2 * 24 * HOUR } });
    expect(responseTarget(settings, subject)).toBe(10 * MINUTE);
    expect(responseTarget(settings, { channelId: 'x', channelKind: 'x' })).toBe(HOUR);
  });

  it('no policy fits: no targets', () => {
    expect(targetsFor(SlaSettings.parse({ sla: [{ name: 'vip', match: { labels: 'vip' }, firstResponse: '5m' }] }), subject)).toBeUndefined();
    expect(targetsFor(SlaSettings.parse({ sla: [] }), subject)).toBeUndefined();
  });

  it('bad settings name the field', () => {
    const issue = (input: unknown) => {
      const r = SlaSettings.safeParse(input);
      return r.success ? undefined : `${r.error.issues[0]!.path.join('.')}: ${r.error.issues[0]!.message}`;
    };
    expect(issue({ responseTargets: { webchat: 'soon' } })).toMatch(/^responseTargets\.webchat: a duration/);
    expect(issue({ sla: [{ name: 'a', firstResponse: '5 minutes' }] })).toMatch(/^sla\.0\.firstResponse/);
    expect(issue({ sla: [{ name: 'a', match: { prority: 'urgent' } }] })).toMatch(/^sla\.0\.match/);
    expect(issue({ sla: [{ name: 'a' }, { name: 'a' }] })).toMatch(/used twice/);
    expect(issue({ timezone: 'Mars/Olympus' })).toMatch(/^timezone: an IANA time zone/);
    expect(issue({ businessHours: { 'mon-fri': '9-18' } })).toMatch(/^businessHours\.mon-fri: "9-18": hours as HH:MM-HH:MM/);
  });
});

describe('the response-time promise', () => {
  const office = businessCalendar({ timezone: 'Asia/Shanghai', businessHours: { 'mon-fri': '09:00-18:00' } });
  const facts = { calendar: office, timezone: 'Asia/Shanghai', targetMs: 30 * MINUTE, urgent: false };

  it('names the expected time in business hours, in English and Chinese', () => {
    const now = new Date('2026-12-07T03:00:00Z'); // Monday 11:00 in Shanghai
    expect(promiseText({ ...facts, lang: 'en', now })).toBe('Thanks for your message, we have it. We usually answer here within 30 minutes.');
    expect(promiseText({ ...facts, lang: 'zh', now })).toBe('感谢您的留言，我们已收到。通常我们会在30分钟内在这里回复您。');
  });

  it('outside business hours it says when the team is back, in the team’s time zone', () => {
    const now = new Date('2026-12-05T04:00:00Z'); // Saturday noon in Shanghai
    expect(promiseText({ ...facts, lang: 'en', now })).toBe('Thanks for your message, we have it. Our team is away right now; we are back Monday 7 December at 09:00 GMT+8 and will answer within 30 minutes of that.');
    expect(promiseText({ ...facts, lang: 'zh', now })).toContain('我们将于12月7日星期一 09:00（GMT+8）回来');
  });

  it('an urgent case is told a person is on it, at any hour', () => {
    const now = new Date('2026-12-05T16:00:00Z'); // Sunday 00:00 in Shanghai
    expect(promiseText({ ...facts, urgent: true, lang: 'en', now })).toMatch(/^Thanks for reaching out\. A member of our team is on it now/);
    expect(promiseText({ ...facts, urgent: true, lang: 'zh', now })).toMatch(/工作人员已经在处理/);
    expect(promiseText({ ...facts, calendar: always, lang: 'en', now })).toMatch(/within 30 minutes\.$/);
  });

  it('says durations in the largest exact unit', () => {
    expect([90_000, 5 * MINUTE, HOUR, 24 * HOUR, 48 * HOUR, 90 * MINUTE].map((ms) => spokenDuration(ms, 'en'))).toEqual(['90 seconds', '5 minutes', '1 hour', '24 hours', '2 days', '90 minutes']);
    expect(spokenDuration(24 * HOUR, 'zh')).toBe('24小时');
    expect(spokenTime(new Date('2026-12-07T08:00:00Z'), 'Europe/Berlin', 'en')).toBe('Monday 7 December at 09:00 CET');
  });
});
