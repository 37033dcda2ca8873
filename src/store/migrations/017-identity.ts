import { type Kysely, sql } from 'kysely';

/**
 * Verified identity links and reversible merges (issue 17).
 *
 * - `contacts.user_id`: the app's own id for the person, set only through a verified link (a
 *   signed code the customer sent, or a widget session with a valid `userHash`); one contact per
 *   user id. `merged_into`: the contact was merged into that one (it keeps its row, emptied of
 *   identities and conversations, so an undo restores it under the same id and nothing that
 *   refers to it — notes, audit entries — is lost).
 * - `identity_links`: one row per code the app's backend asked for; `used_at` is set by one
 *   conditional update, so a code links at most once however many messages carry it.
 * - `contact_merges`: each merge with a snapshot of what it changed (both contacts' fields, the
 *   identities and conversations it moved), so an undo puts both contacts back exactly.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    `alter table contacts add column user_id text check (user_id is null or char_length(user_id) between 1 and 128)`,
    `alter table contacts add column merged_into text references contacts (id) on delete set null`,
    `create unique index contacts_user_id_key on contacts (user_id) where user_id is not null`,
    `create index contacts_merged_into on contacts (merged_into) where merged_into is not null`,
    `create table identity_links (
      nonce text primary key,
      user_id text not null check (char_length(user_id) between 1 and 128),
      created_by text references agents (id) on delete set null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz,
      used_by_contact text references contacts (id) on delete set null
    )`,
    `create index identity_links_expires on identity_links (expires_at)`,
    `create table contact_merges (
      id text primary key,
      kept_contact_id text not null references contacts (id) on delete cascade,
      merged_contact_id text not null references contacts (id) on delete cascade,
      snapshot jsonb not null,
      by text not null,
      reason text not null,
      at timestamptz not null default now(),
      undone_at timestamptz,
      undone_by text
    )`,
    `create index contact_merges_kept on contact_merges (kept_contact_id, at desc)`,
    `create index contact_merges_merged on contact_merges (merged_contact_id, at desc)`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
