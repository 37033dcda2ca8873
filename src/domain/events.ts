import type { Conversation } from './conversation.js';
import type { Message } from './message.js';

/** Realtime events of DESIGN §7, fanned out through Redis pub/sub. */
export type InboxEvent =
  | { type: 'conversation.created'; data: Conversation }
  | { type: 'conversation.updated'; data: Conversation }
  | { type: 'message.created'; data: Message }
  | { type: 'message.updated'; data: Message };

export type InboxEventType = InboxEvent['type'];
