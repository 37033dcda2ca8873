import { type Kysely, sql } from 'kysely';

/**
 * The customer page (issue 17): agents' notes about a customer (not about one conversation, so
 * not a private message), and what customer search needs — substring search over emails, handles
 * and platform ids must find Chinese and partial input, so ILIKE on trigram indexes as 002 does
 * for names. Notes go with their contact (an erased customer takes them along).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    `create table customer_notes (
      id text primary key,
      contact_id text not null references contacts (id) on delete cascade,
      author_id text references agents (id) on delete set null,
      author_name text not null,
      text text not null check (char_length(text) between 1 and 5000),
      created_at timestamptz not null default now()
    )`,
    `create index customer_notes_contact on customer_notes (contact_id, created_at desc, id desc)`,
    `create index contacts_email_trgm on contacts using gin (email public.gin_trgm_ops)`,
    `create index contact_identities_handle_trgm on contact_identities using gin (handle public.gin_trgm_ops)`,
    `create index contact_identities_external_trgm on contact_identities using gin (external_id public.gin_trgm_ops)`,
    `create index conversations_contact_activity on conversations (contact_id, last_message_at desc)`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
