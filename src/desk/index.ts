import { z } from 'zod';
import { ApiError } from '../api/errors.js';
import type { Implementation } from '../api/handler.js';
import type { Contract } from '../api/route.js';
import type { DeskHooks } from '../inbox/deps.js';
import type { EventConsumer } from '../inbox/dispatcher.js';
import { InboxError } from '../inbox/errors.js';
import type { FilteredFile, InboundFilters } from '../queue/sink.js';
import { clearSettings, editedSettings, saveSettings } from '../store/desk-settings.js';
import { deskRoutes } from './api.js';
import { maskSecrets, resolveStoredSecrets, SecretMaskError, storedForm, unmaskEdit } from './secrets.js';
import { autoAck } from './auto-ack/index.js';
import { canned } from './canned/index.js';
import { agentBots } from './agent-bots/index.js';
import { bot } from './bot/index.js';
import { csat } from './csat/index.js';
import { customers } from './customers/index.js';
import { drafts } from './drafts/index.js';
import { identity } from './identity/index.js';
import { kb } from './kb/index.js';
import { createLibrary } from './kb/library.js';
import { safety } from './safety/index.js';
import { serviceLevels } from './sla/index.js';
import { teams } from './teams/index.js';
import { transcripts } from './transcripts/index.js';
import { audit } from './audit/index.js';
import { records } from './records/index.js';
import { webhooks } from './webhooks/index.js';
import { automation } from './automation/index.js';
import { recordAudit } from '../store/audit.js';
import type { DispatchedEvent } from '../domain/events.js';
import type { InitialHandler, NewConversationFacts } from '../store/conversation-touch.js';
import { createEventView } from '../inbox/event-view.js';
import type { DeskEventsJob, DeskTimerJob } from '../queue/jobs.js';
import type { DeskContext, DeskFeature, DeskRuntime, DeskTimers, MountableApi } from './feature.js';

/**
 * THE list of desk features (DESIGN §10), like `adapters/index.ts` for channels. A feature is a
 * folder `src/desk/<name>/` — its settings slice of `desk:`, pure rules, store, jobs, routes —
 * and one line here. Order matters where features meet: inbound filters run top to bottom.
 */
export const deskFeatures: readonly DeskFeature[] = [safety, serviceLevels, teams, autoAck, csat, kb, agentBots, bot, drafts, canned, customers, transcripts, audit, records, identity, webhooks, automation];

/** Every route the desk declares (its settings, each feature's own), for the OpenAPI document. */
export const deskContracts: readonly Contract[] = [deskRoutes, ...deskFeatures.flatMap((f) => (f.contract ? [f.contract] : []))];

export class DeskConfigError extends Error {
  override readonly name = 'DeskConfigError';
}

const keysOf = (feature: DeskFeature): string[] => Object.keys(feature.settings.shape);

