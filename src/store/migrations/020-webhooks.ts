import { type Kysely, sql } from 'kysely';

/**
 * Outbound webhooks (issue 18 part 1). `webhook_endpoints` are the receivers an admin (or an
 * agent bot, issue 18 part 3) subscribed; `webhook_deliveries` is the outbox of what each must
 * receive — one row per (endpoint, key), so a redelivered batch of domain events makes no second
 * delivery — and the truth about it (the BullMQ job only carries it); `webhook_attempts` is the
 * delivery log the inbox shows. Secrets are stored sealed (AES-GCM, `src/store/webhooks.ts`): we
 * must sign with them, so they cannot be hashed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of [
    `create table webhook_endpoints (
      id text primary key,
      url text not null,
      description text not null default '',
      events jsonb not null,
      channels jsonb,
      handled_by text check (handled_by in ('bot', 'agent')),
      owner_agent_id text,
      enabled boolean not null default true,
      disabled_reason text,
      disabled_at timestamptz,
      secret_sealed text not null,
      previous_secret_sealed text,
      previous_secret_expires_at timestamptz,
      created_by text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`,
    `create table webhook_deliveries (
      id text primary key,
      endpoint_id text not null references webhook_endpoints (id) on delete cascade,
      event_type text not null,
      key text not null,
      conversation_id text,
      payload jsonb not null,
      status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed')),
      attempts integer not null default 0,
      round_start integer not null default 0,
      next_attempt_at timestamptz not null default now(),
      last_status integer,
      last_error text,
      created_at timestamptz not null default now(),
      delivered_at timestamptz,
      updated_at timestamptz not null default now(),
      unique (endpoint_id, key)
    )`,
    `create index webhook_deliveries_pending on webhook_deliveries (next_attempt_at) where status = 'pending'`,
    `create index webhook_deliveries_by_endpoint on webhook_deliveries (endpoint_id, created_at desc)`,
    `create index webhook_deliveries_by_conversation on webhook_deliveries (conversation_id) where conversation_id is not null`,
    `create table webhook_attempts (
      id bigserial primary key,
      delivery_id text not null references webhook_deliveries (id) on delete cascade,
      at timestamptz not null default now(),
      http_status integer,
      error text,
      duration_ms integer not null,
      response_body text
    )`,
    `create index webhook_attempts_by_delivery on webhook_attempts (delivery_id, id)`,
  ]) {
    await sql.raw(statement).execute(db);
  }
}
