import type { Agent, AgentRole } from '../domain/agent.js';
import { newId } from '../domain/ids.js';
import { type AgentRow, agentRow, agentRows, anyAgent, insertAgent, setActive } from '../store/agents.js';
import { type Db, isUniqueViolation } from '../store/database.js';
import { generatePassword, hashPassword } from './passwords.js';

/**
 * Agents: the people (and admins) who answer customers. Sessions and API tokens are in
 * `sessions.ts`, password hashing in `passwords.ts`, the SQL in `src/store/agents.ts`.
 */

export { Agent, AgentRole } from '../domain/agent.js';

export const toAgent = (row: AgentRow): Agent => ({ id: row.id, email: row.email, name: row.name, role: row.role, active: row.active, createdAt: row.created_at.toISOString() });

export async function createAgent(db: Db, input: { email: string; name: string; role: AgentRole; password: string }): Promise<Agent> {
  const row = await insertAgent(db, { id: newId(), email: input.email.toLowerCase(), name: input.name, role: input.role, passwordHash: await hashPassword(input.password) });
  return toAgent(row);
}

export async function listAgents(db: Db): Promise<Agent[]> {
  return (await agentRows(db)).map(toAgent);
}

export async function getAgent(db: Db, id: string): Promise<Agent | undefined> {
  const row = await agentRow(db, id);
  return row ? toAgent(row) : undefined;
}

/** Deactivating an agent also revokes every session and API token they hold. */
export async function setAgentActive(db: Db, id: string, active: boolean): Promise<Agent | undefined> {
  const row = await setActive(db, id, active);
  return row ? toAgent(row) : undefined;
}

/**
 * Creates the first admin when there is no agent at all. Returns the generated password (to be
 * printed once) when none was configured.
 */
export async function ensureFirstAdmin(db: Db, email: string, password: string | undefined): Promise<{ created: boolean; generatedPassword?: string }> {
  if (await anyAgent(db)) return { created: false };
  const chosen = password ?? generatePassword();
  try {
    await createAgent(db, { email, name: 'Admin', role: 'admin', password: chosen });
  } catch (error) {
    // Several processes starting on an empty database at once: one of them creates the admin.
    if (isUniqueViolation(error)) return { created: false };
    throw error;
  }
  return password ? { created: true } : { created: true, generatedPassword: chosen };
}
