import type { Selectable } from 'kysely';
import { type Db, preparedAs } from './database.js';
import type { AgentsTable } from './schema.js';

/** SQL of agents, their sessions and API tokens; the rules are in `src/agents`. */

export type AgentRow = Omit<Selectable<AgentsTable>, 'password_hash'>;
const agentColumns = ['id', 'email', 'name', 'role', 'active', 'created_at'] as const;

export async function insertAgent(db: Db, row: { id: string; email: string; name: string; role: AgentRow['role']; passwordHash: string }): Promise<AgentRow> {
  return db
    .insertInto('agents')
    .values({ id: row.id, email: row.email, name: row.name, role: row.role, password_hash: row.passwordHash })
    .returning(agentColumns)
    .executeTakeFirstOrThrow();
}

export async function agentRows(db: Db): Promise<AgentRow[]> {
  return db.selectFrom('agents').select(agentColumns).orderBy('created_at').execute();
}

export async function agentRow(db: Db, id: string): Promise<AgentRow | undefined> {
  return db.selectFrom('agents').select(agentColumns).where('id', '=', id).executeTakeFirst();
}

export async function anyAgent(db: Db): Promise<boolean> {
  return (await db.selectFrom('agents').select('id').limit(1).executeTakeFirst()) !== undefined;
}

/** Deactivating also revokes every token and session of the agent, in one transaction. */
export async function setActive(db: Db, id: string, active: boolean): Promise<AgentRow | undefined> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.updateTable('agents').set({ active }).where('id', '=', id).returning(agentColumns).executeTakeFirst();
    if (row && !active) await trx.deleteFrom('api_tokens').where('agent_id', '=', id).execute();
    return row;
  });
}

/** An active person's name, or undefined (no such agent, deactivated, or an agent bot: never an assignee). */
export async function activeAgentName(db: Db, agentId: string): Promise<string | undefined> {
  const row = await db.selectFrom('agents').select(['name', 'active', 'role']).where('id', '=', agentId).executeTakeFirst();
  return row?.active && row.role !== 'bot' ? row.name : undefined;
}

export async function credentialsByEmail(db: Db, email: string): Promise<(AgentRow & { password_hash: string }) | undefined> {
  return db
    .selectFrom('agents')
    .select([...agentColumns, 'password_hash'])
    .where(({ fn }) => fn('lower', ['email']), '=', email.toLowerCase())
    .executeTakeFirst();
}

export async function insertToken(
  db: Db,
  row: { id: string; agentId: string; tokenHash: string; kind: 'session' | 'api' | 'bot'; name: string | null; expiresAt: Date | null },
): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({ id: row.id, agent_id: row.agentId, token_hash: row.tokenHash, kind: row.kind, name: row.name, expires_at: row.expiresAt, last_used_at: null })
    .execute();
}

/** The agent a token hash belongs to, with the token's expiry (prepared: runs on every API request). */
export async function agentByTokenHash(db: Db, tokenHash: string): Promise<(AgentRow & { expires_at: Date | null }) | undefined> {
  return db
    .selectFrom('api_tokens')
    .innerJoin('agents', 'agents.id', 'api_tokens.agent_id')
    .select(['agents.id', 'agents.email', 'agents.name', 'agents.role', 'agents.active', 'agents.created_at', 'api_tokens.expires_at'])
    .where('token_hash', '=', tokenHash)
    .modifyEnd(preparedAs('authenticate'))
    .executeTakeFirst();
}

export async function apiTokenRows(db: Db, agentId: string): Promise<{ id: string; name: string | null; created_at: Date; last_used_at: Date | null }[]> {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'created_at', 'last_used_at'])
    .where('agent_id', '=', agentId)
    .where('kind', '=', 'api')
    .orderBy('created_at')
    .execute();
}

export async function deleteApiToken(db: Db, agentId: string, tokenId: string): Promise<boolean> {
  const result = await db.deleteFrom('api_tokens').where('id', '=', tokenId).where('agent_id', '=', agentId).where('kind', '=', 'api').executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function deleteTokenByHash(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('api_tokens').where('token_hash', '=', tokenHash).execute();
}
