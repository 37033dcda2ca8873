/**
 * Run as its own process by test/integration/records/audit-chain.test.ts (PGlite does not start
 * inside vitest's module runner): the audit log's trigger and chain on the embedded database.
 * Prints one JSON line with what happened.
 *
 * argv: <data dir>
 */
import { sql } from 'kysely';
import { recordAudit, verifyAudit } from '../../src/store/audit.js';
import { openDatabase } from '../../src/store/database.js';

const [dataDir] = process.argv.slice(2);
const { db, close } = await openDatabase({ dataDir: dataDir! });
const refused = async (statement: string): Promise<string> => {
  try {
    await sql.raw(statement).execute(db);
    return 'allowed';
  } catch (error) {
    return /append-only/.test((error as Error).message) ? 'refused' : (error as Error).message;
  }
};
await Promise.all(
  [1, 2, 3].map((n) => recordAudit(db, { actor: { type: 'system', id: 'retention', name: 'Retention' }, action: 'retention.run', target: { type: 'channel', id: `c${n}` }, details: { deleted: n } })),
);
const before = await verifyAudit(db);
const update = await refused(`update audit_log set actor_name = 'x' where seq = 1`);
const remove = await refused('delete from audit_log');
await sql`alter table audit_log disable trigger audit_log_append_only`.execute(db);
await sql`update audit_log set target_id = 'other' where seq = 2`.execute(db);
const after = await verifyAudit(db);
await close();
console.log(JSON.stringify({ before, update, remove, after }));
