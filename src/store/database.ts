import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, Migrator, PostgresDialect, type RawBuilder, sql } from 'kysely';
import pg from 'pg';
import { migrationProvider } from './migrations/index.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  readonly db: Db;
  readonly kind: 'postgres' | 'pglite';
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Postgres connection string; unset → embedded PGlite in `<dataDir>/pglite`. */
  readonly url?: string | undefined;
  readonly dataDir: string;
  /** Postgres schema to use (tests give each run its own); created if missing. */
  readonly schema?: string;
  readonly poolSize?: number;
}

// Postgres bigint (int8) arrives as a string from pg; our only bigint is messages.seq, used for ordering.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => value);

/**
 * Advisory lock taken around migrations (and by anything that drops a schema in the same
 * database): Kysely's migrator introspects every schema of the database, and a schema dropped
 * meanwhile makes that introspection fail ("schema … does not exist").
 */
export const SCHEMA_CHANGE_LOCK = 73_190_417;

/**
 * Ends a hot statement's text with `/* prepared:<name> *\/`: on Postgres it is then parsed once
 * per pooled connection (a named prepared statement) instead of on every call. Parsing and
 * planning the reply path's CTEs cost Postgres more CPU than executing them (~1 ms of each
 * statement's ~2 ms). Only statements whose text never varies may carry a name — node-postgres
 * refuses a second text under the same name. PGlite sees a comment.
 */
export function preparedAs(name: string): RawBuilder<unknown> {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`invalid prepared statement name ${name}`);
  return sql.raw(` /* prepared:${name} */`);
}
const PREPARED_SUFFIX = / \/\* prepared:([a-z_]+) \*\/$/;

/** Routes statements marked by `preparedAs` to node-postgres's named statements. */
function prepareMarkedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((...args: unknown[]) => {
    const [text, values] = args;
    if (typeof text === 'string' && args.length <= 2) {
      const name = PREPARED_SUFFIX.exec(text)?.[1];
      if (name) return query({ name, text, values });
    }
    return query(...args);
  }) as typeof client.query;
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (!options.url) {
    const handle = await openPglite(options.dataDir);
    await migrate(handle.db, 'public');
    return handle;
  }
  const handle = await openPostgres(options.url, options);
  const lock = new pg.Client({ connectionString: options.url });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [SCHEMA_CHANGE_LOCK]);
    await migrate(handle.db, options.schema ?? 'public');
  } catch (error) {
    await handle.close();
    throw error;
  } finally {
    await lock.end().catch(() => undefined);
  }
  return handle;
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<DatabaseHandle> {
  const schema = options.schema;
  if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  if (schema) {
    const setup = new pg.Client({ connectionString: url });
    await setup.connect();
    try {
      await setup.query(`create schema if not exists ${schema}`);
    } finally {
      await setup.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(schema ? { options: `-c search_path=${schema},public` } : {}),
  });
  // An idle client losing its connection (Postgres restart) must not crash the process.
  pool.on('error', () => undefined);
  pool.on('connect', prepareMarkedStatements);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'postgres',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const [{ PGlite }, { pg_trgm }, { PGliteDialect }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('kysely-pglite-dialect'),
  ]);
  const dir = join(dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'PG_VERSION'))) await initPgliteElsewhere(dir);
  const client = await PGlite.create(dir, {
    extensions: { pg_trgm },
    // 128 MB of shared buffers (PGlite's default) is most of the gateway's memory; the operating
    // system caches the data files anyway. Measured: 281 MB → 169 MB resident after opening.
    startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'],
  });
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
  return {
    db,
    kind: 'pglite',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/**
 * PGlite's initdb runs a second WebAssembly Postgres whose memory is never given back to the
 * system (a fresh start sat at 680 MB for good). A short-lived child process does it instead.
 */
async function initPgliteElsewhere(dir: string): Promise<void> {
  const script = `const { PGlite } = await import(process.argv[1]); const db = await PGlite.create(process.argv[2]); await db.close();`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, import.meta.resolve('@electric-sql/pglite'), dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`could not create the embedded database in ${dir}: ${stderr.trim().slice(-500)}`);
}

/**
 * Kysely looks for its bookkeeping tables in every schema unless told which one, so another
 * schema's tables (a second deployment or test run in the same database) would be mistaken for ours.
 */
async function migrate(db: Db, schema: string): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider, migrationTableSchema: schema });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${(error as Error | undefined)?.message ?? 'unknown error'}`);
  }
}

/** Postgres refused a row a unique index already holds (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}
