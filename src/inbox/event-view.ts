import type { Conversation } from '../domain/conversation.js';
import type { Message } from '../domain/message.js';
import { getConversations } from '../store/conversations.js';
import type { Db } from '../store/database.js';
import { messagesById } from '../store/messages.js';
import type { OutboxBatch } from '../store/outbox.js';

/** Objects a writer already has at hand when it dispatches its own events (no re-read). */
export interface Snapshot {
  readonly conversations?: readonly Conversation[];
  readonly messages?: readonly Message[];
}

/**
 * The conversations and messages that dispatched events name, as they are now: from the writer's
 * snapshot where it has them, else read once for all consumers of a dispatch (two queries for
 * any number of events).
 */
export interface EventView {
  load(batches: readonly OutboxBatch[]): Promise<void>;
  conversation(id: string): Conversation | undefined;
  message(id: string): Message | undefined;
}

export function createEventView(db: Db, snapshot: Snapshot = {}): EventView {
  const conversations = new Map((snapshot.conversations ?? []).map((c) => [c.id, c]));
  const messages = new Map((snapshot.messages ?? []).map((m) => [m.id, m]));
  const tried = new Set<string>();
  return {
    async load(batches) {
      const wantConversations = new Set<string>();
      const wantMessages = new Set<string>();
      for (const { events } of batches) {
        for (const event of events) {
          if (!conversations.has(event.conversationId) && !tried.has(event.conversationId)) wantConversations.add(event.conversationId);
          if ('messageId' in event && !messages.has(event.messageId) && !tried.has(event.messageId)) wantMessages.add(event.messageId);
        }
      }
      const [readConversations, readMessages] = await Promise.all([getConversations(db, [...wantConversations]), messagesById(db, [...wantMessages])]);
      for (const id of [...wantConversations, ...wantMessages]) tried.add(id);
      for (const c of readConversations) conversations.set(c.id, c);
      for (const m of readMessages) messages.set(m.id, m);
    },
    conversation: (id) => conversations.get(id),
    message: (id) => messages.get(id),
  };
}
