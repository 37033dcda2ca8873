import { z } from 'zod';
import { ApiError } from '../../api/errors.js';
import type { Implementation } from '../../api/handler.js';
import type { Agent } from '../../domain/agent.js';
import type { Conversation } from '../../domain/conversation.js';
import type { Message } from '../../domain/message.js';
import { sendAutomatic } from '../../inbox/send-automatic.js';
import type { AuditActor } from '../../store/audit.js';
import {
  insertLink,
  isApiToken,
  type LinkOutcome,
  MergeRefusal,
  type MergeRow,
  mergeById,
  mergeContacts,
  mergesInto,
  mergeSuggestions,
  undoMerge,
  useLink,
} from '../../store/identity.js';
import { customerTexts } from '../../store/messages.js';
import type { OutboxBatch } from '../../store/outbox.js';
import { defineDeskFeature } from '../feature.js';
import { type Lang, languageOf } from '../language.js';
import { identityRoutes } from './api.js';
import { codeMessageOf, identityKey, maskCode, newCode, verifyCode } from './code.js';
import { instructions, type LinkReply, replyAuthor, replyText } from './wording.js';

const DEFAULT_TTL_MS = 10 * 60_000;
const SYSTEM: AuditActor = { type: 'system', id: 'desk.identity', name: 'Identity' };

const mergeView = (row: MergeRow & { merged_name?: string }) => ({
  id: row.id,
  keptContactId: row.kept_contact_id,
  mergedContactId: row.merged_contact_id,
  ...(row.merged_name ? { mergedName: row.merged_name } : {}),
  by: row.by,
  reason: row.reason,
  at: row.at.toISOString(),
  undoneAt: row.undone_at ? row.undone_at.toISOString() : null,
});

const refusal = (error: unknown): never => {
  if (error instanceof MergeRefusal) throw new ApiError(error.code === 'not_found' ? 404 : 409, error.code, error.message);
  throw error;
};

const replyOf = (outcome: LinkOutcome): LinkReply => {
  switch (outcome.kind) {
    case 'linked':
    case 'merged':
    case 'already':
      return 'linked';
    case 'other_user':
      return 'other_user';
    case 'expired':
      return 'expired';
    case 'used':
      return 'used';
    case 'unknown':
      return 'invalid';
  }
};

/**
 * Verified identity links (issue 17): the app's backend asks for a code for its logged-in user
 * (`POST /api/identity-links`); the user sends it on a channel, and that contact gets the app's
 * user id — merged, recorded and reversibly, into the contact that already had it. Agents merge
 * contacts only explicitly (suggestions are shown, never applied) and can undo any merge.
 */
