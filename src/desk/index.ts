import { z } from 'zod';
import { InboxError } from '../inbox/errors.js';
import type { DeskHooks } from '../inbox/deps.js';
import type { EventConsumer } from '../inbox/dispatcher.js';
import type { InboundFilters } from '../queue/sink.js';
import { autoAck } from './auto-ack/index.js';
import type { DeskContext, DeskFeature, DeskRuntime } from './feature.js';

/**
 * THE list of desk features (DESIGN §10), like `adapters/index.ts` for channels. A feature is a
 * folder `src/desk/<name>/` — its settings slice of `desk:`, pure rules, store, jobs, routes —
 * and one line here. Order matters where features meet: inbound filters run top to bottom.
 */
export const deskFeatures: readonly DeskFeature[] = [autoAck];

/** Every key of `desk:` a feature owns, for errors that name an unknown one. */
const knownKeys = (): string[] => deskFeatures.flatMap((f) => Object.keys(f.settings.shape));

/**
 * Validates the channels file's `desk:` section: each feature parses its own keys (defaults
 * filled in); an unknown key is an error, so a typo does not silently turn a feature off.
 */
export function parseDeskSection(section: unknown): Record<string, unknown> {
  const record = z.record(z.string(), z.unknown()).safeParse(section ?? {});
  if (!record.success) throw new DeskConfigError('desk: expected a mapping of settings');
  const known = new Set(knownKeys());
  const unknown = Object.keys(record.data).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new DeskConfigError(`desk: unknown setting "${unknown[0]}" (known: ${[...known].join(', ')})`);
  const parsed: Record<string, unknown> = {};
  for (const feature of deskFeatures) {
    const slice = Object.fromEntries(Object.keys(feature.settings.shape).flatMap((key) => (key in record.data ? [[key, record.data[key]]] : [])));
    const result = feature.settings.safeParse(slice);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      throw new DeskConfigError(`desk: field "${issue.path.join('.')}": ${issue.message}`);
    }
    Object.assign(parsed, result.data);
  }
  return parsed;
}

export class DeskConfigError extends Error {
  override readonly name = 'DeskConfigError';
}

export interface Desk {
  /** What the inbox's use cases and the sink call. */
  readonly hooks: DeskHooks;
  /** The desk's share of dispatched events. */
  readonly consumer: EventConsumer;
}

/** Builds every feature from its settings (the parsed `desk:` section). */
export function createDesk(settings: Record<string, unknown>, context: DeskContext): Desk {
  const runtimes: { name: string; runtime: DeskRuntime }[] = deskFeatures.map((feature) => ({
    name: feature.name,
    runtime: feature.create(feature.settings.parse(pick(settings, Object.keys(feature.settings.shape))), context),
  }));
  const filters: InboundFilters = {
    message: (message) => runtimes.reduce((m, { runtime }) => (runtime.inbound ? runtime.inbound(m) : m), message),
    file: (file) => runtimes.reduce((bytes, { runtime }) => (runtime.file ? runtime.file({ ...file, bytes }) : bytes), file.bytes),
  };
  return {
    hooks: {
      filters,
      async guardReply(draft) {
        for (const { runtime } of runtimes) {
          const refusal = await runtime.guardReply?.(draft);
          if (refusal) throw new InboxError(422, refusal.code, refusal.message);
        }
      },
    },
    consumer: {
      name: 'desk',
      async consume(batches, view) {
        const failures: unknown[] = [];
        // Each feature on its own: one failing must not keep the others from their events.
        for (const { name, runtime } of runtimes) {
          if (!runtime.onEvents) continue;
          await runtime.onEvents(batches, view).catch((error: unknown) => {
            context.logger.warn({ err: error, feature: name }, 'desk feature failed on events');
            failures.push(error);
          });
        }
        if (failures.length > 0) throw failures[0];
      },
    },
  };
}

const pick = (record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(keys.flatMap((key) => (key in record ? [[key, record[key]]] : [])));
