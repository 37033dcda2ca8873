import { z } from 'zod';
import { ChannelKind } from '../../domain/channel.js';
import { Priority } from '../../domain/conversation.js';
import { DurationText, flag, msOf } from '../settings-types.js';
import { BusinessHours, businessCalendar, type Calendar, CalendarSettings } from './calendar.js';

/**
 * SLA policies (issue 14, DESIGN §10): which targets a conversation is held to. Pure — settings
 * and a conversation's facts in, targets out.
 */

export const metrics = ['firstResponse', 'nextResponse', 'resolution'] as const;
export type Metric = (typeof metrics)[number];

/** What a live chat, a Telegram bot or a mailbox promises when nothing else is set. */
export const DEFAULT_RESPONSE_TARGETS: Readonly<Record<ChannelKind, string>> = {
  webchat: '5m',
  telegram: '15m',
  discord: '15m',
  x: '1h',
  wechat: '30m',
  email: '24h',
};

const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1).max(50)]).transform((v): z.infer<T>[] => (Array.isArray(v) ? v : [v]));

/** `channel` means the conversation's channel's `responseTargets` entry. */
const Target = z.union([z.literal('channel'), DurationText]);

export const Policy = z
  .object({
    name: z.string().trim().min(1).max(60),
    /** All given fields must fit; a list fits when any entry does. Empty: every conversation. */
    match: z
      .object({
        priority: oneOrMany(Priority).optional(),
        /** A channel id or a channel kind. */
        channel: oneOrMany(z.string().min(1).max(100)).optional(),
        /** Any of these labels. */
        labels: oneOrMany(z.string().min(1).max(50)).optional(),
      })
      .strict()
      .default({}),
    firstResponse: Target.optional(),
    nextResponse: Target.optional(),
    resolution: DurationText.optional(),
    /** Count every hour, not only business hours (urgent cases). */
    always: flag.default(false),
  })
  .strict();
export type Policy = z.infer<typeof Policy>;

export const DEFAULT_POLICIES: z.input<typeof Policy>[] = [
  { name: 'urgent', match: { priority: 'urgent' }, firstResponse: '15m', nextResponse: '30m', resolution: '4h', always: true },
  { name: 'default', firstResponse: 'channel', nextResponse: '2h', resolution: '3d' },
];

/** The keys of `desk:` that service levels own (DESIGN §10). */
export const SlaSettings = z.object({
  timezone: CalendarSettings.shape.timezone,
  businessHours: BusinessHours.optional(),
  holidays: CalendarSettings.shape.holidays,
  /** Per channel kind or channel id; kinds left out keep their defaults. */
  responseTargets: z.record(z.string().min(1).max(100), DurationText).default({}),
  sla: z
    .array(Policy)
    .max(50)
    .superRefine((policies, ctx) => {
      const seen = new Set<string>();
      policies.forEach((p, i) => {
        if (seen.has(p.name)) ctx.addIssue({ code: 'custom', message: `policy name "${p.name}" is used twice`, path: [i, 'name'] });
        seen.add(p.name);
      });
    })
    .default(() => Policy.array().parse(DEFAULT_POLICIES)),
});
export type SlaSettings = z.infer<typeof SlaSettings>;

/** What a policy asks of one conversation: milliseconds per metric (absent = no target). */
export interface Targets {
  readonly policy: string;
  readonly always: boolean;
  readonly ms: Partial<Record<Metric, number>>;
}

/** The facts a policy looks at. */
export interface Subject {
  readonly channelId: string;
  readonly channelKind: ChannelKind;
  readonly priority: Priority;
  readonly labels: readonly string[];
  /** The FAQ bot's conversations are held to no target until it hands them to the team (issue 16). */
  readonly handledBy?: 'bot' | 'agent';
}

/** The channel's expected first-response time: its id's entry, its kind's, or the default. */
export function responseTarget(settings: Pick<SlaSettings, 'responseTargets'>, subject: Pick<Subject, 'channelId' | 'channelKind'>): number {
  return msOf(settings.responseTargets[subject.channelId] ?? settings.responseTargets[subject.channelKind] ?? DEFAULT_RESPONSE_TARGETS[subject.channelKind]);
}

const fits = (policy: Policy, subject: Subject): boolean => {
  const { priority, channel, labels } = policy.match;
  if (priority && !priority.includes(subject.priority)) return false;
  if (channel && !channel.includes(subject.channelId) && !channel.includes(subject.channelKind)) return false;
  if (labels && !labels.some((l) => subject.labels.includes(l))) return false;
  return true;
};

/** The first policy whose match fits, as targets; undefined when none fits (no SLA). */
export function targetsFor(settings: SlaSettings, subject: Subject): Targets | undefined {
  if (subject.handledBy === 'bot') return undefined;
  const policy = settings.sla.find((p) => fits(p, subject));
  if (!policy) return undefined;
  const ms: Partial<Record<Metric, number>> = {};
  for (const metric of metrics) {
    const target = policy[metric];
    if (target !== undefined) ms[metric] = target === 'channel' ? responseTarget(settings, subject) : msOf(target);
  }
  return { policy: policy.name, always: policy.always, ms };
}

const calendars = new WeakMap<SlaSettings, Calendar>();

/** The business calendar of these settings, built once per settings object (an admin's edit is a new one). */
export function calendarOf(settings: SlaSettings): Calendar {
  let calendar = calendars.get(settings);
  if (!calendar) {
    calendar = businessCalendar({ timezone: settings.timezone, businessHours: settings.businessHours, holidays: settings.holidays });
    calendars.set(settings, calendar);
  }
  return calendar;
}
