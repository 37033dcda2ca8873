import { type Kysely, sql } from 'kysely';

/**
 * Records jobs (issue 17): a customer's export or erasure runs as a BullMQ job; this row is what
 * the inbox polls (status, progress) and, for an export, where its zip lies and whether it was
 * downloaded (once, before `expires_at`). It outlives the BullMQ job, which leaves Redis when done.
 * `contact_id` is kept for an export only: an erasure's row must not point at the person it erased.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    `create table records_jobs (
      id text primary key,
      kind text not null check (kind in ('export', 'erase')),
      contact_id text,
      status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
      progress smallint not null default 0 check (progress between 0 and 100),
      error text,
      file_path text,
      expires_at timestamptz,
      downloaded_at timestamptz,
      requested_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    `create index records_jobs_files on records_jobs (expires_at) where file_path is not null`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
