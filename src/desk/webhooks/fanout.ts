import type { Conversation } from '../../domain/conversation.js';
import type { DispatchedEvent } from '../../domain/events.js';
import type { Message } from '../../domain/message.js';
import type { WebhookEndpoint } from '../../store/webhooks.js';
import type { DeliveryInput } from './deliveries.js';

/**
 * Which endpoints get which events (pure). An endpoint gets an event when it subscribes to its
 * type (or `*`), its channels filter (if any) names the conversation's channel id or kind, and its
 * `handledBy` filter (if any) is who handles the conversation now.
 */

/** The event's type as receivers know it, or undefined when no receiver gets it. */
export function webhookTypeOf(event: DispatchedEvent): string | undefined {
  // A change of nothing but the service-level clocks is bookkeeping, not news to a receiver.
  if (event.type === 'conversation.updated' && event.only === 'sla') return undefined;
  return event.type;
}

export const subscribes = (endpoint: Pick<WebhookEndpoint, 'events'>, type: string): boolean => endpoint.events.includes('*') || endpoint.events.includes(type);

export function matches(endpoint: WebhookEndpoint, type: string, conversation: Conversation): boolean {
  if (!endpoint.enabled || !subscribes(endpoint, type)) return false;
  if (endpoint.channels && !endpoint.channels.includes(conversation.channelId) && !endpoint.channels.includes(conversation.channelKind)) return false;
  if (endpoint.handledBy && endpoint.handledBy !== conversation.handledBy) return false;
  // An agent bot's endpoint (issue 18 part 3) gets only the conversations opened for that bot.
  if (endpoint.ownerAgentId !== null && conversation.botId !== endpoint.ownerAgentId) return false;
  return true;
}

export interface ObjectsOf {
  conversation(id: string): Conversation | undefined;
  message(id: string): Message | undefined;
}

/**
 * The deliveries for a batch of dispatched events: key = the event's id (`<outbox row>.<index>`,
 * the same when the batch comes again), so a redelivered batch creates nothing new. The payload is
 * the object as it is now (a message's text is already without any secret, DESIGN §10).
 */
export function deliveriesFor(events: readonly DispatchedEvent[], endpoints: readonly WebhookEndpoint[], objects: ObjectsOf): DeliveryInput[] {
  const out: DeliveryInput[] = [];
  for (const event of events) {
    const type = webhookTypeOf(event);
    if (!type) continue;
    const conversation = objects.conversation(event.conversationId);
    // Gone since (erased): nothing to tell.
    if (!conversation) continue;
    const payload: Conversation | Message | undefined = 'messageId' in event && type.startsWith('message.') ? objects.message(event.messageId) : conversation;
    if (!payload) continue;
    for (const endpoint of endpoints) {
      if (matches(endpoint, type, conversation)) out.push({ endpointId: endpoint.id, eventType: type, payload, key: event.id, conversationId: conversation.id });
    }
  }
  return out;
}
