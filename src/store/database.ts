import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
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
  const client = await PGlite.create(dir, { extensions: { pg_trgm } });
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
