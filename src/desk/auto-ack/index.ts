import { z } from 'zod';
import type { Conversation } from '../../domain/conversation.js';
import { sendAutomatic } from '../../inbox/send-automatic.js';
import { defineDeskFeature } from '../feature.js';
import { languageOf } from '../language.js';
import { flag } from '../settings-types.js';
import { serviceLevels } from '../sla/index.js';
import { promiseFor } from '../sla/promise.js';
import { acknowledges } from './rules.js';

/**
 * The acknowledgement a customer gets when they open a conversation, once per conversation: the
 * response-time promise (issue 14) — the channel's expected response time, when the team is back
 * if it is away, or that a person is on it for an urgent case — in the customer's language. A
 * channel's own `autoReply` text replaces it on that channel; `desk.autoAck: false` turns it off.
 */
export const autoAck = defineDeskFeature({
  name: 'auto-ack',
  settings: z.object({ autoAck: flag.default(true) }),
  create(context, settings) {
    const promise = (conversation: Conversation, customerText: string, now: Date): string =>
      promiseFor(context.settingsOf(serviceLevels), conversation, languageOf(`${conversation.subject ?? ''} ${customerText}`), now);

    return {
      async onEvents(batches, view) {
        if (!settings().autoAck) return;
        for (const event of batches.flatMap((b) => b.events)) {
          const conversation = view.conversation(event.conversationId);
          if (!acknowledges(event, conversation) || !conversation) continue;
          const answered = view.message(event.messageId);
          const override = context.channels.get(conversation.channelId)?.autoReply;
          const receivedAt = answered ? new Date(answered.createdAt) : new Date();
          await sendAutomatic(
            context.inbox(),
            {
              conversationId: conversation.id,
              channelId: conversation.channelId,
              feature: 'auto-ack',
              authorName: 'Auto-reply',
              text: override ?? promise(conversation, answered?.text ?? '', receivedAt),
              key: conversation.id,
              ...(answered ? { after: receivedAt } : {}),
            },
            false,
          );
        }
      },
    };
  },
});
