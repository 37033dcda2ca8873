import type { z } from 'zod';
import type { ChannelKind, ChannelStatus } from '../domain/channel.js';
import type { BaseChannelConfig } from './base-config.js';
import type { AdapterContext, ChannelAdapter } from './contract.js';
import type { ChannelApi } from './routes.js';

/**
 * How a channel kind plugs in: its config schema (validated at start, DESIGN §6) and a factory.
 * `adapters/index.ts` lists one of these per kind; nothing else registers channels.
 */
export interface AdapterDefinition {
  readonly kind: ChannelKind;
  /** Accepts the common fields `id`, `kind`, `name` plus the kind's own. */
  readonly configSchema: z.ZodType;
  create(config: unknown, context: AdapterContext): ChannelAdapter;
}

/** What an adapter's health check found; `defineAdapter` adds the time it was checked. */
export interface Health {
  readonly status: Exclude<ChannelStatus['status'], 'unknown'>;
  /** Why it is not ok, or a warning while still ok (a rate-limited probe). */
  readonly error?: string | null;
}

/**
 * An adapter as its kind writes it: everything but `id`, `kind`, `name` and `verify`, which
 * `defineAdapter` supplies, and a `check()` in place of `verify()`.
 */
export type AdapterBody<Adapter extends ChannelAdapter = ChannelAdapter> = Omit<Adapter, 'id' | 'kind' | 'name' | 'verify'> & {
  /** Probes credentials / the connection. A throw is an `error` status with `describeError`'s reason. */
  check(): Promise<Health>;
  /** What a thrown check error tells an operator (default: its message); must never include a secret. */
  describeError?(error: unknown): string;
};

/** A kind's definition as written in `adapters/<kind>/index.ts`. */
export interface AdapterSpec<Schema extends z.ZodType<BaseChannelConfig>, Adapter extends ChannelAdapter> {
  readonly kind: Adapter['kind'];
  readonly configSchema: Schema;
  /** The channel's name when its config gives none (a mailbox: its address). */
  readonly defaultName: string | ((config: z.infer<Schema>) => string);
  create(config: z.infer<Schema>, context: AdapterContext): AdapterBody<Adapter>;
}

/**
 * Types a kind's factory by its schema (the config is parsed again here, so no cast is needed)
 * and does what every adapter did by hand: `id` and `name` from the config, `kind` from the
 * definition, and `verify()` as the contract wants it — stamped with the time, never throwing.
 */
export function defineAdapter<Schema extends z.ZodType<BaseChannelConfig>, Adapter extends ChannelAdapter = ChannelAdapter>(
  spec: AdapterSpec<Schema, Adapter>,
): AdapterDefinition & { create(config: unknown, context: AdapterContext): Adapter } {
  return {
    kind: spec.kind,
    configSchema: spec.configSchema,
    create(input, context) {
      const config = spec.configSchema.parse(input);
      const { check, describeError, ...body } = spec.create(config, context);
      const describe = describeError ?? ((error: unknown) => (error instanceof Error ? error.message : String(error)));
      async function verify(): Promise<ChannelStatus> {
        const checkedAt = new Date().toISOString();
        try {
          const health = await check();
          return { status: health.status, error: health.error ?? null, checkedAt };
        } catch (error) {
          return { status: 'error', error: describe(error), checkedAt };
        }
      }
      const name = config.name ?? (typeof spec.defaultName === 'string' ? spec.defaultName : spec.defaultName(config));
      // The body is the adapter minus exactly the four fields added here.
      return { ...body, id: config.id, kind: spec.kind, name, verify } as unknown as Adapter;
    },
  };
}

/**
 * One entry of the list in `adapters/index.ts`: the kind and its config schema at once (config
 * is validated at start), its code — and the platform SDK it pulls in — only when a channel of
 * that kind is configured. Every SDK loaded eagerly cost the gateway ~90 MB of memory it never used.
 */
export interface AdapterEntry {
  readonly kind: ChannelKind;
  readonly configSchema: z.ZodType;
  load(): Promise<AdapterDefinition>;
  /** HTTP routes of the kind's own (the web chat widget's customer side), mounted when a channel of the kind is configured. */
  readonly api?: ChannelApi;
}

export function lazyAdapter<K extends ChannelKind>(kind: K, configSchema: z.ZodType, load: () => Promise<AdapterDefinition>, api?: ChannelApi): AdapterEntry & { readonly kind: K } {
  return { kind, configSchema, load, ...(api ? { api } : {}) };
}
