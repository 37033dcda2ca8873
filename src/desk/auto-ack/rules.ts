import type { Conversation } from '../../domain/conversation.js';
import type { DispatchedEvent } from '../../domain/events.js';

/**
 * Which new messages get an acknowledgement: the first message of a conversation, from the
 * customer (not a channel event, not machine mail — two auto-responders must not loop), to a
 * customer the channel can still reach (not one who blocked the bot or unsubscribed). The FAQ
 * bot answers its own conversations; its handoff tells the customer when a person will answer.
 */
export function acknowledges(event: DispatchedEvent, conversation: Conversation | undefined): event is Extract<DispatchedEvent, { type: 'message.created' }> {
  return (
    event.type === 'message.created' &&
    event.opened === true &&
    event.author === 'contact' &&
    event.automated !== true &&
    conversation !== undefined &&
    conversation.customerUnreachable === null &&
    conversation.handledBy !== 'bot'
  );
}
