import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { newId } from '../domain/ids.js';
import { type Db, preparedAs } from '../store/database.js';
import { generatePassword, hashPassword, verifyPassword } from './passwords.js';

export const AgentRole = z.enum(['admin', 'agent']);
export type AgentRole = z.infer<typeof AgentRole>;

export interface Agent {
  id: string;
  email: string;
  name: string;
  role: AgentRole;
  active: boolean;
  createdAt: string;
}

const SESSION_DAYS = 30;

const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

function toAgent(row: { id: string; email: string; name: string; role: AgentRole; active: boolean; created_at: Date }): Agent {
  return { id: row.id, email: row.email, name: row.name, role: row.role, active: row.active, createdAt: row.created_at.toISOString() };
}

export async function createAgent(db: Db, input: { email: string; name: string; role: AgentRole; password: string }): Promise<Agent> {
  const row = await db
    .insertInto('agents')
    .values({
      id: newId(),
      email: input.email.toLowerCase(),
      name: input.name,
      role: input.role,
      password_hash: await hashPassword(input.password),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAgent(row);
}

export async function listAgents(db: Db): Promise<Agent[]> {
  const rows = await db.selectFrom('agents').selectAll().orderBy('created_at').execute();
  return rows.map(toAgent);
}

export async function getAgent(db: Db, id: string): Promise<Agent | undefined> {
  const row = await db.selectFrom('agents').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toAgent(row) : undefined;
}

export async function setAgentActive(db: Db, id: string, active: boolean): Promise<Agent | undefined> {
  const row = await db.updateTable('agents').set({ active }).where('id', '=', id).returningAll().executeTakeFirst();
  if (row && !active) await db.deleteFrom('api_tokens').where('agent_id', '=', id).execute();
  return row ? toAgent(row) : undefined;
}

/**
 * Creates the first admin when there is no agent at all. Returns the generated password (to be
 * printed once) when none was configured.
 */
export async function ensureFirstAdmin(db: Db, email: string, password: string | undefined): Promise<{ created: boolean; generatedPassword?: string }> {
  const any = await db.selectFrom('agents').select('id').limit(1).executeTakeFirst();
  if (any) return { created: false };
  const chosen = password ?? generatePassword();
  try {
    await createAgent(db, { email, name: 'Admin', role: 'admin', password: chosen });
  } catch (error) {
    // Several processes starting on an empty database at once: one of them creates the admin.
    if ((error as { code?: string }).code === '23505') return { created: false };
    throw error;
  }
  return password ? { created: true } : { created: true, generatedPassword: chosen };
}

/** Checks credentials; on success issues a session token (returned once, stored hashed). */
export async function login(db: Db, email: string, password: string): Promise<{ token: string; agent: Agent } | undefined> {
  const row = await db.selectFrom('agents').selectAll().where(({ fn }) => fn('lower', ['email']), '=', email.toLowerCase()).executeTakeFirst();
  // Hash even for unknown emails so response time does not reveal which addresses exist.
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  if (!row || !ok || !row.active) return undefined;
  const token = await issueToken(db, row.id, 'session', null, new Date(Date.now() + SESSION_DAYS * 86_400_000));
  return { token, agent: toAgent(row) };
}

const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export async function issueToken(db: Db, agentId: string, kind: 'session' | 'api', name: string | null, expiresAt: Date | null): Promise<string> {
  const token = `sb_${randomBytes(32).toString('base64url')}`;
  await db
    .insertInto('api_tokens')
    .values({ id: newId(), agent_id: agentId, token_hash: tokenHash(token), kind, name, expires_at: expiresAt, last_used_at: null })
    .execute();
  return token;
}

/** Resolves a bearer/session token to its active agent, or undefined (unknown, expired, deactivated). */
export async function authenticate(db: Db, token: string): Promise<Agent | undefined> {
  if (!token.startsWith('sb_') || token.length > 100) return undefined;
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('agents', 'agents.id', 'api_tokens.agent_id')
    .select(['agents.id', 'agents.email', 'agents.name', 'agents.role', 'agents.active', 'agents.created_at', 'api_tokens.expires_at'])
    .where('token_hash', '=', tokenHash(token))
    .modifyEnd(preparedAs('authenticate'))
    .executeTakeFirst();
  if (!row || !row.active) return undefined;
  if (row.expires_at && row.expires_at.getTime() <= Date.now()) return undefined;
  return toAgent(row);
}

export interface ApiTokenInfo {
  id: string;
  name: string | null;
  createdAt: string;
  lastUsedAt: string | null;
}

/** An agent's long-lived API tokens (never the secret: it is shown once, at creation). */
export async function listApiTokens(db: Db, agentId: string): Promise<ApiTokenInfo[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'created_at', 'last_used_at'])
    .where('agent_id', '=', agentId)
    .where('kind', '=', 'api')
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at.toISOString(), lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null }));
}

export async function revokeApiToken(db: Db, agentId: string, tokenId: string): Promise<boolean> {
  const result = await db.deleteFrom('api_tokens').where('id', '=', tokenId).where('agent_id', '=', agentId).where('kind', '=', 'api').executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function revokeToken(db: Db, token: string): Promise<void> {
  await db.deleteFrom('api_tokens').where('token_hash', '=', tokenHash(token)).execute();
}
