import type { ConversationStatus } from '../../domain/conversation.js';
import type { SlaClock, SlaState } from '../../domain/sla.js';
import { type Calendar, always } from './calendar.js';
import { type Metric, metrics, type Targets } from './policy.js';

/**
 * The SLA clocks of one conversation (issue 14): pure. `reconcile` takes the clocks as last
 * stored, the conversation's facts now and its policy's targets, and returns the clocks now and
 * what happened (a target breached, 90 % of one used). It is a function of its inputs, so running
 * it twice — a redelivered event, two workers, a timer job after a crash — changes nothing twice.
 *
 * - first response: from the conversation's start until an agent's first reply;
 * - next response: from each customer message that waits for us (after the first reply) until
 *   the next reply — each wait is a new cycle;
 * - resolution: from the start until resolved; reopening continues the count.
 *
 * Clocks run only while the conversation is open: pending (on the customer), snoozed or resolved
 * pauses them, keeping the business time already used. Targets are business time unless the
 * policy says `always`; a policy change (priority, labels) keeps the time used and moves the due
 * time to the new target.
 */

export type Clock = SlaClock;
export type { SlaState };

/** The conversation facts the clocks follow. */
export interface ClockFacts {
  readonly status: ConversationStatus;
  readonly createdAt: string;
  readonly firstResponseAt: string | null;
  /** Since when the customer waits for an answer (null: answered). */
  readonly waitingSince: string | null;
}

export type ClockEvent = { readonly type: 'breached' | 'warned'; readonly metric: Metric; readonly at: string };

export const WARN_AT = 0.9;

const ms = (iso: string): number => Date.parse(iso);
const iso = (t: number | Date): string => new Date(t).toISOString();

/** Where each metric's clock starts now, or undefined when it does not apply. */
function startOf(metric: Metric, facts: ClockFacts): string | undefined {
  switch (metric) {
    case 'firstResponse':
      return facts.createdAt;
    case 'nextResponse':
      return facts.firstResponseAt !== null && facts.waitingSince !== null && ms(facts.waitingSince) >= ms(facts.firstResponseAt) ? facts.waitingSince : undefined;
    case 'resolution':
      return facts.createdAt;
  }
}

/** When the metric's clock is met (it stops for good), if it is. */
function metAt(metric: Metric, facts: ClockFacts): string | undefined {
  return metric === 'firstResponse' && facts.firstResponseAt !== null ? facts.firstResponseAt : undefined;
}

