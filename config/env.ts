import { z } from 'zod';
import { DEFAULT_ATTACHMENT_MAX_BYTES } from '../src/domain/uploads.js';

const port = z.coerce.number().int().min(0).max(65535);
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/**
 * Every environment variable Switchboard reads (DESIGN §6). `.env.example` lists the same names;
 * `test/unit/config/env-example.test.ts` keeps the two in step.
 */
export const envSchema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  DATABASE_URL: optionalString.pipe(
    z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// connection string').optional(),
  ),
  REDIS_URL: optionalString.pipe(z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL').optional()),
  DATA_DIR: z.string().min(1).default('./data'),
  CHANNELS_FILE: optionalString,
  // Not z.email(): the documented default `admin@localhost` has no top-level domain.
  ADMIN_EMAIL: z.string().regex(/^[^\s@]+@[^\s@]+$/, 'an email address').default('admin@localhost'),
  ADMIN_PASSWORD: optionalString.pipe(z.string().min(8, 'at least 8 characters').optional()),
  SECRET_KEY: optionalString.pipe(z.string().min(32, 'at least 32 characters').optional()),
  ROLE: z.enum(['all', 'api', 'worker', 'connector']).default('all'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Additive: key prefix for BullMQ queues and pub/sub, so several deployments can share one Redis. */
  REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, "_" and "-"').default('switchboard'),
  /** Additive: largest attachment accepted from a visitor or an agent, in bytes. */
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(DEFAULT_ATTACHMENT_MAX_BYTES),
  /** Additive: jobs each inbound / outbound worker runs at once. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(2000).default(256),
  /** Additive: hops of reverse proxies to trust for client addresses (express `trust proxy`). */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
});
export type EnvConfig = z.infer<typeof envSchema>;
export const envVariableNames = Object.keys(envSchema.shape) as (keyof EnvConfig)[];
