import type { z } from 'zod';
import type { ChannelKind } from '../domain/channel.js';
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

/** Types a kind's factory by its schema; the config is parsed again here, so no cast is needed. */
export function defineAdapter<Schema extends z.ZodType>(definition: {
  kind: ChannelKind;
  configSchema: Schema;
  create(config: z.infer<Schema>, context: AdapterContext): ChannelAdapter;
}): AdapterDefinition {
  return {
    kind: definition.kind,
    configSchema: definition.configSchema,
    create: (config, context) => definition.create(definition.configSchema.parse(config), context),
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
