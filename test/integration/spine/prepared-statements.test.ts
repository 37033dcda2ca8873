import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate } from '../../../src/agents/sessions.js';
import { type DatabaseHandle, openDatabase, preparedAs } from '../../../src/store/database.js';
import { TEST_DATABASE_URL } from '../../support/env.js';
import { dropTestState } from '../../support/gateway.js';

describe('hot statements are prepared once per Postgres connection', () => {
  const schema = `t_prep_${randomBytes(4).toString('hex')}`;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    // One connection, so the session that prepared a statement is the one we ask.
    handle = await openDatabase({ url: TEST_DATABASE_URL, dataDir: '/nonexistent', schema, poolSize: 1 });
  });
  afterAll(async () => {
    await handle?.close();
    await dropTestState(schema, `prep${randomBytes(3).toString('hex')}`);
  });

  const prepared = async () =>
    (await sql<{ name: string }>`select name from pg_prepared_statements order by name`.execute(handle.db)).rows.map((r) => r.name);

  it('a marked statement is prepared under its name and reused; unmarked ones are not prepared', async () => {
    expect(await prepared()).toEqual([]);
    expect(await authenticate(handle.db, 'sb_not-a-token')).toBeUndefined();
    expect(await authenticate(handle.db, 'sb_still-not-a-token')).toBeUndefined();
    expect(await prepared()).toEqual(['authenticate']);
    await handle.db.selectFrom('agents').select('id').execute();
    expect(await prepared()).toEqual(['authenticate']);
  });

  it('a second text under a name already used is refused, not silently run as the first', async () => {
    await sql`select 1 as one${preparedAs('test_twice')}`.execute(handle.db);
    await expect(sql`select 2 as two${preparedAs('test_twice')}`.execute(handle.db)).rejects.toThrow(/Prepared statements must be unique/);
  });

  it('names are plain identifiers', () => {
    expect(() => preparedAs('x */ drop table agents; /*')).toThrow(/invalid prepared statement name/);
  });
});
