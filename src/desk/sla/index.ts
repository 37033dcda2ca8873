import { isDeepStrictEqual } from 'node:util';
import type { ChannelKind } from '../../domain/channel.js';
import type { DomainEvent } from '../../domain/events.js';
import type { SlaState } from '../../domain/sla.js';
import { saveSla, saveSlaMany, type SlaChange, type SlaRow, slaRows, slaWakeDue } from '../../store/sla.js';
import type { NoteInput } from '../../store/system-notes.js';
import { defineDeskFeature } from '../feature.js';
import { breachedSince, type ClockEvent, earliestWake, nextDue, nextWakeUp, reconcile } from './clock.js';
import { calendarOf, SlaSettings, targetsFor } from './policy.js';

/** Events that can move a conversation's clocks: its status, priority, labels, a message in or out. */
const moves = (event: DomainEvent): boolean =>
  event.type === 'conversation.created' ||
  event.type === 'conversation.updated' ||
  event.type === 'conversation.escalated' ||
  (event.type === 'message.created' && (event.author === 'contact' || event.author === 'agent'));

const metricNames = { firstResponse: 'first response', nextResponse: 'next response', resolution: 'resolution' } as const;

/**
 * Timers are per second, not per conversation: one BullMQ delayed job at the end of each second
 * in which some conversation's clocks need looking at (job id `sla.due.<ms>`), however many
 * conversations share it — a burst of new conversations costs a few timers, not one each.
 */
const BUCKET_MS = 1_000;
const bucketsOf = (wakes: readonly Date[]): { key: string; at: Date; data: Record<string, unknown> }[] =>
  [...new Set(wakes.map((w) => Math.ceil(w.getTime() / BUCKET_MS) * BUCKET_MS))].map((ms) => ({ key: 'due', at: new Date(ms), data: { at: ms } }));
const PAGE = 200;
const MAX_PAGES = 50;

/** A concurrent writer moved the clocks first: read again and decide again, a few times. */
const ATTEMPTS = 4;

/**
 * Service levels (issue 14, DESIGN §10): each conversation's first-response, next-response and
 * resolution clocks, kept on the conversation (`sla`), moved by its events and woken by BullMQ
 * delayed jobs at its next warning or due time. A breach is recorded once — a system line, a
 * `conversation.sla_breached` event — however many workers and redeliveries see it.
 */
