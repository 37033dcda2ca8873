import { localeOf, type Lang, type Translate } from './i18n.js';
import type { Conversation } from './types.js';

/**
 * Service levels as the inbox shows them (issue 14): pure functions of a conversation's `sla`
 * (src/domain/sla.ts, `ConversationSla`) and the time now, so the badge, its colour and when it
 * next changes are tested without a browser.
 */

export type ConversationSla = NonNullable<Conversation['sla']>;
export type SlaClock = ConversationSla['clocks'][number];
export type SlaMetric = SlaClock['metric'];
export type SlaBadgeState = 'ok' | 'warning' | 'breached' | 'paused';
export type SlaClockState = SlaBadgeState | 'met';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Time left on a clock: until its due time while it runs (negative once past), else the business
 * time left when it stopped. A running clock's `leftMs` is as of when it last resumed, so the due
 * time is what counts.
 */
export function clockLeftMs(clock: SlaClock, now: number): number {
  return clock.state === 'running' && clock.dueAt !== null ? Date.parse(clock.dueAt) - now : clock.leftMs;
}

export function clockState(clock: SlaClock, now: number): SlaClockState {
  return clock.state === 'met' ? 'met' : pendingState(clock, now);
}

/**
 * Amber from the desk's own warning on (`conversation.sla_warning`): from `warnAt`, when 90 % of the
 * target is used, or once it has warned (`warnedAt`; `warnAt` is then null). The server counts that
 * in business time; a share of the real time left before the due time disagrees with it whenever
 * closed hours lie in between (a 4-hour target nearly used up by Friday's close would stay green
 * all weekend and turn amber minutes before it is due on Monday).
 */
export function isWarned(clock: SlaClock, now: number): boolean {
  return clock.warnedAt !== null || (clock.warnAt !== null && now >= Date.parse(clock.warnAt));
}

/** The state of a clock not yet met. */
function pendingState(clock: SlaClock, now: number): SlaBadgeState {
  const left = clockLeftMs(clock, now);
  // The server records a breach when its timer fires; past the due time it is one already.
  if (clock.breachedAt !== null || left <= 0) return 'breached';
  if (clock.state === 'paused' || clock.dueAt === null) return 'paused';
  return isWarned(clock, now) ? 'warning' : 'ok';
}

export interface SlaBadge {
  readonly clock: SlaClock;
  readonly metric: SlaMetric;
  readonly state: SlaBadgeState;
  readonly leftMs: number;
  /** Whether the clock is paused (a paused clock past its target is `breached` and paused). */
  readonly paused: boolean;
}

/**
 * The conversation's most urgent clock: the running one due first (the most overdue, when several
 * are past due); with none running, the paused one with the least time left. Met clocks are done.
 */
export function slaBadge(sla: ConversationSla | null, now: number): SlaBadge | null {
  if (!sla) return null;
  const open = sla.clocks.filter((clock) => clock.state !== 'met');
  const running = open.filter((clock) => clock.state === 'running' && clock.dueAt !== null);
  const pool = running.length > 0 ? running : open;
  let chosen: SlaClock | undefined;
  for (const clock of pool) if (!chosen || clockLeftMs(clock, now) < clockLeftMs(chosen, now)) chosen = clock;
  return chosen ? clockBadge(chosen, now) : null;
}

/** One clock not yet met, as a badge. */
export function clockBadge(clock: SlaClock, now: number): SlaBadge {
  const running = clock.state === 'running' && clock.dueAt !== null;
  return { clock, metric: clock.metric, state: pendingState(clock, now), leftMs: clockLeftMs(clock, now), paused: !running };
}

/** The list's badge: none for a resolved conversation (nothing is due from the team any more). */
export function conversationBadge(conversation: Pick<Conversation, 'status' | 'sla'>, now: number): SlaBadge | null {
  return conversation.status === 'resolved' ? null : slaBadge(conversation.sla, now);
}

/**
 * In breach as the API's `sla=breached` filter means it (src/store/conversations.ts): not resolved,
 * and a clock not yet met carries a recorded breach.
 */
export function isBreached(conversation: Pick<Conversation, 'status' | 'sla'>): boolean {
  return conversation.status !== 'resolved' && (conversation.sla?.clocks.some((clock) => clock.state !== 'met' && clock.breachedAt !== null) ?? false);
}

