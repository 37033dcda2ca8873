import { z } from 'zod';
import { sendAutomatic } from '../../inbox/send-automatic.js';
import { defineDeskFeature } from '../feature.js';
import { flag } from '../settings-types.js';
import { acknowledges } from './rules.js';

/**
 * The acknowledgement a customer gets when they open a conversation ("we got your message"),
 * once per conversation. Today its text is the channel's `autoReply`; `desk.autoAck: false`
 * turns it off everywhere.
 */
export const autoAck = defineDeskFeature({
  name: 'auto-ack',
  settings: z.object({ autoAck: flag.default(true) }),
  create(context, settings) {
    return {
      async onEvents(batches, view) {
        if (!settings().autoAck) return;
        for (const event of batches.flatMap((b) => b.events)) {
          const conversation = view.conversation(event.conversationId);
          const text = conversation ? context.channels.get(conversation.channelId)?.autoReply : undefined;
          if (!acknowledges(event, conversation, text) || !conversation || !text) continue;
          const answered = view.message(event.messageId);
          await sendAutomatic(
            context.inbox(),
            {
              conversationId: conversation.id,
              channelId: conversation.channelId,
              feature: 'auto-ack',
              authorName: 'Auto-reply',
              text,
              key: conversation.id,
              ...(answered ? { after: new Date(answered.createdAt) } : {}),
            },
            false,
          );
        }
      },
    };
  },
});
