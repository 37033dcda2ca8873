import type { DispatchedEvent, InboxEvent } from '../domain/events.js';
import type { EventBus } from '../realtime/bus.js';
import type { EventConsumer } from './dispatcher.js';
import type { EventView } from './event-view.js';

/** Domain events → the inbox's realtime events (DESIGN §7), each batch published at most once. */
export function realtimeConsumer(bus: EventBus): EventConsumer {
  return {
    name: 'realtime',
    async consume(batches, view) {
      await bus.publishOnce(batches.map((batch) => ({ id: batch.id, events: batch.events.flatMap((event) => toInboxEvent(event, view)) })));
    },
  };
}

/** An object deleted meanwhile has nothing left to show. */
function toInboxEvent(event: DispatchedEvent, view: EventView): InboxEvent[] {
  switch (event.type) {
    case 'conversation.created':
    case 'conversation.updated':
    case 'conversation.escalated':
    case 'conversation.sla_breached':
    case 'conversation.sla_warning':
    case 'csat.received': {
      const data = view.conversation(event.conversationId);
      return data ? [{ type: event.type, data }] : [];
    }
    case 'message.created':
    case 'message.updated':
    case 'message.redacted': {
      const data = view.message(event.messageId);
      return data ? [{ type: event.type, data }] : [];
    }
  }
}
