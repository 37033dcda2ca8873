import { createHash } from 'node:crypto';
import { type Transaction, sql } from 'kysely';
import type { Db } from './database.js';
import type { Database } from './schema.js';

/**
 * The audit log (issue 17): who did what — merges, links, exports, erasures, role and settings
 * changes. Append-only (a trigger in migration 016 refuses UPDATE, DELETE and TRUNCATE) and
 * hash-chained: each entry's hash covers the previous entry's hash and the entry itself, so an
 * entry altered or removed by someone who can bypass the trigger (a superuser disabling it, a
 * restored dump edited by hand) breaks the chain at that entry, and `verifyAudit` says where.
 * Removing the newest entries leaves a shorter chain that still verifies; `verifyAudit` returns
 * the head hash so an operator can keep it elsewhere and compare.
 */

export interface AuditActor {
  type: 'agent' | 'api' | 'system';
  id: string;
  name: string;
}

export interface AuditEntryInput {
  actor: AuditActor;
  /** Dotted: 'contact.merge', 'customer.erase', 'agent.role', 'desk.settings', 'retention.run', … */
  action: string;
  target: { type: string; id: string };
  /** Never a secret, never message text: the log outlives erasures. */
  details?: Record<string, unknown>;
}

export interface AuditEntry extends Required<AuditEntryInput> {
  seq: number;
  at: string;
  prevHash: string;
  hash: string;
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  /** The seq of the first entry that does not chain (altered, or the one after a removed entry). */
  brokenAt?: number;
  /** The newest entry's hash: kept elsewhere, it shows whether newest entries were removed. */
  head?: string;
}

/** The hash the first entry chains to. */
export const AUDIT_GENESIS = '0'.repeat(64);

/** Serializes appends of one schema (the second key) so two writers never chain to the same entry. */
const AUDIT_LOCK = 73_190_418;

const VERIFY_BATCH = 1000;

/**
 * Appends one entry. Inside a transaction it takes the append lock until that transaction ends,
 * so the entry commits (or rolls back) with the change it records; otherwise it runs its own.
 */
export async function recordAudit(db: Db | Transaction<Database>, entry: AuditEntryInput, at: Date = new Date()): Promise<void> {
  if (db.isTransaction) {
    await append(db as Transaction<Database>, entry, at);
    return;
  }
  await db.transaction().execute((trx) => append(trx, entry, at));
}

async function append(trx: Transaction<Database>, entry: AuditEntryInput, at: Date): Promise<void> {
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK}, hashtext(current_schema()))`.execute(trx);
  const last = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const seq = last ? Number(last.seq) + 1 : 1;
  const prevHash = last?.hash ?? AUDIT_GENESIS;
  // What is hashed must be what is read back: jsonb keeps only JSON (no undefined, no Date objects).
  const details = JSON.parse(JSON.stringify(entry.details ?? {})) as Record<string, unknown>;
  const stored = new Date(at.getTime());
  const hash = entryHash(prevHash, { seq, at: stored.toISOString(), actor: entry.actor, action: entry.action, target: entry.target, details });
  await trx
    .insertInto('audit_log')
    .values({
      seq,
      at: stored,
      actor_type: entry.actor.type,
      actor_id: entry.actor.id,
      actor_name: entry.actor.name,
      action: entry.action,
      target_type: entry.target.type,
      target_id: entry.target.id,
      details: JSON.stringify(details),
      prev_hash: prevHash,
      hash,
    })
    .execute();
}

interface Hashed {
  seq: number;
  at: string;
  actor: AuditActor;
  action: string;
  target: { type: string; id: string };
  details: Record<string, unknown>;
}

/** sha256 over the previous hash and the entry's canonical JSON (keys sorted at every depth). */
export function entryHash(prevHash: string, entry: Hashed): string {
  const actor = { type: entry.actor.type, id: entry.actor.id, name: entry.actor.name };
  const target = { type: entry.target.type, id: entry.target.id };
  const canonical = canonicalJson({ seq: entry.seq, at: entry.at, actor, action: entry.action, target, details: entry.details });
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object)
    .filter((k) => object[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(object[k])}`).join(',')}}`;
}

type AuditRow = {
  seq: string | number | bigint;
  at: Date;
  actor_type: 'agent' | 'api' | 'system';
  actor_id: string;
  actor_name: string;
  action: string;
  target_type: string;
  target_id: string;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
};

function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: Number(row.seq),
    at: new Date(row.at).toISOString(),
    actor: { type: row.actor_type, id: row.actor_id, name: row.actor_name },
    action: row.action,
    target: { type: row.target_type, id: row.target_id },
    details: row.details ?? {},
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/** Newest first; `before` is a seq (the previous page's `nextCursor`). */
export async function listAudit(db: Db, options: { limit: number; before?: number }): Promise<{ items: AuditEntry[]; nextCursor: number | null }> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(options.limit + 1);
  if (options.before !== undefined) query = query.where('seq', '<', options.before);
  const rows = (await query.execute()) as AuditRow[];
  const items = rows.slice(0, options.limit).map(toEntry);
  return { items, nextCursor: rows.length > options.limit ? (items.at(-1)?.seq ?? null) : null };
}

/** Every entry oldest first, a batch at a time (export and verification of a long log). */
export async function* auditEntries(db: Db): AsyncGenerator<AuditEntry> {
  let after = 0;
  for (;;) {
    const rows = (await db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq', 'asc').limit(VERIFY_BATCH).execute()) as AuditRow[];
    for (const row of rows) yield toEntry(row);
    if (rows.length < VERIFY_BATCH) return;
    after = Number(rows.at(-1)?.seq);
  }
}

/**
 * Recomputes the chain from the first entry: each seq must follow the previous one, link to its
 * hash, and hash to what it stores. Stops at the first entry that does not.
 */
export async function verifyAudit(db: Db): Promise<AuditVerification> {
  let prevHash = AUDIT_GENESIS;
  let expected = 1;
  let entries = 0;
  for await (const entry of auditEntries(db)) {
    const recomputed = entryHash(entry.prevHash, entry);
    if (entry.seq !== expected || entry.prevHash !== prevHash || recomputed !== entry.hash) {
      return { ok: false, entries, brokenAt: entry.seq };
    }
    prevHash = entry.hash;
    expected += 1;
    entries += 1;
  }
  return entries > 0 ? { ok: true, entries, head: prevHash } : { ok: true, entries };
}
