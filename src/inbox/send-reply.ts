import { z } from 'zod';
import { agentUploadScope } from '../domain/attachment.js';
import { newId } from '../domain/ids.js';
import { MAX_TEXT, type Message } from '../domain/message.js';
import { getConversation } from '../store/conversations.js';
import { previewOf } from '../store/ingest.js';
import { toContact, toConversation, toMessage } from '../store/mappers.js';
import { getMessage } from '../store/messages.js';
import { insertReply } from '../store/outbound.js';
import type { Agent } from './agents.js';
import { announce, type InboxDeps } from './deps.js';
import { InboxError } from './errors.js';

export const ReplyInput = z
  .object({
    text: z.string().max(MAX_TEXT).default(''),
    private: z.boolean().default(false),
    attachments: z.array(z.string().max(64)).max(10).default([]),
    replyToExternalId: z.string().max(512).optional(),
  })
  .refine((v) => v.text.trim().length > 0 || v.attachments.length > 0, { message: 'text or attachments required', path: ['text'] });
export type ReplyInput = z.infer<typeof ReplyInput>;

/**
 * An agent's reply or private note. The reply is saved `queued` and its outbound job id is the
 * message id, so saving twice or enqueueing twice sends once; the sweeper re-enqueues a reply
 * whose enqueue was lost (DESIGN §4). A repeated `Idempotency-Key` returns the first message.
 */
export async function sendReply(
  deps: InboxDeps,
  agent: Agent,
  conversationId: string,
  input: ReplyInput,
  idempotencyKey?: string,
): Promise<{ message: Message; created: boolean }> {
  if (idempotencyKey) {
    const previous = await findByIdempotencyKey(deps, agent.id, idempotencyKey);
    if (previous) return replayed(previous, conversationId);
  }
  const channelId = await channelOfConversation(deps, conversationId);
  if (!channelId) throw new InboxError(404, 'not_found', 'conversation not found');
  const adapter = deps.adapters.get(channelId);
  if (!input.private && !adapter) throw new InboxError(409, 'channel_unavailable', `channel ${channelId} is not configured`);
  const text = input.text.trim();
  if (!input.private && adapter && input.attachments.length > 0 && !adapter.capabilities.attachments) {
    throw new InboxError(400, 'validation', `attachments: channel ${adapter.id} cannot send attachments`);
  }
  const messageId = newId();
  const now = new Date();
  if (input.attachments.length === 0) return saveWithoutFiles(deps, agent, conversationId, input, text, messageId, now, idempotencyKey);
  const owner = agentUploadScope(agent.id);
  try {
    await deps.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('messages')
        .values({
          id: messageId,
          conversation_id: conversationId,
          channel_id: channelId,
          direction: 'outbound',
          author_type: 'agent',
          author_id: agent.id,
          author_name: agent.name,
          text,
          html: null,
          private: input.private,
          status: input.private ? 'sent' : 'queued',
          error: null,
          external_id: null,
          reply_to_external_id: input.replyToExternalId ?? null,
          client_message_id: null,
          idempotency_key: idempotencyKey ?? null,
          raw: null,
          created_at: now,
          sent_at: input.private ? now : null,
          updated_at: now,
        })
        .execute();
      if (input.attachments.length > 0) {
        const linked = await trx
          .updateTable('attachments')
          .set({ message_id: messageId })
          .where('id', 'in', input.attachments)
          .where('owner', '=', owner)
          .where('message_id', 'is', null)
          .executeTakeFirst();
        if (Number(linked.numUpdatedRows) !== input.attachments.length) {
          throw new InboxError(400, 'validation', 'attachments: unknown, foreign or already used attachment id');
        }
      }
      await trx
        .updateTable('conversations')
        .set((eb) => ({
          last_message_at: now,
          // An internal note is never the list's preview: it would read like something the customer saw.
          ...(input.private
            ? {}
            : {
                last_message_preview: previewOf({ text, attachments: input.attachments.map(() => ({ kind: 'file' })) }),
                first_response_at: eb.fn.coalesce('first_response_at', eb.val(now)),
                waiting_since: null,
              }),
        }))
        .where('id', '=', conversationId)
        .execute();
    });
  } catch (error) {
    // Two requests with the same Idempotency-Key raced: the unique index let one through.
    if (idempotencyKey && isUniqueViolation(error)) {
      const winner = await findByIdempotencyKey(deps, agent.id, idempotencyKey);
      if (winner) return replayed(winner, conversationId);
    }
    throw error;
  }
  if (!input.private) await enqueueOrLeaveToSweeper(deps, channelId, messageId);
  const [saved, updated] = await Promise.all([getMessage(deps.db, messageId), getConversation(deps.db, conversationId)]);
  const message = saved!;
  await announce(deps, async () => {
    await deps.bus.publish({ type: 'message.created', data: message });
    if (updated) await deps.bus.publish({ type: 'conversation.updated', data: updated });
  });
  return { message, created: true };
}

