import { ApiError } from './api.js';
import type { Translate } from './i18n.js';
import { channelKinds, priorities, type ChannelKind, type Priority } from './types.js';
import { errorText } from './util.js';

/**
 * The Desk settings page's service-level form as pure functions (src/desk/sla/policy.ts and
 * calendar.ts are the schema): settings → form, form → the PUT body, and which field an API
 * refusal (`<field path>: <why>`, src/http/errors.ts) belongs to.
 */

/** src/desk/sla/policy.ts DEFAULT_RESPONSE_TARGETS: what a kind promises when nothing is set (the inputs' placeholders). */
export const DEFAULT_RESPONSE_TARGETS: Readonly<Record<ChannelKind, string>> = {
  webchat: '5m',
  telegram: '15m',
  discord: '15m',
  x: '1h',
  wechat: '30m',
  email: '24h',
};

/** The order the form lists the kinds in (the defaults' order, fastest channels first). */
export const targetKinds: readonly ChannelKind[] = ['webchat', 'telegram', 'discord', 'x', 'wechat', 'email'];

export interface PolicyForm {
  name: string;
  priority: Priority[];
  /** Channel ids or kinds, comma separated as typed. */
  channel: string;
  labels: string;
  firstResponse: string;
  nextResponse: string;
  resolution: string;
  always: boolean;
}

export interface SlaForm {
  timezone: string;
  /** No business hours: every hour counts. */
  allDay: boolean;
  hours: { days: string; hours: string }[];
  holidays: string[];
  targets: Record<ChannelKind, string>;
  /** Entries for a channel id rather than a kind: not edited here, sent back as they were. */
  otherTargets: Record<string, string>;
  policies: PolicyForm[];
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');
/** A match entry is one value or a list (the schema's oneOrMany). */
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map(text).filter(Boolean) : text(value) ? [text(value)] : []);
const isKind = (value: string): value is ChannelKind => (channelKinds as readonly string[]).includes(value);
const isPriority = (value: string): value is Priority => (priorities as readonly string[]).includes(value);
const splitList = (value: string): string[] => value.split(/[,，\s]+/u).filter(Boolean);

export const emptyPolicy = (): PolicyForm => ({ name: '', priority: [], channel: '', labels: '', firstResponse: '', nextResponse: '', resolution: '', always: false });

export function formOfSla(settings: Record<string, unknown>): SlaForm {
  const hours = isRecord(settings.businessHours) ? Object.entries(settings.businessHours).map(([days, value]) => ({ days, hours: text(value) })) : [];
  const targets = Object.fromEntries(channelKinds.map((kind) => [kind, ''])) as Record<ChannelKind, string>;
  const otherTargets: Record<string, string> = {};
  if (isRecord(settings.responseTargets)) {
    for (const [key, value] of Object.entries(settings.responseTargets)) {
      if (isKind(key)) targets[key] = text(value);
      else otherTargets[key] = text(value);
    }
  }
  const policies = Array.isArray(settings.sla)
    ? settings.sla.filter(isRecord).map((p): PolicyForm => {
        const match = isRecord(p.match) ? p.match : {};
        return {
          name: text(p.name),
          priority: list(match.priority).filter(isPriority),
          channel: list(match.channel).join(', '),
          labels: list(match.labels).join(', '),
          firstResponse: text(p.firstResponse),
          nextResponse: text(p.nextResponse),
          resolution: text(p.resolution),
          always: p.always === true || p.always === 'true',
        };
      })
    : [];
  return {
    timezone: text(settings.timezone) || 'UTC',
    allDay: hours.length === 0,
    hours,
    holidays: Array.isArray(settings.holidays) ? settings.holidays.map(text) : [],
    targets,
    otherTargets,
    policies,
  };
}

/** Indices of the form's holidays that are sent (blank rows are left out), so `holidays.N` maps back. */
const sentHolidays = (form: SlaForm): number[] => form.holidays.flatMap((day, i) => (day.trim() ? [i] : []));

/** The PUT /api/desk/settings/sla body. Durations, zones and hours go as typed: the API checks them and names the field. */
export function slaBody(form: SlaForm): Record<string, unknown> {
  const body: Record<string, unknown> = { timezone: form.timezone.trim() };
  if (!form.allDay) {
    body.businessHours = Object.fromEntries(form.hours.filter((row) => row.days.trim() || row.hours.trim()).map((row) => [row.days.trim(), row.hours.trim()]));
  }
  body.holidays = sentHolidays(form).map((i) => form.holidays[i]!.trim());
  const targets: Record<string, string> = { ...form.otherTargets };
  for (const kind of channelKinds) if (form.targets[kind].trim()) targets[kind] = form.targets[kind].trim();
  body.responseTargets = targets;
  body.sla = form.policies.map((p) => {
    const match: Record<string, string[]> = {};
    if (p.priority.length) match.priority = [...p.priority];
    if (splitList(p.channel).length) match.channel = splitList(p.channel);
    if (splitList(p.labels).length) match.labels = splitList(p.labels);
    const policy: Record<string, unknown> = { name: p.name.trim(), match };
    if (p.firstResponse.trim()) policy.firstResponse = p.firstResponse.trim();
    if (p.nextResponse.trim()) policy.nextResponse = p.nextResponse.trim();
    if (p.resolution.trim()) policy.resolution = p.resolution.trim();
    policy.always = p.always;
    return policy;
  });
  return body;
}

/**
 * A field of the form, as the page's `data-field` names it: `timezone`, `businessHours.<row>`,
 * `holidays.<row>`, `responseTargets.<kind>`, `sla.<n>.<key>` (`name`, `match`, the targets).
 */
export type SlaField = string;

/** Where an API refusal belongs: the field its path names (mapped to the form's rows), or the top of the form only. */
export function slaErrorOf(error: unknown, form: SlaForm, t: Translate): { field: SlaField | null; text: string } {
  if (!(error instanceof ApiError) || error.status !== 400) return { field: null, text: errorText(error, t) };
  const message = error.message;
  const match = /^([^\s:]+): /u.exec(message);
  if (!match) return { field: null, text: message };
  const [head, second, third] = match[1]!.split('.');
  let field: SlaField | null = null;
  if (head === 'timezone') field = 'timezone';
  else if (head === 'businessHours') {
    const row = second === undefined ? -1 : form.hours.findIndex((r) => r.days.trim() === second);
    field = row >= 0 ? `businessHours.${row}` : 'businessHours';
  } else if (head === 'holidays' && second !== undefined) {
    const row = sentHolidays(form)[Number(second)];
    field = row === undefined ? 'holidays' : `holidays.${row}`;
  } else if (head === 'responseTargets' && second !== undefined && isKind(second)) field = `responseTargets.${second}`;
  else if (head === 'sla' && second !== undefined && /^\d+$/u.test(second)) {
    const key = third && ['name', 'firstResponse', 'nextResponse', 'resolution'].includes(third) ? third : third === 'match' ? 'match' : 'name';
    field = `sla.${second}.${key}`;
  }
  return { field, text: message };
}

/** The toggles' features: which key of `desk:` each owns. */
export const toggles = [
  { feature: 'auto-ack', key: 'autoAck' },
  { feature: 'teams', key: 'escalateOnBreach' },
] as const;

export function move<T>(items: readonly T[], from: number, to: number): T[] {
  if (to < 0 || to >= items.length) return [...items];
  const next = [...items];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item as T);
  return next;
}
