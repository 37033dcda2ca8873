import { conversationFor, conversationsFor, markConversationRead, messagesOf } from '../../inbox/queries.js';
import { retryMessage } from '../../inbox/retry-message.js';
import { sendReply } from '../../inbox/send-reply.js';
import { updateConversation } from '../../inbox/update-conversation.js';
import type { HttpDeps } from '../deps.js';
import { HttpError } from '../errors.js';
import { botMayRead } from '../../inbox/bot-access.js';
import type { CoreHandlers } from './handlers.js';

export function conversationHandlers(
  deps: HttpDeps,
): Pick<CoreHandlers, 'listConversations' | 'getConversation' | 'updateConversation' | 'markConversationRead' | 'listMessages' | 'sendReply' | 'retryMessage'> {
  return {
    listConversations: ({ agent, query }) => {
      // The whole inbox is for people; an agent bot learns of its conversations through its webhook (issue 18).
      if (agent.role === 'bot') throw new HttpError(403, 'forbidden', 'a bot reads only the conversations opened for it, by id');
      return conversationsFor(deps, agent, query);
    },
    async getConversation({ agent, params }) {
      await botMayRead(deps, agent, params.id);
      return conversationFor(deps, agent, params.id);
    },
    updateConversation: ({ agent, params, body }) => updateConversation(deps, agent, params.id, body),
    async markConversationRead({ agent, params }) {
      await botMayRead(deps, agent, params.id);
      return markConversationRead(deps, agent, params.id);
    },
    async listMessages({ agent, params, query }) {
      await botMayRead(deps, agent, params.id);
      return { items: await messagesOf(deps, params.id, query) };
    },
    async sendReply({ agent, params, body, headers, setHeader }) {
      const { message, created } = await sendReply(deps, agent, params.id, body, headers['Idempotency-Key']);
      if (!created) setHeader('Idempotent-Replayed', 'true');
      return message;
    },
    retryMessage: ({ params }) => retryMessage(deps, params.id),
  };
}
