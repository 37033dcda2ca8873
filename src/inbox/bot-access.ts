import type { Agent } from '../domain/agent.js';
import { conversationHolder } from '../store/replies.js';
import type { InboxDeps } from './deps.js';
import { InboxError } from './errors.js';

/**
 * An agent bot (issue 18) works only on the conversations it holds: 403 for another bot's or the
 * team's, 409 for its own once handed to the team (it is a person's now). People are not limited.
 */
export async function botHolds(deps: Pick<InboxDeps, 'db'>, agent: Pick<Agent, 'id' | 'role'>, conversationId: string): Promise<void> {
  if (agent.role !== 'bot') return;
  const holder = await conversationHolder(deps.db, conversationId);
  if (!holder) throw new InboxError(404, 'not_found', 'conversation not found');
  if (holder.botId !== agent.id) throw new InboxError(403, 'forbidden', 'this bot does not hold the conversation');
  if (holder.handledBy !== 'bot') throw new InboxError(409, 'conflict', 'the conversation was handed to the team; the bot no longer answers it');
}

/** What an agent bot may read: the conversations opened for it (also after it handed them off). */
export async function botMayRead(deps: Pick<InboxDeps, 'db'>, agent: Pick<Agent, 'id' | 'role'>, conversationId: string): Promise<void> {
  if (agent.role !== 'bot') return;
  const holder = await conversationHolder(deps.db, conversationId);
  if (!holder) throw new InboxError(404, 'not_found', 'conversation not found');
  if (holder.botId !== agent.id) throw new InboxError(403, 'forbidden', 'a bot reads only the conversations opened for it');
}