export function reconcile(previous: SlaState | null, facts: ClockFacts, targets: Targets | undefined, calendar: Calendar, now: Date): { state: SlaState | null; events: ClockEvent[] } {
  if (!targets && !previous) return { state: null, events: [] };
  const hours = (targets?.always ?? previous?.always) ? always : calendar;
  const events: ClockEvent[] = [];
  const breaches = [...(previous?.breaches ?? [])];
  const clocks: Partial<Record<Metric, Clock>> = {};
  const open = facts.status === 'open';
  const t = now.getTime();

  for (const metric of metrics) {
    const target = targets?.ms[metric];
    const before = previous?.clocks[metric];
    const start = startOf(metric, facts);
    if (target === undefined) continue; // the policy has no such target (any more)
    if (start === undefined) {
      // Not waiting (next response answered): the cycle is over; a finished first response stays.
      if (before?.stoppedAt) clocks[metric] = before;
      continue;
    }
    // A new cycle (a later customer message after an answer) starts from nothing.
    let clock: Clock =
      before && before.startedAt === start
        ? { ...before, targetMs: target }
        : { startedAt: start, targetMs: target, usedMs: 0, runningSince: start, dueAt: null, warnAt: null, warnedAt: null, breachedAt: null, stoppedAt: null };
    if (clock.stoppedAt) {
      clocks[metric] = clock;
      continue;
    }

    const met = metAt(metric, facts);
    // Resuming: it runs from now, and a target already used up is breached now.
    if (clock.runningSince === null && open && met === undefined) clock = { ...clock, runningSince: iso(now) };
    const stopAt = met !== undefined ? ms(met) : t;
    // Time used up to `stopAt`, and the due and warning instants the running span gives.
    const used = clock.runningSince !== null ? clock.usedMs + hours.between(new Date(ms(clock.runningSince)), new Date(Math.max(stopAt, ms(clock.runningSince)))) : clock.usedMs;
    const dueFrom = (since: string) => hours.add(new Date(ms(since)), target - clock.usedMs).getTime();
    const warnFrom = (since: string) => hours.add(new Date(ms(since)), target * WARN_AT - clock.usedMs).getTime();

    // Warned and breached: what the span that ran until now (or until met) passed through. A timer
    // that comes late (timers are per second; a worker restarted) reports both, in order; an answer
    // that came after the due time only breached.
    const ran = clock.runningSince;
    if (ran !== null) {
      const metLate = met !== undefined && used >= target;
      if (!clock.warnedAt && !clock.breachedAt && !metLate && used >= target * WARN_AT) {
        const warn = clock.usedMs < target * WARN_AT ? warnFrom(ran) : ms(ran);
        if (warn <= stopAt) {
          clock = { ...clock, warnedAt: iso(warn) };
          events.push({ type: 'warned', metric, at: iso(warn) });
        }
      }
      const due = clock.usedMs < target ? dueFrom(ran) : ms(ran);
      if (!clock.breachedAt && used >= target && due <= stopAt) {
        clock = { ...clock, breachedAt: iso(due) };
        breaches.push({ metric, at: iso(due) });
        events.push({ type: 'breached', metric, at: iso(due) });
      }
    }

    if (met !== undefined) {
      clock = { ...clock, usedMs: used, runningSince: null, dueAt: null, warnAt: null, stoppedAt: met };
    } else if (!open) {
      clock = clock.runningSince !== null ? { ...clock, usedMs: used, runningSince: null, dueAt: null, warnAt: null } : { ...clock, dueAt: null, warnAt: null };
    } else {
      const since = clock.runningSince!;
      clock = {
        ...clock,
        runningSince: since,
        dueAt: iso(clock.usedMs < target ? dueFrom(since) : ms(since)),
        warnAt: clock.warnedAt || clock.breachedAt || clock.usedMs >= target * WARN_AT ? null : iso(warnFrom(since)),
      };
    }
    clocks[metric] = clock;
  }

  if (!targets) return { state: { ...previous!, clocks: finishedOnly(previous!.clocks) }, events };
  return { state: { policy: targets.policy, always: targets.always, clocks, breaches }, events };
}

/** Clocks kept when no policy applies any more: those already met, to show. */
function finishedOnly(clocks: SlaState['clocks']): SlaState['clocks'] {
  return Object.fromEntries(Object.entries(clocks).filter(([, c]) => c.stoppedAt !== null));
}

/** The next instant a timer must look at this conversation (a warning or a due time), if any. */
export function nextWakeUp(state: SlaState | null): Date | undefined {
  return earliestWake(Object.values(state?.clocks ?? {}));
}

/** The same from clocks as the conversation shows them (`ConversationSla.clocks`), which carry these three times. */
export function earliestWake(clocks: Iterable<{ readonly warnAt: string | null; readonly breachedAt: string | null; readonly dueAt: string | null }>): Date | undefined {
  let next: number | undefined;
  for (const clock of clocks) {
    for (const at of [clock.warnAt, clock.breachedAt ? null : clock.dueAt]) {
      if (at !== null && (next === undefined || ms(at) < next)) next = ms(at);
    }
  }
  return next === undefined ? undefined : new Date(next);
}

/** The earliest due time of a running clock (breached or not): what "sort by due" orders by. */
export function nextDue(state: SlaState | null): Date | null {
  const due = Object.values(state?.clocks ?? {}).flatMap((c) => (c.dueAt !== null ? [ms(c.dueAt)] : []));
  return due.length > 0 ? new Date(Math.min(...due)) : null;
}

/** Since when a running (or paused) clock is past its target: the conversation is in breach now; null when none is. */
export function breachedSince(state: SlaState | null): Date | null {
  const since = Object.values(state?.clocks ?? {}).flatMap((c) => (c.stoppedAt === null && c.breachedAt !== null ? [Date.parse(c.breachedAt)] : []));
  return since.length > 0 ? new Date(Math.min(...since)) : null;
}
