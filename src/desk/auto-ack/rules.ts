import type { Conversation } from '../../domain/conversation.js';
import type { DispatchedEvent } from '../../domain/events.js';

/**
 * Which new messages get an acknowledgement: the first message of a conversation, from the
 * customer (not a channel event, not machine mail — two auto-responders must not loop), on a
 * channel with an acknowledgement text, to a customer the channel can still reach.
 */
export function acknowledges(event: DispatchedEvent, conversation: Conversation | undefined, text: string | undefined): event is Extract<DispatchedEvent, { type: 'message.created' }> {
  return (
    event.type === 'message.created' &&
    event.opened === true &&
    event.author === 'contact' &&
    event.automated !== true &&
    text !== undefined &&
    conversation !== undefined &&
    conversation.customerUnreachable === null
  );
}
