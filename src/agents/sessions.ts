import { createHash, randomBytes } from 'node:crypto';
import { newId } from '../domain/ids.js';
import { agentByTokenHash, apiTokenRows, credentialsByEmail, deleteApiToken, deleteTokenByHash, insertToken } from '../store/agents.js';
import type { Db } from '../store/database.js';
import { type Agent, toAgent } from './agents.js';
import { verifyPassword } from './passwords.js';

/** Sign-in sessions and long-lived API tokens: random secrets shown once, stored as SHA-256. */

const SESSION_DAYS = 30;

const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

/** Checks credentials; on success issues a session token (returned once, stored hashed). */
export async function login(db: Db, email: string, password: string): Promise<{ token: string; agent: Agent } | undefined> {
  const row = await credentialsByEmail(db, email);
  // Hash even for unknown emails so response time does not reveal which addresses exist.
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  // An agent bot has no password (its hash never verifies), and is refused here all the same.
  if (!row || !ok || !row.active || row.role === 'bot') return undefined;
  const token = await issueToken(db, row.id, 'session', null, new Date(Date.now() + SESSION_DAYS * 86_400_000));
  return { token, agent: toAgent(row) };
}

export async function issueToken(db: Db, agentId: string, kind: 'session' | 'api' | 'bot', name: string | null, expiresAt: Date | null): Promise<string> {
  const token = `sb_${randomBytes(32).toString('base64url')}`;
  await insertToken(db, { id: newId(), agentId, tokenHash: tokenHash(token), kind, name, expiresAt });
  return token;
}

/** Resolves a bearer/session token to its active agent, or undefined (unknown, expired, deactivated). */
export async function authenticate(db: Db, token: string): Promise<Agent | undefined> {
  if (!token.startsWith('sb_') || token.length > 100) return undefined;
  const row = await agentByTokenHash(db, tokenHash(token));
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
  return (await apiTokenRows(db, agentId)).map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.created_at.toISOString(),
    lastUsedAt: r.last_used_at ? new Date(r.last_used_at).toISOString() : null,
  }));
}

export const revokeApiToken = (db: Db, agentId: string, tokenId: string): Promise<boolean> => deleteApiToken(db, agentId, tokenId);

export async function revokeToken(db: Db, token: string): Promise<void> {
  await deleteTokenByHash(db, tokenHash(token));
}

/** A new bearer token and the hash stored for it (an agent bot's, issue 18: shown once). */
export function newTokenSecret(): { token: string; hash: string } {
  const token = `sb_${randomBytes(32).toString('base64url')}`;
  return { token, hash: tokenHash(token) };
}