const pick = (record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(keys.flatMap((key) => (key in record ? [[key, record[key]]] : [])));

/** A feature's settings, validated; the error names the field. */
function parseSlice(feature: DeskFeature, slice: Record<string, unknown>): Record<string, unknown> {
  const result = feature.settings.safeParse(slice);
  if (result.success) return result.data as Record<string, unknown>;
  const issue = result.error.issues[0]!;
  throw new DeskConfigError(`field "${issue.path.join('.') || keysOf(feature)[0]}": ${issue.message}`);
}

/**
 * Validates the channels file's `desk:` section: each feature parses its own keys (defaults
 * filled in); an unknown key is an error, so a typo does not silently turn a feature off.
 */
export function parseDeskSection(section: unknown): Record<string, unknown> {
  const record = z.record(z.string(), z.unknown()).safeParse(section ?? {});
  if (!record.success) throw new DeskConfigError('desk: expected a mapping of settings');
  const known = new Set(deskFeatures.flatMap(keysOf));
  const unknown = Object.keys(record.data).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new DeskConfigError(`desk: unknown setting "${unknown[0]}" (known: ${[...known].join(', ')})`);
  const parsed: Record<string, unknown> = {};
  for (const feature of deskFeatures) {
    try {
      Object.assign(parsed, parseSlice(feature, pick(record.data, keysOf(feature))));
    } catch (error) {
      throw new DeskConfigError(`desk: ${(error as Error).message}`);
    }
  }
  return parsed;
}

export interface Desk {
  /** What the inbox's use cases and the sink call. */
  readonly hooks: DeskHooks;
  /** The desk's share of dispatched events: queued for the desk-events worker. */
  readonly consumer: EventConsumer;
  /** The settings routes and every feature's own. */
  readonly api: readonly MountableApi[];
  /** Runs every feature's reactions to one batch of events (the desk-events worker calls it). */
  runEvents(job: DeskEventsJob): Promise<void>;
  /** Runs a feature's due timer (the desk-timers worker calls it). */
  runTimer(job: DeskTimerJob): Promise<void>;
  /** A feature's settings as they apply now (the records worker reads `retention`). */
  settingsOf<S extends z.ZodObject>(feature: DeskFeature<S>): z.infer<S>;
  /** Loads admins' edits and keeps them current (every few seconds, and at once after an edit here). */
  start(): Promise<void>;
  stop(): void;
}

/**
 * What some feature reacts to: changes of a conversation, and messages from a customer or an
 * agent. Batches of only other events — delivery updates, the desk's own messages and system
 * lines, an update of nothing but the SLA clocks — skip the queue (every reply's `sent` and every
 * clock write would otherwise be a desk job that finds nothing to do).
 */
const DESK_EVENT_TYPES: ReadonlySet<string> = new Set(['conversation.created', 'conversation.updated', 'conversation.escalated', 'conversation.sla_breached', 'message.redacted', 'csat.received']);
const concernsDesk = (event: DispatchedEvent): boolean =>
  (DESK_EVENT_TYPES.has(event.type) && !(event.type === 'conversation.updated' && event.only === 'sla')) ||
  (event.type === 'message.created' && (event.author === 'contact' || event.author === 'agent'));

/** How often a process picks up settings an admin changed through another process. */
const REFRESH_MS = 5_000;

/** Builds every feature; `fileSettings` is the parsed `desk:` section (the defaults). */
export function createDesk(fileSettings: Record<string, unknown>, context: DeskContext): Desk {
  const current = new Map<string, { settings: Record<string, unknown>; edited: { at: string; by: string | null } | null }>();
  const fromFile = (feature: DeskFeature) => ({ settings: parseSlice(feature, pick(fileSettings, keysOf(feature))), edited: null });
  for (const feature of deskFeatures) current.set(feature.name, fromFile(feature));

  const refresh = async (): Promise<void> => {
    const edits = new Map((await editedSettings(context.inbox().db)).map((e) => [e.feature, e]));
    for (const feature of deskFeatures) {
      const edit = edits.get(feature.name);
      if (!edit) {
        current.set(feature.name, fromFile(feature));
        continue;
      }
      try {
        const stored = typeof edit.value === 'object' && edit.value !== null ? (edit.value as Record<string, unknown>) : {};
        const value = resolveStoredSecrets(stored, feature.secrets ?? [], fromFile(feature).settings);
        current.set(feature.name, { settings: parseSlice(feature, value), edited: { at: edit.updatedAt.toISOString(), by: edit.updatedBy } });
      } catch (error) {
        // Saved by an older version whose settings no longer parse: the file's values apply.
        context.logger.error({ err: error, feature: feature.name }, 'stored desk settings no longer valid; using the channels file');
        current.set(feature.name, fromFile(feature));
      }
    }
  };

  const timersOf = (feature: string): DeskTimers => {
    const job = (key: string, at: Date, data: Record<string, unknown>) => ({
      name: feature,
      data: { feature, key, data },
      opts: { jobId: `${feature}.${key}.${at.getTime()}`, delay: Math.max(0, at.getTime() - Date.now()) },
    });
    return {
      async schedule(key, at, data) {
        const { name, data: payload, opts } = job(key, at, data);
        await context.inbox().queues.deskTimers.add(name, payload, opts);
      },
      async scheduleAll(timers) {
        if (timers.length > 0) await context.inbox().queues.deskTimers.addBulk(timers.map((t) => job(t.key, t.at, t.data)));
      },
    };
  };
  const library = createLibrary({ db: () => context.inbox().db, publicUrl: context.publicUrl, logger: context.logger });
  const runtimes: { name: string; runtime: DeskRuntime }[] = deskFeatures.map((feature) => ({
    name: feature.name,
    runtime: feature.create(
      {
        ...context,
        timers: timersOf(feature.name),
        settingsOf: (other) => current.get(other.name)!.settings as never,
        library,
      },
      () => current.get(feature.name)!.settings,
    ),
  }));

  const concerning = runtimes.flatMap(({ runtime }) => (runtime.concerns ? [runtime] : []));
  const sla = runtimes.find(({ runtime }) => runtime.initialSla);
  const handlers = runtimes.flatMap(({ runtime }) => (runtime.initialHandler ? [runtime.initialHandler.bind(runtime)] : []));
  const initialHandler = (facts: NewConversationFacts): InitialHandler => {
    for (const decide of handlers) {
      const handler = decide(facts);
      if (handler !== 'agent') return handler;
    }
    return 'agent';
  };
  const filters: InboundFilters = {
    message: (message) => runtimes.reduce((m, { runtime }) => (runtime.inbound ? runtime.inbound(m) : m), message),
    file: (file) =>
      runtimes.reduce<FilteredFile>(
        (current, { runtime }) => {
          if (!runtime.file) return current;
          const next = runtime.file({ ...file, bytes: current.bytes });
          return { bytes: next.bytes, redactions: [...current.redactions, ...next.redactions] };
        },
        { bytes: file.bytes, redactions: [] },
      ),
  };

  // Secrets (an API key) never leave through the settings API, to admins neither.
  const itemOf = (name: string) => {
    const { settings, edited } = current.get(name)!;
    return { feature: name, settings: maskSecrets(settings, deskFeatures.find((f) => f.name === name)?.secrets ?? []), edited };
  };
  const featureNamed = (name: string): DeskFeature => {
    const feature = deskFeatures.find((f) => f.name === name);
    if (!feature) throw new ApiError(404, 'not_found', `no desk feature "${name}" (known: ${deskFeatures.map((f) => f.name).join(', ')})`);
    return feature;
  };
  const settingsApi: Implementation<typeof deskRoutes> = {
    contract: deskRoutes,
    json: { limit: '256kb', beforeAuth: true },
    handlers: {
      listDeskSettings: () => ({ items: deskFeatures.map((f) => itemOf(f.name)) }),
      async updateDeskSettings({ params, body, agent }) {
        const feature = featureNamed(params.feature);
        let settings: Record<string, unknown>;
        let secretsFromFile: string[];
        try {
          const edit = unmaskEdit(body, feature.secrets ?? [], current.get(feature.name)!.settings, fromFile(feature).settings);
          secretsFromFile = edit.fromFile;
          settings = parseSlice(feature, edit.apply);
        } catch (error) {
          if (error instanceof SecretMaskError) throw new ApiError(400, 'validation', error.message);
          throw new ApiError(400, 'validation', (error as Error).message.replace(/^field "([^"]*)": /, '$1: '));
        }
        await saveSettings(context.inbox().db, feature.name, storedForm(settings, secretsFromFile), agent.name);
        // Which keys changed, never their values (a secret or a customer-facing text may be among them).
        await recordAudit(context.inbox().db, { actor: { type: 'agent', id: agent.id, name: agent.name }, action: 'desk.settings', target: { type: 'desk-feature', id: feature.name }, details: { keys: Object.keys(body).sort() } });
        await refresh();
        return itemOf(feature.name);
      },
      async resetDeskSettings({ params, agent }) {
        const feature = featureNamed(params.feature);
        await clearSettings(context.inbox().db, feature.name);
        await recordAudit(context.inbox().db, { actor: { type: 'agent', id: agent.id, name: agent.name }, action: 'desk.settings.reset', target: { type: 'desk-feature', id: feature.name } });
        await refresh();
        return itemOf(feature.name);
      },
    },
  };

  let timer: NodeJS.Timeout | undefined;
  return {
    hooks: {
      filters,
      ...(sla?.runtime.initialSla ? { initialSla: sla.runtime.initialSla } : {}),
      ...(handlers.length > 0 ? { initialHandler } : {}),
      async guardReply(draft) {
        for (const { runtime } of runtimes) {
          const refusal = await runtime.guardReply?.(draft);
          if (refusal) throw new InboxError(422, refusal.code, refusal.message);
        }
      },
      async agentOnline(agentId) {
        for (const { name, runtime } of runtimes) {
          await runtime.onAgentOnline?.(agentId).catch((error: unknown) => context.logger.warn({ err: error, feature: name }, 'desk feature failed on an agent coming online'));
        }
      },
      async decorateReply(draft, firstReply) {
        if (draft.private) return draft.text;
        const decorating = runtimes.filter(({ runtime }) => runtime.replyFooter);
        if (decorating.length === 0) return draft.text;
        const first = await firstReply();
        const footers = decorating.flatMap(({ runtime }) => runtime.replyFooter!(draft, first) ?? []);
        return footers.length === 0 ? draft.text : `${draft.text}\n\n${footers.join('\n')}`;
      },
    },
    consumer: {
      name: 'desk',
      // Handed on, not run here: the desk's reactions must not hold up the ingest (or the reply)
      // that produced the events. Redis keeps them; the desk-events worker runs them.
      async consume(batches) {
        const wanted = batches.filter((b) => b.events.some((event) => concernsDesk(event) || concerning.some((runtime) => runtime.concerns!(event))));
        if (wanted.length === 0) return;
        await context.inbox().queues.deskEvents.addBulk(wanted.map((batch) => ({ name: 'events', data: { batch: { id: batch.id, events: [...batch.events] } }, opts: { jobId: `events.${batch.id}` } })));
      },
    },
    async runEvents(job) {
      const batches = [job.batch];
      const view = createEventView(context.inbox().db);
      await view.load(batches);
      const failures: unknown[] = [];
      // Each feature on its own: one failing must not keep the others from their events. The job
      // is retried then, and every feature sees the batch again (their reactions are idempotent).
      for (const { name, runtime } of runtimes) {
        if (!runtime.onEvents) continue;
        await runtime.onEvents(batches, view).catch((error: unknown) => {
          context.logger.warn({ err: error, feature: name }, 'desk feature failed on events');
          failures.push(error);
        });
      }
      if (failures.length > 0) throw failures[0];
    },
    async runTimer(job) {
      const entry = runtimes.find((r) => r.name === job.feature);
      // A timer of a feature this version no longer has: nothing to do.
      if (!entry?.runtime.onTimer) return;
      await entry.runtime.onTimer(job.key, job.data);
    },
    settingsOf: (feature) => current.get(feature.name)!.settings as never,
    api: [{ contract: deskRoutes, mount: (mounter) => mounter(settingsApi) }, ...runtimes.flatMap(({ runtime }) => (runtime.api ? [runtime.api] : []))],
    async start() {
      await refresh();
      for (const { runtime } of runtimes) await runtime.start?.();
      timer = setInterval(() => void refresh().catch((error: unknown) => context.logger.warn({ err: error }, 'could not refresh desk settings')), REFRESH_MS);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      for (const { runtime } of runtimes) runtime.stop?.();
    },
  };
}