export const serviceLevels = defineDeskFeature({
  name: 'sla',
  settings: SlaSettings,
  create(context, settings) {
    const eventsOf = (conversationId: string, happened: readonly ClockEvent[], state: SlaState | null): { events: DomainEvent[]; notes: NoteInput[] } => {
      const events: DomainEvent[] = [];
      const notes: NoteInput[] = [];
      for (const e of happened) {
        if (e.type === 'breached') {
          events.push({ type: 'conversation.sla_breached', conversationId, metric: e.metric, at: e.at });
          const policy = state?.policy ?? '';
          notes.push({ note: { type: 'sla-breached', params: { by: 'desk.sla', metric: e.metric, policy } }, text: `The ${metricNames[e.metric]} target of the "${policy}" service level was missed` });
        } else {
          events.push({ type: 'conversation.sla_warning', conversationId, metric: e.metric, dueAt: state?.clocks[e.metric]?.dueAt ?? e.at });
        }
      }
      return { events, notes };
    };

    /** Brings one conversation's clocks up to `now`; the timer for what comes next is set before the write. */
    const settle = async (row: SlaRow, now: Date): Promise<void> => {
      const deps = context.inbox();
      let current: SlaRow | undefined = row;
      for (let attempt = 0; current && attempt < ATTEMPTS; attempt += 1) {
        const s = settings();
        const { state, events: happened } = reconcile(current.sla, current, targetsFor(s, current), calendarOf(s), now);
        if (isDeepStrictEqual(state, current.sla)) return;
        const wake = nextWakeUp(state);
        // Scheduled first: a crash after the write would otherwise leave clocks without a timer;
        // a timer whose write did not happen finds nothing to do.
        if (wake) await context.timers.scheduleAll(bucketsOf([wake]));
        const { events, notes } = eventsOf(current.id, happened, state);
        const batch = await saveSla(
          deps.db,
          {
            conversationId: current.id,
            channelId: current.channelId,
            previous: current.sla,
            next: state,
            dueAt: nextDue(state),
            breachedAt: breachedSince(state),
            wakeAt: wake ?? null,
            events,
            notes,
          },
          now,
        );
        if (batch !== 'conflict') {
          await deps.dispatcher.dispatch([batch]);
          return;
        }
        [current] = await slaRows(deps.db, [current.id]);
      }
    };

    /**
     * Many conversations at once (an ingest batch opens many): one timer round trip and one
     * conditional write for all; those another worker moved meanwhile are decided again alone.
     */
    const settleAll = async (ids: readonly string[], now: Date, created: ReadonlySet<string> = new Set()): Promise<void> => {
      const deps = context.inbox();
      const s = settings();
      const rows = await slaRows(deps.db, ids);
      const changes: SlaChange[] = [];
      const wakes: Date[] = [];
      for (const row of rows) {
        const { state, events: happened } = reconcile(row.sla, row, targetsFor(s, row), calendarOf(s), now);
        const wake = nextWakeUp(state);
        if (isDeepStrictEqual(state, row.sla)) {
          // Clocks written by the ingest that created the conversation: only their timer is due.
          if (wake && created.has(row.id)) wakes.push(wake);
          continue;
        }
        if (wake) wakes.push(wake);
        const { events, notes } = eventsOf(row.id, happened, state);
        changes.push({ conversationId: row.id, channelId: row.channelId, previous: row.sla, next: state, dueAt: nextDue(state), breachedAt: breachedSince(state), wakeAt: wake ?? null, events, notes });
      }
      // Scheduled first: a crash after the write would otherwise leave clocks without a timer;
      // a timer whose write did not happen finds nothing to do.
      await context.timers.scheduleAll(bucketsOf(wakes));
      if (changes.length === 0) return;
      const { batch, conflicts } = await saveSlaMany(deps.db, changes, now);
      await deps.dispatcher.dispatch([batch]);
      for (const row of await slaRows(deps.db, conflicts)) await settle(row, now);
    };

    return {
      initialSla(facts) {
        try {
          const s = settings();
          const subject = { channelId: facts.channelId, channelKind: facts.channelKind as ChannelKind, priority: facts.priority, labels: facts.labels };
          const targets = targetsFor(s, subject);
          if (!targets) return null;
          const clockFacts = { status: 'open' as const, createdAt: facts.createdAt.toISOString(), firstResponseAt: null, waitingSince: facts.waitingSince?.toISOString() ?? null };
          const { state } = reconcile(null, clockFacts, targets, calendarOf(s), facts.createdAt);
          return { state, dueAt: nextDue(state), breachedAt: breachedSince(state), wakeAt: nextWakeUp(state) ?? null };
        } catch (error) {
          // Never in the way of an ingest: the desk-events reaction computes them instead.
          context.logger.warn({ err: error }, 'could not compute the first SLA clocks at ingest');
          return null;
        }
      },
      async onEvents(batches, view) {
        const ids = new Set<string>();
        const created = new Set<string>();
        const movedLater = new Set<string>();
        for (const event of batches.flatMap((b) => b.events)) {
          if (moves(event)) ids.add(event.conversationId);
          if (event.type === 'conversation.created') created.add(event.conversationId);
          else if (moves(event) && !(event.type === 'message.created' && event.author === 'contact')) movedLater.add(event.conversationId);
        }
        // A conversation this ingest opened, moved by nothing but its own first messages, has the
        // clocks the ingest wrote (`initialSla`, from the same facts): only their timer is due,
        // from the conversation as dispatched — no read and no reckoning per new conversation.
        const wakes: Date[] = [];
        for (const id of created) {
          const clocks = movedLater.has(id) ? undefined : view.conversation(id)?.sla?.clocks;
          if (!clocks) continue;
          ids.delete(id);
          const wake = earliestWake(clocks);
          if (wake) wakes.push(wake);
        }
        await context.timers.scheduleAll(bucketsOf(wakes));
        if (ids.size > 0) await settleAll([...ids], new Date(), created);
      },
      async onTimer(_key, data) {
        // The timer stands for its second: a worker whose clock is a little behind Redis's must
        // not find "not yet" and drop it. Every conversation whose wake time has come is settled
        // (also any a lost timer left behind), a page at a time.
        const at = new Date(Math.max(Date.now(), typeof data.at === 'number' ? data.at : 0));
        for (let page = 0; page < MAX_PAGES; page += 1) {
          const due = await slaWakeDue(context.inbox().db, at, PAGE);
          if (due.length === 0) return;
          await settleAll(due, at);
          if (due.length < PAGE) return;
        }
      },
    };
  },
});