export const identity = defineDeskFeature({
  name: 'identity',
  settings: z.object({
    identity: z
      .object({
        /** The Telegram bot's username (without @), for `https://t.me/<bot>?start=<code>` deep links. */
        telegramBot: z
          .string()
          .trim()
          .regex(/^@?[A-Za-z][A-Za-z0-9_]{3,31}$/, 'a Telegram bot username such as MyWalletSupportBot')
          .transform((name) => name.replace(/^@/, ''))
          .nullable()
          .default(null),
      })
      .prefault({}),
  }),
  contract: identityRoutes,
  create(context, settings) {
    const key = identityKey(context.secretKey);
    const deps = () => context.inbox();
    const dispatch = async (batch: OutboxBatch | undefined): Promise<void> => {
      if (batch) await deps().dispatcher.dispatch([batch]);
    };
    const actorOf = async (agent: Agent, bearer: string | undefined): Promise<AuditActor> =>
      (await isApiToken(deps().db, bearer)) ? { type: 'api', id: agent.id, name: agent.name } : { type: 'agent', id: agent.id, name: agent.name };

    /** The customer's language from what else they wrote; unknown when the code is all there is. */
    const langOf = async (conversationId: string, message: Message, prefix: string): Promise<Lang | undefined> => {
      if (/绑定/.test(prefix)) return 'zh';
      const texts = ((await customerTexts(deps().db, conversationId, 6)) ?? []).filter((t) => t.id !== message.id && codeMessageOf(t.text) === undefined).map((t) => t.text);
      const words = texts.join(' ');
      if (/\p{Script=Han}/u.test(words)) return 'zh';
      return /\p{L}{2,}/u.test(words) ? languageOf(words) : undefined;
    };

    const onCustomerMessage = async (conversation: Conversation, message: Message): Promise<void> => {
      const found = codeMessageOf(message.text);
      if (!found) return;
      let outcome: LinkOutcome;
      if (found.kind === 'code') {
        const checked = verifyCode(key, found.code);
        outcome = checked.ok ? await useLink(deps().db, checked.nonce, conversation.contact.id, SYSTEM, conversation.channelKind, new Date(message.createdAt)) : { kind: 'unknown' };
      } else {
        outcome = await useLink(deps().db, found.nonce, conversation.contact.id, SYSTEM, conversation.channelKind, new Date(message.createdAt));
      }
      if (outcome.kind === 'linked' || outcome.kind === 'merged') {
        await dispatch(outcome.batch);
        context.logger.info({ conversation: conversation.id, contact: outcome.contactId, merged: outcome.kind === 'merged' }, 'identity linked');
      } else if (outcome.kind !== 'already') {
        context.logger.info({ conversation: conversation.id, outcome: outcome.kind }, 'identity link code refused');
      }
      const lang = await langOf(conversation.id, message, found.prefix);
      await sendAutomatic(
        deps(),
        {
          conversationId: conversation.id,
          channelId: conversation.channelId,
          feature: 'identity',
          authorName: replyAuthor(lang),
          text: replyText(replyOf(outcome), lang),
          key: `identity.${message.id}`,
          after: new Date(message.createdAt),
        },
        conversation.customerUnreachable !== null,
      );
    };

    const api: Implementation<typeof identityRoutes> = {
      contract: identityRoutes,
      json: { limit: '16kb', beforeAuth: false },
      handlers: {
        async createIdentityLink({ body, agent, bearer, setStatus }) {
          // The app's backend (an API token) or an admin: an agent's sign-in must not mint links.
          if (agent.role !== 'admin' && !(await isApiToken(deps().db, bearer))) throw new ApiError(403, 'forbidden', 'identity links need an API token or an admin');
          const { nonce, code } = newCode(key);
          const expiresAt = new Date(Date.now() + (body.ttl ?? DEFAULT_TTL_MS));
          await insertLink(deps().db, { nonce, userId: body.userId, createdBy: agent.id, expiresAt });
          const bot = settings().identity.telegramBot;
          const telegram = bot ? `https://t.me/${bot}?start=${code}` : undefined;
          setStatus(201);
          return { code, expiresAt: expiresAt.toISOString(), ...(telegram ? { telegram } : {}), instructions: instructions(code, expiresAt, telegram) };
        },
        async mergeContact({ params, body, agent, bearer, setStatus }) {
          const by = await actorOf(agent, bearer);
          const { mergeId, batch } = await mergeContacts(deps().db, { keptId: params.id, mergedId: body.otherContactId, by, reason: body.reason }).catch(refusal);
          await dispatch(batch);
          const row = await mergeById(deps().db, mergeId);
          setStatus(201);
          return mergeView(row!);
        },
        async undoContactMerge({ params, agent, bearer }) {
          const { merge, batch } = await undoMerge(deps().db, params.id, await actorOf(agent, bearer)).catch(refusal);
          await dispatch(batch);
          return mergeView(merge);
        },
        async contactMergeSuggestions({ params }) {
          const items = await mergeSuggestions(deps().db, params.id);
          if (!items) throw new ApiError(404, 'not_found', `no contact with id ${params.id}`);
          return {
            items: items.map((s) => ({ contact: { id: s.id, name: s.name, email: s.email, userId: s.user_id }, reasons: s.reasons })),
            merges: (await mergesInto(deps().db, params.id)).map(mergeView),
          };
        },
      },
    };

    return {
      inbound: (message) => {
        // A valid code never reaches the record whole: the stored text keeps its nonce only.
        const text = maskCode(key, message.text);
        return text === message.text ? message : { ...message, text };
      },
      async onEvents(batches, view) {
        for (const event of batches.flatMap((b) => b.events)) {
          if (event.type !== 'message.created' || event.author !== 'contact') continue;
          const message = view.message(event.messageId);
          // The cheap test first: almost no message is a code.
          if (!message || message.private || !codeMessageOf(message.text)) continue;
          const conversation = view.conversation(event.conversationId);
          if (conversation) await onCustomerMessage(conversation, message);
        }
      },
      api: { contract: identityRoutes, mount: (mounter) => mounter(api) },
    };
  },
});
