import { newId } from '../domain/ids.js';
import { enqueueOrLeaveToSweeper } from '../queue/producers.js';
import { previewOf } from '../store/conversation-touch.js';
import { isUniqueViolation } from '../store/database.js';
import { toContact, toConversation, toMessage } from '../store/mappers.js';
import { insertReply } from '../store/replies.js';
import type { StoredChoice } from '../store/schema.js';
import type { InboxDeps } from './deps.js';

export interface AutomaticMessage {
  readonly conversationId: string;
  readonly channelId: string;
  /** The desk feature sending it: its author id, so each feature's messages are told apart. */
  readonly feature: string;
  readonly authorName: string;
  readonly text: string;
  /**
   * What makes it "the same message" for this feature: one per conversation (`conversationId`),
   * or per conversation and kind. A second send with the same key is a no-op, so a redelivered
   * event never sends twice (DESIGN §10: at most once per trigger).
   */
  readonly key: string;
  /** Place it right after this time in the timeline (the message it answers), not at "now". */
  readonly after?: Date;
  /** A question with options (a survey), presented natively by channels that can. */
  readonly choice?: StoredChoice;
}

export type AutomaticOutcome = 'queued' | 'already-sent' | 'not-sent';

/**
 * A message the desk sends by itself (an acknowledgement, a safety warning), as `author.type:
 * bot`: saved `queued` with its event and delivered like a reply, but it answers nobody — the
 * conversation's first response and waiting time are untouched. Never to a channel this server
 * does not run, nor to a customer the channel reports unreachable.
 */
export async function sendAutomatic(deps: InboxDeps, message: AutomaticMessage, unreachable: boolean): Promise<AutomaticOutcome> {
  if (unreachable || !deps.adapters.has(message.channelId)) return 'not-sent';
  const at = new Date();
  const after = message.after ? new Date(message.after.getTime() + 1) : undefined;
  let saved;
  try {
    saved = await insertReply(deps.db, {
      id: newId(),
      conversationId: message.conversationId,
      channelId: message.channelId,
      author: { type: 'bot', id: `desk.${message.feature}`, name: message.authorName },
      text: message.text,
      private: false,
      automatic: true,
      replyToExternalId: null,
      idempotencyKey: message.key,
      preview: previewOf({ text: message.text, attachments: [] }),
      at,
      ...(after && after < at ? { createdAt: after } : {}),
      ...(message.choice ? { choice: message.choice } : {}),
    });
  } catch (error) {
    if (isUniqueViolation(error)) return 'already-sent';
    throw error;
  }
  if (!saved) return 'not-sent';
  await enqueueOrLeaveToSweeper(deps, message.channelId, saved.message.id);
  await deps.dispatcher.dispatch([saved.batch], {
    messages: [toMessage(saved.message, [])],
    conversations: [toConversation(saved.conversation, toContact(saved.contact, saved.identities))],
  });
  return 'queued';
}
