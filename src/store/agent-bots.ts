import { sql } from 'kysely';
import type { Db } from './database.js';

/** Agent bots' SQL (issue 18 part 3): an agent row with role `bot` plus its `agent_bots` settings. */

export interface AgentBotRow {
  id: string;
  name: string;
  active: boolean;
  description: string;
  channels: string[];
  endpoint_id: string | null;
  created_at: Date;
}

export async function agentBotRows(db: Db): Promise<AgentBotRow[]> {
  return db
    .selectFrom('agent_bots as b')
    .innerJoin('agents as a', 'a.id', 'b.agent_id')
    .select(['a.id', 'a.name', 'a.active', 'b.description', 'b.channels', 'b.endpoint_id', 'a.created_at'])
    .orderBy('a.created_at')
    .execute();
}

/** Hands every conversation the bot holds to the team (it was disabled or removed); their ids. */
export async function conversationsHeldBy(db: Db, botId: string): Promise<string[]> {
  const rows = await db.selectFrom('conversations').select('id').where('bot_id', '=', botId).where('handled_by', '=', 'bot').execute();
  return rows.map((r) => r.id);
}

export async function insertAgentBot(db: Db, input: { id: string; name: string; description: string; channels: string[]; createdBy: string }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // No password: a hash we never wrote never verifies (src/agents/passwords.ts), and login refuses bots anyway.
    await trx.insertInto('agents').values({ id: input.id, email: `${input.id}@agent-bots.invalid`, name: input.name, role: 'bot', password_hash: '!' }).execute();
    await trx.insertInto('agent_bots').values({ agent_id: input.id, description: input.description, channels: JSON.stringify(input.channels), created_by: input.createdBy }).execute();
  });
}

export async function setBotEndpoint(db: Db, botId: string, endpointId: string): Promise<void> {
  await db.updateTable('agent_bots').set({ endpoint_id: endpointId, updated_at: new Date() }).where('agent_id', '=', botId).execute();
}

export async function updateAgentBot(db: Db, botId: string, change: { name?: string; channels?: string[]; active?: boolean }): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const found = await trx.selectFrom('agent_bots').select('agent_id').where('agent_id', '=', botId).forUpdate().executeTakeFirst();
    if (!found) return false;
    if (change.name !== undefined || change.active !== undefined) {
      await trx
        .updateTable('agents')
        .set({ ...(change.name !== undefined ? { name: change.name } : {}), ...(change.active !== undefined ? { active: change.active } : {}) })
        .where('id', '=', botId)
        .execute();
    }
    // Disabled: its token stops working at once.
    if (change.active === false) await trx.deleteFrom('api_tokens').where('agent_id', '=', botId).execute();
    if (change.channels !== undefined) await trx.updateTable('agent_bots').set({ channels: JSON.stringify(change.channels), updated_at: sql`now()` }).where('agent_id', '=', botId).execute();
    return true;
  });
}

/** Its one token: the old ones revoked in the same transaction as the new one is stored. */
export async function replaceBotToken(db: Db, botId: string, token: { id: string; hash: string }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('api_tokens').where('agent_id', '=', botId).execute();
    await trx.insertInto('api_tokens').values({ id: token.id, agent_id: botId, token_hash: token.hash, kind: 'bot', name: 'agent bot', expires_at: null, last_used_at: null }).execute();
  });
}

/** Removes the bot (its token with it: api_tokens cascade). */
export async function deleteAgentBot(db: Db, botId: string): Promise<void> {
  await db.deleteFrom('agents').where('id', '=', botId).where('role', '=', 'bot').execute();
}
