import { z } from 'zod';
import { agentUploadScope } from '../domain/attachment.js';
import { newId } from '../domain/ids.js';
import { MAX_TEXT, type Message } from '../domain/message.js';
import type { Agent } from '../agents/agents.js';
import { enqueueOrLeaveToSweeper } from '../queue/producers.js';
import { previewOf } from '../store/conversation-touch.js';
import { isUniqueViolation } from '../store/database.js';
import { toContact, toConversation, toMessage } from '../store/mappers.js';
import { claimUploads } from '../store/message-rows.js';
import { getMessage } from '../store/messages.js';
import type { Cause } from '../store/outbox.js';
import { channelOfConversation, hasAgentReply, insertReply, messageIdByIdempotencyKey, type NewReply } from '../store/replies.js';
import { botHolds } from './bot-access.js';
import type { InboxDeps } from './deps.js';
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
 * An agent's reply or private note. The desk's reply guards see it first (a reply asking for a
 * recovery phrase is refused). The reply is saved `queued` with its events and its outbound job
 * id is the message id, so saving twice or enqueueing twice sends once; the sweeper re-enqueues a
 * reply whose enqueue was lost (DESIGN §4). A repeated `Idempotency-Key` returns the first message.
 * `cause`: an automation rule's action (its events carry the rules' chain, issue 18). It is the
 * desk's automatic message (`author.type: bot`), like an acknowledgement: it answers nobody, so it
 * neither counts as the team's first response nor takes a conversation over from a bot.
 */
export async function sendReply(
  deps: InboxDeps,
  agent: Agent,
  conversationId: string,
  input: ReplyInput,
  idempotencyKey?: string,
  cause?: Cause,
): Promise<{ message: Message; created: boolean }> {
  if (idempotencyKey) {
    const previous = await findByIdempotencyKey(deps, agent.id, idempotencyKey);
    if (previous) return replayed(previous, conversationId);
  }
  const channelId = await channelOf(deps, conversationId);
  if (!channelId) throw new InboxError(404, 'not_found', 'conversation not found');
  const adapter = deps.adapters.get(channelId);
  if (!input.private && !adapter) throw new InboxError(409, 'channel_unavailable', `channel ${channelId} is not configured`);
  const text = input.text.trim();
  if (!input.private && adapter && input.attachments.length > 0 && !adapter.capabilities.attachments) {
    throw new InboxError(400, 'validation', `attachments: channel ${adapter.id} cannot send attachments`);
  }
  const bot = agent.role === 'bot';
  // A bot writes only where it holds the conversation (checked again, atomically, when saving).
  if (bot) await botHolds(deps, agent, conversationId);
  const draft = { conversationId, channelId, text, private: input.private, agent };
  await deps.desk.guardReply(draft);
  const decorated = await deps.desk.decorateReply(draft, async () => !(await hasAgentReply(deps.db, conversationId)));
  const reply: NewReply = {
    id: newId(),
    conversationId,
    channelId,
    author: { type: bot || cause ? 'bot' : 'agent', id: agent.id, name: agent.name },
    text: decorated,
    private: input.private,
    automatic: cause !== undefined,
    replyToExternalId: input.replyToExternalId ?? null,
    idempotencyKey: idempotencyKey ?? null,
    preview: previewOf({ text: decorated, attachments: input.attachments.map(() => ({ kind: 'file' })) }),
    at: new Date(),
    ...(cause ? { cause } : {}),
    ...(bot ? { onlyBot: agent.id } : {}),
  };
  let saved;
  try {
    saved = input.attachments.length === 0 ? await insertReply(deps.db, reply) : await saveWithFiles(deps, reply, agentUploadScope(agent.id), input.attachments);
  } catch (error) {
    // Two requests with the same Idempotency-Key raced: the unique index let one through.
    if (idempotencyKey && isUniqueViolation(error)) {
      const winner = await findByIdempotencyKey(deps, agent.id, idempotencyKey);
      if (winner) return replayed(winner, conversationId);
    }
    throw error;
  }
  if (!saved) {
    // Handed to the team between the check and the save.
    if (bot) await botHolds(deps, agent, conversationId);
    throw new InboxError(404, 'not_found', 'conversation not found');
  }
  if (!input.private) await enqueueOrLeaveToSweeper(deps, channelId, reply.id);
  const message = input.attachments.length === 0 ? toMessage(saved.message, []) : (await getMessage(deps.db, reply.id))!;
  const conversation = toConversation(saved.conversation, toContact(saved.contact, saved.identities));
  await deps.dispatcher.dispatch([saved.batch], { messages: [message], conversations: [conversation] });
  return { message, created: true };
}

/** The same statement inside a transaction that also links the agent's uploads, all or none. */
async function saveWithFiles(deps: InboxDeps, reply: NewReply, owner: string, attachments: readonly string[]) {
  return deps.db.transaction().execute(async (trx) => {
    const saved = await insertReply(trx, reply);
    if (!saved) return undefined;
    if ((await claimUploads(trx, reply.id, owner, attachments)).count !== attachments.length) {
      throw new InboxError(400, 'validation', 'attachments: unknown, foreign or already used attachment id');
    }
    return saved;
  });
}

/**
 * A conversation's channel never changes, so it is remembered: a burst of replies to the same
 * conversations costs no lookups. A conversation deleted meanwhile still fails to save (404).
 */
const channels = new Map<string, string>();
async function channelOf(deps: InboxDeps, conversationId: string): Promise<string | undefined> {
  const known = channels.get(conversationId);
  if (known) return known;
  const channelId = await channelOfConversation(deps.db, conversationId);
  if (!channelId) return undefined;
  if (channels.size >= 10_000) channels.delete(channels.keys().next().value!);
  channels.set(conversationId, channelId);
  return channelId;
}

/** A repeated Idempotency-Key returns the first message — but only for the same conversation. */
function replayed(previous: Message, conversationId: string): { message: Message; created: false } {
  if (previous.conversationId !== conversationId) throw new InboxError(409, 'idempotency_conflict', 'Idempotency-Key was already used for another conversation');
  return { message: previous, created: false };
}

async function findByIdempotencyKey(deps: InboxDeps, agentId: string, key: string): Promise<Message | undefined> {
  const id = await messageIdByIdempotencyKey(deps.db, agentId, key);
  return id ? getMessage(deps.db, id) : undefined;
}
