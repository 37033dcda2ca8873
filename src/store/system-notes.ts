import type { Transaction } from 'kysely';
import type { DomainEvent } from '../domain/events.js';
import { newId } from '../domain/ids.js';
import type { SystemNote } from '../domain/system-note.js';
import { outboundMessageRow } from './message-rows.js';
import type { Database } from './schema.js';

export interface NoteInput {
  readonly note: SystemNote;
  /** The English wording, kept in `text` for API clients and search. */
  readonly text: string;
}

/**
 * System lines in a conversation (visible to agents only), in the caller's transaction; returns
 * their `message.created` events. Each line is 1 ms after the previous one, so they keep their order.
 */
export async function insertSystemNotes(
  trx: Transaction<Database>,
  target: { conversationId: string; channelId: string },
  author: { id: string; name: string },
  notes: readonly NoteInput[],
  at: Date,
): Promise<DomainEvent[]> {
  if (notes.length === 0) return [];
  const rows = notes.map(({ note, text }, index) =>
    outboundMessageRow({
      id: newId(),
      conversationId: target.conversationId,
      channelId: target.channelId,
      author: { type: 'system', id: author.id, name: author.name },
      text,
      private: true,
      system: note,
      at: new Date(at.getTime() + index),
    }),
  );
  await trx.insertInto('messages').values(rows).execute();
  return rows.map((row) => ({ type: 'message.created', conversationId: target.conversationId, messageId: row.id, direction: 'outbound', author: 'system' }));
}
