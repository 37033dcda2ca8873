import { z } from 'zod';
import { ApiError } from '../../api/errors.js';
import type { Implementation } from '../../api/handler.js';
import { newTokenSecret } from '../../agents/sessions.js';
import { newId } from '../../domain/ids.js';
import { WebhookUrlError } from '../../domain/webhooks.js';
import { type AgentBotRow, agentBotRows, conversationsHeldBy, deleteAgentBot, insertAgentBot, replaceBotToken, setBotEndpoint, updateAgentBot } from '../../store/agent-bots.js';
import { recordAudit } from '../../store/audit.js';
import { handOff } from '../../store/bot.js';
import { createEndpoint, deleteEndpoint, disableEndpoint, enableEndpoint } from '../../store/webhooks.js';
import { defineDeskFeature } from '../feature.js';
import { agentBotRoutes } from './api.js';

const REFRESH_MS = 3_000;
const EVENTS = ['conversation.created', 'message.created', 'conversation.updated'];

const view = (row: AgentBotRow) => ({ id: row.id, name: row.name, enabled: row.active, description: row.description, channels: row.channels, endpointId: row.endpoint_id, createdAt: row.created_at.toISOString() });

/**
 * Agent bots (issue 18 part 3): a team's own bot service (Rasa, Botpress, an LLM) answers the
 * conversations opened on its channels. It receives them through its webhook endpoint (signed,
 * only its own conversations while it holds them) and answers through the API with its token as
 * `author.type: bot`; `POST /api/conversations/:id/handoff` gives a conversation to the team.
 * Listed before the FAQ bot, so a channel an enabled agent bot answers on is never the FAQ bot's.
 */
export const agentBots = defineDeskFeature({
  name: 'agent-bots',
  settings: z.object({}),
  contract: agentBotRoutes,
  create(context) {
    const db = () => context.inbox().db;
    let bots: AgentBotRow[] = [];
    let timer: NodeJS.Timeout | undefined;
    const refresh = async (): Promise<void> => {
      bots = await agentBotRows(db());
    };
    const handAll = async (row: AgentBotRow): Promise<void> => {
      for (const id of await conversationsHeldBy(db(), row.id)) {
        const batch = await handOff(db(), id, 'bot-disabled', { id: row.id, name: row.name }, new Date(), { onlyBot: row.id });
        if (batch) await context.inbox().dispatcher.dispatch([batch]);
      }
    };
    const find = async (id: string): Promise<AgentBotRow> => {
      const row = (await agentBotRows(db())).find((b) => b.id === id);
      if (!row) throw new ApiError(404, 'not_found', 'agent bot not found');
      return row;
    };
    const actor = (agent: { id: string; name: string }) => ({ type: 'agent' as const, id: agent.id, name: agent.name });

    const api: Implementation<typeof agentBotRoutes> = {
      contract: agentBotRoutes,
      json: { limit: '16kb', beforeAuth: false },
      handlers: {
        listAgentBots: async () => ({ items: (await agentBotRows(db())).map(view) }),
        async createAgentBot({ body, agent }) {
          const id = newId();
          await insertAgentBot(db(), { id, name: body.name, description: body.description, channels: body.channels, createdBy: agent.id });
          let secret: string;
          try {
            const created = await createEndpoint(db(), { url: body.webhookUrl, description: `agent bot ${body.name}`, events: EVENTS, handledBy: 'bot', ownerAgentId: id, secretKey: context.secretKey, createdBy: agent.id });
            secret = created.secret;
            await setBotEndpoint(db(), id, created.endpoint.id);
          } catch (error) {
            await deleteAgentBot(db(), id);
            if (error instanceof WebhookUrlError) throw new ApiError(400, 'validation', `webhookUrl: ${error.message}`);
            throw error;
          }
          const token = newTokenSecret();
          await replaceBotToken(db(), id, { id: newId(), hash: token.hash });
          await recordAudit(db(), { actor: actor(agent), action: 'agent-bot.create', target: { type: 'agent', id }, details: { channels: body.channels } });
          await refresh();
          return { bot: view(await find(id)), token: token.token, webhookSecret: secret };
        },
        async updateAgentBot({ params, body, agent }) {
          const before = await find(params.id);
          await updateAgentBot(db(), params.id, { ...(body.name !== undefined ? { name: body.name } : {}), ...(body.channels ? { channels: body.channels } : {}), ...(body.enabled !== undefined ? { active: body.enabled } : {}) });
          if (before.endpoint_id && body.enabled === false) await disableEndpoint(db(), before.endpoint_id, 'the agent bot was disabled');
          if (before.endpoint_id && body.enabled === true) await enableEndpoint(db(), before.endpoint_id);
          if (body.enabled === false) await handAll(before);
          await recordAudit(db(), { actor: actor(agent), action: 'agent-bot.update', target: { type: 'agent', id: params.id }, details: { keys: Object.keys(body).sort() } });
          await refresh();
          return view(await find(params.id));
        },
        async deleteAgentBot({ params, agent }) {
          const row = await find(params.id);
          await updateAgentBot(db(), row.id, { active: false });
          await handAll(row);
          if (row.endpoint_id) await deleteEndpoint(db(), row.endpoint_id);
          await deleteAgentBot(db(), row.id);
          await recordAudit(db(), { actor: actor(agent), action: 'agent-bot.delete', target: { type: 'agent', id: row.id } });
          await refresh();
        },
        async rotateAgentBotToken({ params, agent }) {
          const row = await find(params.id);
          if (!row.active) throw new ApiError(409, 'conflict', 'the agent bot is disabled: enable it first');
          const token = newTokenSecret();
          await replaceBotToken(db(), row.id, { id: newId(), hash: token.hash });
          await recordAudit(db(), { actor: actor(agent), action: 'agent-bot.token', target: { type: 'agent', id: row.id } });
          return { token: token.token };
        },
      },
    };

    return {
      initialHandler(facts) {
        // Same rules as the FAQ bot: never machine mail or an urgent case.
        if (facts.automated || facts.priority === 'urgent') return 'agent';
        const bot = bots.find((b) => b.active && (b.channels.includes(facts.channelId) || b.channels.includes(facts.channelKind)));
        return bot ? { botId: bot.id } : 'agent';
      },
      async start() {
        await refresh();
        timer = setInterval(() => void refresh().catch((error: unknown) => context.logger.warn({ err: error }, 'could not refresh agent bots')), REFRESH_MS);
        timer.unref();
      },
      stop() {
        clearInterval(timer);
      },
      api: { contract: agentBotRoutes, mount: (mounter) => mounter(api) },
    };
  },
});
