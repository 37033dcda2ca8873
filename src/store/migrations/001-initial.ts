import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    `create table agents (
      id text primary key,
      email text not null,
      name text not null,
      role text not null check (role in ('admin', 'agent')),
      password_hash text not null,
      active boolean not null default true,
      created_at timestamptz not null default now()
    )`,
    `create unique index agents_email_key on agents (lower(email))`,
    `create table api_tokens (
      id text primary key,
      agent_id text not null references agents (id) on delete cascade,
      token_hash text not null unique,
      kind text not null check (kind in ('session', 'api')),
      name text,
      created_at timestamptz not null default now(),
      expires_at timestamptz,
      last_used_at timestamptz
    )`,
    `create table contacts (
      id text primary key,
      name text not null,
      email text,
      avatar_url text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    `create table contact_identities (
      channel_id text not null,
      external_id text not null,
      contact_id text not null references contacts (id) on delete cascade,
      handle text,
      created_at timestamptz not null default now(),
      primary key (channel_id, external_id)
    )`,
    `create index contact_identities_contact on contact_identities (contact_id)`,
    `create table conversations (
      id text primary key,
      channel_id text not null,
      channel_kind text not null,
      thread_key text not null,
      contact_id text not null references contacts (id),
      status text not null default 'open' check (status in ('open', 'pending', 'snoozed', 'resolved')),
      priority text not null default 'normal' check (priority in ('low', 'normal', 'high', 'urgent')),
      assignee_id text references agents (id) on delete set null,
      labels text[] not null default '{}',
      subject text,
      created_at timestamptz not null default now(),
      last_message_at timestamptz not null default now(),
      last_inbound_at timestamptz,
      last_message_preview text,
      first_response_at timestamptz,
      resolved_at timestamptz,
      snoozed_until timestamptz,
      reply_window_ends_at timestamptz,
      unique (channel_id, thread_key)
    )`,
    `create index conversations_activity on conversations (last_message_at desc, id desc)`,
    `create index conversations_status_activity on conversations (status, last_message_at desc, id desc)`,
    `create index conversations_contact on conversations (contact_id)`,
    `create index conversations_assignee on conversations (assignee_id)`,
    `create table messages (
      id text primary key,
      seq bigserial not null,
      conversation_id text not null references conversations (id) on delete cascade,
      channel_id text not null,
      direction text not null check (direction in ('inbound', 'outbound')),
      author_type text not null check (author_type in ('contact', 'agent', 'bot', 'system')),
      author_id text not null,
      author_name text not null,
      text text not null,
      html text,
      private boolean not null default false,
      status text not null check (status in ('received', 'queued', 'sending', 'sent', 'failed')),
      error jsonb,
      external_id text,
      reply_to_external_id text,
      client_message_id text,
      idempotency_key text,
      raw jsonb,
      created_at timestamptz not null,
      received_at timestamptz not null default now(),
      sent_at timestamptz,
      updated_at timestamptz not null default now()
    )`,
    // The exactly-once guarantee of DESIGN §1: a redelivered platform message is a no-op insert.
    `create unique index messages_channel_external on messages (channel_id, external_id)`,
    `create unique index messages_idempotency on messages (author_id, idempotency_key) where idempotency_key is not null`,
    `create index messages_conversation_order on messages (conversation_id, created_at, seq)`,
    `create index messages_queued on messages (status, updated_at) where status in ('queued', 'sending')`,
    `create table attachments (
      id text primary key,
      message_id text references messages (id) on delete cascade,
      owner text not null,
      kind text not null,
      name text,
      mime_type text,
      size integer,
      storage_key text,
      remote text,
      meta jsonb,
      created_at timestamptz not null default now()
    )`,
    `create index attachments_message on attachments (message_id)`,
    `create table channel_state (
      channel_id text not null,
      key text not null,
      value jsonb not null,
      updated_at timestamptz not null default now(),
      primary key (channel_id, key)
    )`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
