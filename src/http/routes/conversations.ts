import { conversationFor, conversationsFor, markConversationRead, messagesOf } from '../../inbox/queries.js';
import { retryMessage } from '../../inbox/retry-message.js';
import { sendReply } from '../../inbox/send-reply.js';
import { updateConversation } from '../../inbox/update-conversation.js';
import type { HttpDeps } from '../deps.js';
import type { CoreHandlers } from './handlers.js';

export function conversationHandlers(
  deps: HttpDeps,
): Pick<CoreHandlers, 'listConversations' | 'getConversation' | 'updateConversation' | 'markConversationRead' | 'listMessages' | 'sendReply' | 'retryMessage'> {
  return {
    listConversations: ({ agent, query }) => conversationsFor(deps, agent, query),
    getConversation: ({ agent, params }) => conversationFor(deps, agent, params.id),
    updateConversation: ({ agent, params, body }) => updateConversation(deps, agent, params.id, body),
    markConversationRead: ({ agent, params }) => markConversationRead(deps, agent, params.id),
    listMessages: async ({ params, query }) => ({ items: await messagesOf(deps, params.id, query) }),
    async sendReply({ agent, params, body, headers, setHeader }) {
      const { message, created } = await sendReply(deps, agent, params.id, body, headers['Idempotency-Key']);
      if (!created) setHeader('Idempotent-Replayed', 'true');
      return message;
    },
    retryMessage: ({ params }) => retryMessage(deps, params.id),
  };
}
