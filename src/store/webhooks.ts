import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import { newId } from '../domain/ids.js';
import { checkWebhookUrl } from '../domain/webhooks.js';
import type { Db } from './database.js';
import type { Executor } from './outbox.js';
import type { WebhookEndpointsTable } from './schema.js';

/**
 * Outbound webhook endpoints (issue 18): their SQL and their secrets. The rules (who may change
 * them, the audit, the delivery) are in `src/desk/webhooks`.
 */

export type EndpointRow = Selectable<WebhookEndpointsTable>;

/** An endpoint as the API shows it: never a secret. */
export interface WebhookEndpoint {
  id: string;
  url: string;
  description: string;
  /** Event types, or `['*']` for all. */
  events: string[];
  /** Channel ids (or kinds) whose conversations it gets; null = every channel. */
  channels: string[] | null;
  /** Only conversations the bot (or the team) handles at the time of the event; null = both. */
  handledBy: 'bot' | 'agent' | null;
  /** The agent bot it belongs to (issue 18 part 3); null = an admin's endpoint. */
  ownerAgentId: string | null;
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: string | null;
  /** During a rotation: until when the previous secret still signs (two signatures per request). */
  previousSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

export const endpointView = (row: EndpointRow, now = new Date()): WebhookEndpoint => ({
  id: row.id,
  url: row.url,
  description: row.description,
  events: strings(row.events),
  channels: row.channels === null ? null : strings(row.channels),
  handledBy: row.handled_by,
  ownerAgentId: row.owner_agent_id,
  enabled: row.enabled,
  disabledReason: row.disabled_reason,
  disabledAt: row.disabled_at?.toISOString() ?? null,
  previousSecretExpiresAt: row.previous_secret_sealed && row.previous_secret_expires_at && row.previous_secret_expires_at > now ? row.previous_secret_expires_at.toISOString() : null,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

/** How long the previous secret keeps signing after a rotation: a day to deploy the new one. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

/** Standard Webhooks' secret format: `whsec_` + base64 of 32 random bytes. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/**
 * Secrets are sealed at rest (AES-256-GCM, a key derived from the server's SECRET_KEY): we must
 * sign with them, so they cannot be hashed like API tokens, but a database dump or backup alone
 * must not let anyone forge our webhooks to a team's receivers. The GCM tag also tells a secret
 * sealed under another SECRET_KEY apart from a usable one.
 */
const sealingKey = (secretKey: string): Buffer => createHmac('sha256', secretKey).update('switchboard/webhook-secrets/v1').digest();

export function sealSecret(secretKey: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(secretKey), iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), sealed.toString('base64url')].join('.');
}

export class SealedSecretError extends Error {
  override readonly name = 'SealedSecretError';
}

export function openSecret(secretKey: string, sealed: string): string {
  const [version, iv, tag, data] = sealed.split('.');
  if (version !== 'v1' || !iv || !tag || data === undefined) throw new SealedSecretError('not a sealed webhook secret');
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(secretKey), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SealedSecretError('the endpoint’s secret was sealed under another SECRET_KEY; rotate it');
  }
}

/** The secrets that sign a request now: the current one, and the previous one during a rotation. */
export function signingSecrets(row: EndpointRow, secretKey: string, now = new Date()): string[] {
  const secrets = [openSecret(secretKey, row.secret_sealed)];
  if (row.previous_secret_sealed && row.previous_secret_expires_at && row.previous_secret_expires_at > now) secrets.push(openSecret(secretKey, row.previous_secret_sealed));
  return secrets;
}

export interface EndpointInput {
  url: string;
  description?: string;
  events: string[];
  channels?: string[] | null;
  handledBy?: 'bot' | 'agent' | null;
  ownerAgentId?: string | null;
  /** The server's SECRET_KEY (`context.secretKey`): the endpoint's secret is sealed with it. */
  secretKey: string;
  /** Who created it (an agent id), for the record. */
  createdBy?: string | null;
}

/**
 * Creates an enabled endpoint with a new secret, returned here once (it is never shown again).
 * Throws `WebhookUrlError` for an address no receiver may have; the caller checks `events`.
 */
