import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { adapterDefinitions } from '../adapters/index.js';
import { DeskConfigError, parseDeskSection } from '../src/desk/index.js';
import { ChannelId } from '../src/domain/channel.js';
import { ConfigError } from './errors.js';

export type ChannelConfig = { id: string; kind: string; name?: string } & Record<string, unknown>;

const entryHead = z.object({ id: ChannelId, kind: z.string() });

/** With no channels file the gateway runs one web chat channel, so the demo works with no accounts. */
export const defaultChannels: ChannelConfig[] = [{ id: 'web', kind: 'webchat', name: 'Website chat' }];

export function loadChannelsFile(path: string, env: Readonly<Record<string, string | undefined>>): ChannelConfig[] {
  return parseChannels(readChannelsDocument(path), env, path);
}

/** The channels file parsed as YAML or JSON, not yet validated. */
export function readChannelsDocument(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`CHANNELS_FILE ${path}: cannot be read (${(error as Error).message})`);
  }
  try {
    return path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(`CHANNELS_FILE ${path}: not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`);
  }
}

/**
 * The optional top-level `desk:` section (DESIGN §10), with `${VAR}` replaced; each desk feature
 * validates its own keys. Absent → every feature's defaults.
 */
export function parseDesk(document: unknown, env: Readonly<Record<string, string | undefined>>, source = 'channels'): Record<string, unknown> {
  const section = document && typeof document === 'object' && 'desk' in document ? (document as { desk: unknown }).desk : undefined;
  try {
    return parseDeskSection(interpolate(section ?? {}, env, `${source}: desk`));
  } catch (error) {
    if (error instanceof DeskConfigError) throw new ConfigError(`${source}: ${error.message}`);
    throw error;
  }
}

/** Validates a parsed channels document; errors name the channel and the field. */
export function parseChannels(document: unknown, env: Readonly<Record<string, string | undefined>>, source = 'channels'): ChannelConfig[] {
  const root = z.object({ channels: z.array(z.unknown()) }).safeParse(document);
  if (!root.success) throw new ConfigError(`${source}: expected a top-level "channels:" list`);
  const seen = new Set<string>();
  return root.data.channels.map((raw, index) => {
    const where = `${source}: channels[${index}]`;
    const entry = interpolate(raw, env, where);
    const head = entryHead.safeParse(entry);
    if (!head.success) throw new ConfigError(`${where}: ${formatIssues(head.error, entry)}`);
    const { id, kind } = head.data;
    const label = `${source}: channel "${id}" (${kind})`;
    if (seen.has(id)) throw new ConfigError(`${label}: id "${id}" is used twice`);
    seen.add(id);
    const definition = adapterDefinitions.find((d) => d.kind === kind);
    if (!definition) {
      const known = adapterDefinitions.map((d) => d.kind).join(', ');
      throw new ConfigError(`${label}: unknown kind "${kind}" (known: ${known})`);
    }
    const parsed = definition.configSchema.safeParse(entry);
    if (!parsed.success) throw new ConfigError(`${label}: ${formatIssues(parsed.error, entry)}`);
    return parsed.data as ChannelConfig;
  });
}

const placeholder = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces `${VAR}` / `${VAR:-default}` in string values (after parsing, so a value cannot inject
 * YAML). A value that is only a placeholder for an unset variable becomes absent, so optional
 * fields such as WeChat's `encodingAESKey` can be switched off from the environment.
 */
function interpolate(value: unknown, env: Readonly<Record<string, string | undefined>>, where: string): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}$/.exec(value);
    if (whole) {
      const found = env[whole[1]!];
      if (found !== undefined && found !== '') return found;
      return whole[2] ?? undefined;
    }
    return value.replace(placeholder, (_match, name: string, fallback: string | undefined) => {
      const found = env[name];
      if (found !== undefined && found !== '') return found;
      if (fallback !== undefined) return fallback;
      throw new ConfigError(`${where}: environment variable ${name} is not set`);
    });
  }
  if (Array.isArray(value)) return value.map((item) => interpolate(item, env, where));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      const replaced = interpolate(item, env, where);
      if (replaced !== undefined) out[key] = replaced;
    }
    return out;
  }
  return value;
}

function formatIssues(error: z.ZodError, entry?: unknown): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const field = issue.path.join('.') || '(entry)';
      const hint = entry !== undefined && issue.code === 'invalid_type' && getPath(entry, issue.path) === undefined ? 'required' : issue.message;
      return `field "${field}": ${hint}`;
    })
    .join('; ');
}

function getPath(value: unknown, path: PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
