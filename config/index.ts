import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { type ChannelConfig, defaultChannels, parseChannels, parseDesk, readChannelsDocument } from './channels.js';
import { type EnvConfig, envSchema } from './env.js';
import { ConfigError } from './errors.js';

export { ConfigError } from './errors.js';
export type { ChannelConfig } from './channels.js';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly publicUrl: string;
  readonly databaseUrl: string | undefined;
  readonly redisUrl: string | undefined;
  readonly dataDir: string;
  readonly adminEmail: string;
  readonly adminPassword: string | undefined;
  readonly secretKey: string;
  readonly role: EnvConfig['ROLE'];
  readonly logLevel: EnvConfig['LOG_LEVEL'];
  readonly redisPrefix: string;
  readonly attachmentMaxBytes: number;
  readonly workerConcurrency: number;
  readonly trustProxy: number;
  readonly channels: readonly ChannelConfig[];
  readonly channelsSource: string;
  /** The channels file's `desk:` section, validated by the desk features (their defaults filled in). */
  readonly desk: Readonly<Record<string, unknown>>;
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The only place that reads the environment (STYLE §4). Returns a frozen, typed config or throws
 * a ConfigError that names the variable, or the channel and the field.
 */
export function loadConfig(env: Env, options: { cwd?: string } = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  // `NAME=` (as in .env.example) means "use the default", for every variable alike.
  const given = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = envSchema.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '?');
      return `${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(`invalid environment:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(cwd, e.DATA_DIR);
  if (e.ROLE !== 'all' && (!e.DATABASE_URL || !e.REDIS_URL)) {
    throw new ConfigError(
      `ROLE=${e.ROLE} needs DATABASE_URL and REDIS_URL: the embedded database and Redis serve one process only (ROLE=all)`,
    );
  }
  const defaultFile = join(cwd, 'config', 'channels.yaml');
  const channelsFile = e.CHANNELS_FILE ? resolve(cwd, e.CHANNELS_FILE) : existsSync(defaultFile) ? defaultFile : undefined;
  const document = channelsFile ? readChannelsDocument(channelsFile) : undefined;
  const channels = channelsFile ? parseChannels(document, env, channelsFile) : defaultChannels;
  const desk = parseDesk(document, env, channelsFile ?? 'desk defaults');
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    dataDir,
    adminEmail: e.ADMIN_EMAIL.toLowerCase(),
    adminPassword: e.ADMIN_PASSWORD,
    secretKey: e.SECRET_KEY ?? loadOrCreateSecret(dataDir),
    role: e.ROLE,
    logLevel: e.LOG_LEVEL,
    redisPrefix: e.REDIS_PREFIX,
    attachmentMaxBytes: e.ATTACHMENT_MAX_BYTES,
    workerConcurrency: e.WORKER_CONCURRENCY,
    trustProxy: e.TRUST_PROXY,
    channels: Object.freeze(channels.map((c) => Object.freeze(c))),
    channelsSource: channelsFile ?? 'built-in default (one web chat channel "web")',
    desk: Object.freeze(desk),
  });
}

/** Reads `process.env`; the one call site is `src/main.ts`. */
export function loadConfigFromProcess(): Config {
  return loadConfig(process.env);
}

function loadOrCreateSecret(dataDir: string): string {
  const file = join(dataDir, 'secret-key');
  if (existsSync(file)) {
    const value = readFileSync(file, 'utf8').trim();
    if (z.string().min(32).safeParse(value).success) return value;
    throw new ConfigError(`${file}: expected a secret of at least 32 characters; delete it to generate a new one`);
  }
  mkdirSync(dataDir, { recursive: true });
  const value = randomBytes(32).toString('base64url');
  writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  return value;
}