export async function createEndpoint(db: Executor, input: EndpointInput): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const url = checkWebhookUrl(input.url);
  const secret = newWebhookSecret();
  const row = await db
    .insertInto('webhook_endpoints')
    .values({
      id: newId('whe'),
      url,
      description: input.description ?? '',
      events: JSON.stringify(input.events),
      channels: input.channels ? JSON.stringify(input.channels) : null,
      handled_by: input.handledBy ?? null,
      owner_agent_id: input.ownerAgentId ?? null,
      secret_sealed: sealSecret(input.secretKey, secret),
      created_by: input.createdBy ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { endpoint: endpointView(row), secret };
}

export async function getEndpointRow(db: Executor, id: string): Promise<EndpointRow | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getEndpoint(db: Executor, id: string): Promise<WebhookEndpoint | undefined> {
  const row = await getEndpointRow(db, id);
  return row && endpointView(row);
}

/** Every endpoint, oldest first (`ownerAgentId` given: only that bot's). */
export async function listEndpointRows(db: Db, filter: { enabledOnly?: boolean; ownerAgentId?: string } = {}): Promise<EndpointRow[]> {
  let query = db.selectFrom('webhook_endpoints').selectAll();
  if (filter.enabledOnly) query = query.where('enabled', '=', true);
  if (filter.ownerAgentId !== undefined) query = query.where('owner_agent_id', '=', filter.ownerAgentId);
  return query.orderBy('created_at').orderBy('id').execute();
}

export interface EndpointChange {
  url?: string;
  description?: string;
  events?: string[];
  channels?: string[] | null;
  handledBy?: 'bot' | 'agent' | null;
}

export async function updateEndpoint(db: Executor, id: string, change: EndpointChange): Promise<WebhookEndpoint | undefined> {
  const row = await db
    .updateTable('webhook_endpoints')
    .set({
      ...(change.url !== undefined ? { url: checkWebhookUrl(change.url) } : {}),
      ...(change.description !== undefined ? { description: change.description } : {}),
      ...(change.events !== undefined ? { events: JSON.stringify(change.events) } : {}),
      ...(change.channels !== undefined ? { channels: change.channels === null ? null : JSON.stringify(change.channels) } : {}),
      ...(change.handledBy !== undefined ? { handled_by: change.handledBy } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && endpointView(row);
}

export async function deleteEndpoint(db: Executor, id: string): Promise<boolean> {
  const result = await db.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/**
 * A new current secret (returned once); the one it replaces keeps signing until `now + 24 h`, so
 * a receiver accepts both while it deploys the new one. A second rotation within the day drops
 * the oldest: at most two secrets are ever valid.
 */
export async function rotateSecret(db: Executor, id: string, secretKey: string, now = new Date()): Promise<{ endpoint: WebhookEndpoint; secret: string } | undefined> {
  const current = await getEndpointRow(db, id);
  if (!current) return undefined;
  const secret = newWebhookSecret();
  const row = await db
    .updateTable('webhook_endpoints')
    .set({
      secret_sealed: sealSecret(secretKey, secret),
      previous_secret_sealed: current.secret_sealed,
      previous_secret_expires_at: new Date(now.getTime() + ROTATION_OVERLAP_MS),
      updated_at: now,
    })
    .where('id', '=', id)
    .where('secret_sealed', '=', current.secret_sealed)
    .returningAll()
    .executeTakeFirst();
  // Another rotation won the race: this one's secret was never stored, so it must not be shown.
  if (!row) return rotateSecret(db, id, secretKey, now);
  return { endpoint: endpointView(row, now), secret };
}

/** Sets it enabled again, forgetting why it was disabled. */
export async function enableEndpoint(db: Executor, id: string): Promise<WebhookEndpoint | undefined> {
  const row = await db.updateTable('webhook_endpoints').set({ enabled: true, disabled_reason: null, disabled_at: null, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirst();
  return row && endpointView(row);
}

/**
 * Disables it with a reason an admin can read; its deliveries still pending stop (failed, with the
 * reason) — replay sends one again once it is enabled. False when it was disabled already.
 */
export async function disableEndpoint(db: Db, id: string, reason: string, now = new Date()): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('webhook_endpoints')
      .set({ enabled: false, disabled_reason: reason.slice(0, 1000), disabled_at: now, updated_at: now })
      .where('id', '=', id)
      .where('enabled', '=', true)
      .returning('id')
      .executeTakeFirst();
    if (!row) return false;
    await trx
      .updateTable('webhook_deliveries')
      .set({ status: 'failed', last_error: `endpoint disabled: ${reason}`.slice(0, 1000), updated_at: now })
      .where('endpoint_id', '=', id)
      .where('status', '=', 'pending')
      .execute();
    return true;
  });
}
