import { DateTime } from 'luxon';
import type { Lang } from '../language.js';
import { always, type Calendar } from './calendar.js';
import { calendarOf, responseTarget, type SlaSettings, type Subject, targetsFor } from './policy.js';

/**
 * The response-time promise (issue 14): what the acknowledgement of a new conversation tells the
 * customer, in their language. Pure.
 *
 * - an urgent case (theft reported, a secret exposed): a person is on it — at any hour;
 * - within business hours: the channel's expected response time;
 * - outside them: when the team is back, in the team's time zone.
 */
export interface PromiseFacts {
  readonly lang: Lang;
  readonly urgent: boolean;
  /** The conversation's first-response target. */
  readonly targetMs: number;
  readonly calendar: Calendar;
  readonly timezone: string;
  readonly now: Date;
}

const units = [
  { ms: 86_400_000, en: ['day', 'days'], zh: '天' },
  { ms: 3_600_000, en: ['hour', 'hours'], zh: '小时' },
  { ms: 60_000, en: ['minute', 'minutes'], zh: '分钟' },
  { ms: 1_000, en: ['second', 'seconds'], zh: '秒' },
] as const;

/** `15 minutes`, `24 hours`, `2 days` / `15分钟`: the largest unit that says it exactly (a day only from 2). */
export function spokenDuration(ms: number, lang: Lang): string {
  const unit = units.find((u) => ms % u.ms === 0 && (u.ms !== 86_400_000 || ms >= 2 * u.ms)) ?? units[units.length - 1]!;
  const count = Math.max(1, Math.round(ms / unit.ms));
  return lang === 'zh' ? `${count}${unit.zh}` : `${count} ${unit.en[count === 1 ? 0 : 1]}`;
}

/** `Monday 8 February at 09:00 GMT+8` / `2月8日星期一 09:00 (GMT+8)`, in the team's zone. */
export function spokenTime(at: Date, timezone: string, lang: Lang): string {
  const local = DateTime.fromJSDate(at, { zone: timezone });
  return lang === 'zh'
    ? `${local.setLocale('zh-CN').toFormat('M月d日cccc HH:mm')}（${local.setLocale('en-GB').toFormat('ZZZZ')}）`
    : local.setLocale('en-GB').toFormat("cccc d LLLL 'at' HH:mm ZZZZ");
}

export function promiseText(facts: PromiseFacts): string {
  const { lang } = facts;
  if (facts.urgent) {
    return lang === 'zh'
      ? '感谢您的联系。我们的工作人员已经在处理您的问题，会尽快在这里回复您。请不要向任何人提供助记词或私钥。'
      : 'Thanks for reaching out. A member of our team is on it now and will answer you here shortly. Never share your recovery phrase or private key with anyone.';
  }
  const within = spokenDuration(facts.targetMs, lang);
  if (facts.calendar.isOpen(facts.now)) {
    return lang === 'zh' ? `感谢您的留言，我们已收到。通常我们会在${within}内在这里回复您。` : `Thanks for your message, we have it. We usually answer here within ${within}.`;
  }
  const back = spokenTime(facts.calendar.nextOpening(facts.now), facts.timezone, lang);
  return lang === 'zh'
    ? `感谢您的留言，我们已收到。现在是非工作时间，我们将于${back}回来，届时会在${within}内回复您。`
    : `Thanks for your message, we have it. Our team is away right now; we are back ${back} and will answer within ${within} of that.`;
}

/** The promise for one conversation under these service levels: its policy's first-response target (or the channel's), its calendar. */
export function promiseFor(levels: SlaSettings, conversation: Subject, lang: Lang, now: Date): string {
  const targets = targetsFor(levels, { ...conversation, handledBy: 'agent' });
  return promiseText({
    lang,
    urgent: conversation.priority === 'urgent',
    targetMs: targets?.ms.firstResponse ?? responseTarget(levels, conversation),
    calendar: targets?.always ? always : calendarOf(levels),
    timezone: levels.timezone,
    now,
  });
}
