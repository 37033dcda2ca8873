import { type Kysely, sql } from 'kysely';

/**
 * Canned replies (issue 16): shared ones (`owner_id` null, written by admins) and personal ones
 * (their agent's). A shortcut is unique per scope — among the shared ones, and per owner among
 * the personal ones — so a personal `/ref` may shadow a shared `/ref` (the picker lists the
 * personal one first). A personal reply goes with its agent if the agent row is ever removed;
 * a deactivated agent keeps theirs (nobody else sees them, and they are back on reactivation).
 * Each language's variant is a template (`{{contact.name}}`, …; `src/desk/canned/template.ts`).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    `create table canned_replies (
      id text primary key,
      shortcut text not null check (shortcut ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
      title text not null,
      owner_id text references agents (id) on delete cascade,
      text_en text,
      text_zh text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check (text_en is not null or text_zh is not null)
    )`,
    `create unique index canned_replies_shared_shortcut on canned_replies (shortcut) where owner_id is null`,
    `create unique index canned_replies_personal_shortcut on canned_replies (owner_id, shortcut) where owner_id is not null`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