/** The earliest due time of a running clock, in ms (what `sort=due` orders by); null without one. */
export function nextDueMs(sla: ConversationSla | null): number | null {
  let next: number | null = null;
  for (const clock of sla?.clocks ?? []) {
    if (clock.dueAt === null) continue;
    const due = Date.parse(clock.dueAt);
    if (next === null || due < next) next = due;
  }
  return next;
}

/**
 * `sort=due` as the API pages it (src/store/conversations.ts): the earliest running due time
 * first — overdue ones are the earliest — those without one last, then by id.
 */
export function compareByDue(a: Pick<Conversation, 'id' | 'sla'>, b: Pick<Conversation, 'id' | 'sla'>): number {
  const dueA = nextDueMs(a.sla);
  const dueB = nextDueMs(b.sla);
  if (dueA !== dueB) {
    if (dueA === null) return 1;
    if (dueB === null) return -1;
    return dueA - dueB;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export type DurationUnit = 'second' | 'minute' | 'hour' | 'day';
const unitMs: Record<DurationUnit, number> = { second: SECOND, minute: MINUTE, hour: HOUR, day: DAY };

/**
 * The largest whole unit of a duration, counted down (12 m 40 s → 12 minutes; overdue alike);
 * hours up to two days, where "1 day" would hide up to 23 hours.
 */
export function durationParts(ms: number): { unit: DurationUnit; n: number; overdue: boolean } {
  const abs = Math.abs(ms);
  const unit: DurationUnit = abs < MINUTE ? 'second' : abs < HOUR ? 'minute' : abs < 2 * DAY ? 'hour' : 'day';
  const n = Math.floor(abs / unitMs[unit]);
  return { unit, n, overdue: ms < 0 && n > 0 };
}

/** Badge text: "45s", "12m", "3h", "2d", and "−5m" once overdue (in Chinese "12分" …). */
export function formatSlaShort(ms: number, t: Translate): string {
  const { unit, n, overdue } = durationParts(ms);
  const text = t(`sla.short.${unit}`, { n });
  return overdue ? `\u2212${text}` : text;
}

/** For titles and screen readers: "12 minutes", "1 hour", "12分钟" — the locale's own plural rules. */
export function formatSlaLong(ms: number, lang: Lang): string {
  const { unit, n } = durationParts(ms);
  return new Intl.NumberFormat(localeOf(lang), { style: 'unit', unit, unitDisplay: 'long' }).format(n);
}

/** "First response due in 12 minutes", "… overdue by 5 minutes", "… paused, 3 hours left". */
export function slaBadgeLabel(badge: SlaBadge, t: Translate, lang: Lang): string {
  const metric = t(`sla.clock.${badge.metric}`);
  const time = formatSlaLong(badge.leftMs, lang);
  if (badge.paused) return badge.state === 'breached' ? t('sla.label.pausedOverdue', { metric, time }) : t('sla.label.paused', { metric, time });
  return badge.state === 'breached' ? t('sla.label.overdue', { metric, time }) : t('sla.label.dueIn', { metric, time });
}

/**
 * How long until what these clocks show changes — the countdown's text (its whole unit) or its
 * colour (the warning instant, the due time) — so one timer can wake exactly then. Paused and met
 * clocks never change by themselves: Infinity.
 */
export function msUntilChange(clocks: readonly SlaClock[], now: number): number {
  let next = Infinity;
  for (const clock of clocks) {
    if (clock.state !== 'running' || clock.dueAt === null) continue;
    const left = Date.parse(clock.dueAt) - now;
    const unit = unitMs[durationParts(left).unit];
    if (left > 0) {
      // Counting down: the text changes once `left` drops below its current whole unit, the
      // colour at the warning instant and when no time is left.
      next = Math.min(next, (left % unit) + 1, left);
      if (!isWarned(clock, now) && clock.warnAt !== null) next = Math.min(next, Date.parse(clock.warnAt) - now);
    } else {
      // Overdue: the text changes when the time past due reaches the next whole unit.
      next = Math.min(next, unit - (-left % unit));
    }
  }
  return next;
}