/** The common reply (no files): one statement saves it, and the announcement needs no reads. */
async function saveWithoutFiles(
  deps: InboxDeps,
  agent: Agent,
  conversationId: string,
  input: ReplyInput,
  text: string,
  messageId: string,
  now: Date,
  idempotencyKey: string | undefined,
): Promise<{ message: Message; created: boolean }> {
  let saved;
  try {
    saved = await insertReply(deps.db, {
      id: messageId,
      conversationId,
      agentId: agent.id,
      agentName: agent.name,
      text,
      private: input.private,
      replyToExternalId: input.replyToExternalId ?? null,
      idempotencyKey: idempotencyKey ?? null,
      preview: previewOf({ text, attachments: [] }),
      at: now,
    });
  } catch (error) {
    // Two requests with the same Idempotency-Key raced: the unique index let one through.
    if (idempotencyKey && isUniqueViolation(error)) {
      const winner = await findByIdempotencyKey(deps, agent.id, idempotencyKey);
      if (winner) return replayed(winner, conversationId);
    }
    throw error;
  }
  if (!saved) throw new InboxError(404, 'not_found', 'conversation not found');
  if (!input.private) await enqueueOrLeaveToSweeper(deps, saved.conversation.channel_id, messageId);
  const message = toMessage(saved.message, []);
  const conversation = toConversation(saved.conversation, toContact(saved.contact, saved.identities));
  await announce(deps, () =>
    deps.bus.publishAll([
      { type: 'message.created', data: message },
      { type: 'conversation.updated', data: conversation },
    ]),
  );
  return { message, created: true };
}

/** Queues a saved outbound message; if Redis refuses, the outbound sweeper queues it once Redis is back. */
export async function enqueueOrLeaveToSweeper(deps: Pick<InboxDeps, 'queues' | 'logger'>, channelId: string, messageId: string): Promise<void> {
  try {
    await enqueueDelivery(deps, channelId, messageId);
  } catch (error) {
    deps.logger.warn({ err: error, message: messageId }, 'outbound message saved, enqueue deferred to the sweeper');
  }
}

/**
 * A conversation's channel never changes, so it is remembered: a burst of replies to the same
 * conversations costs no lookups. A conversation deleted meanwhile still fails to save (404).
 */
const channels = new Map<string, string>();
async function channelOfConversation(deps: InboxDeps, conversationId: string): Promise<string | undefined> {
  const known = channels.get(conversationId);
  if (known) return known;
  const row = await deps.db.selectFrom('conversations').select('channel_id').where('id', '=', conversationId).executeTakeFirst();
  if (!row) return undefined;
  if (channels.size >= 10_000) channels.delete(channels.keys().next().value!);
  channels.set(conversationId, row.channel_id);
  return row.channel_id;
}

/** A repeated Idempotency-Key returns the first message — but only for the same conversation. */
function replayed(previous: Message, conversationId: string): { message: Message; created: false } {
  if (previous.conversationId !== conversationId) throw new InboxError(409, 'idempotency_conflict', 'Idempotency-Key was already used for another conversation');
  return { message: previous, created: false };
}

export async function enqueueDelivery(deps: Pick<InboxDeps, 'queues'>, channelId: string, messageId: string): Promise<void> {
  await deps.queues.outbound(channelId).add('send', { messageId }, { jobId: messageId });
}

async function findByIdempotencyKey(deps: InboxDeps, agentId: string, key: string): Promise<Message | undefined> {
  const row = await deps.db.selectFrom('messages').select('id').where('author_id', '=', agentId).where('idempotency_key', '=', key).executeTakeFirst();
  return row ? getMessage(deps.db, row.id) : undefined;
}

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === '23505';
}
