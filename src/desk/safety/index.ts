import { z } from 'zod';
import { ChannelKind } from '../../domain/channel.js';
import type { Message } from '../../domain/message.js';
import { ApiError } from '../../api/errors.js';
import type { Implementation } from '../../api/handler.js';
import { escalate } from '../../inbox/escalate.js';
import { customerTexts } from '../../store/messages.js';
import { safetyRoutes } from './api.js';
import { explorerLinks, findTransferDetails, type TransferDetail } from './transfers.js';
import { sendAutomatic } from '../../inbox/send-automatic.js';
import { defineDeskFeature, type Refusal } from '../feature.js';
import { flag } from '../settings-types.js';
import { filterFile, filterInbound, SAFETY, SECRET_LABEL } from './filter.js';
import { createReplyGuard, type ReplyGuard } from './guard.js';
import { languageOf } from './redact.js';
import { builtInRules, type MessageKey, rulesFor, type TermMatcher } from './rules.js';
import { triageMatcher } from './triage.js';

/** Where scammers pose as support: the anti-impersonation footer goes there by default. */
const PUBLIC_FACING: ChannelKind[] = ['telegram', 'discord', 'x', 'wechat'];

const Settings = z.object({
  safety: z
    .object({
      /** On by default: a wallet team gets it with no configuration. */
      enabled: flag.default(true),
      /** Phrasings agents may use although the guard would read them as a request ("send us the screenshot of the error"). */
      allowedPhrasings: z.array(z.string().trim().min(3).max(300)).max(200).default([]),
      /** More urgent-triage terms, any language, beside those of `rules/<lang>.json`. */
      triageTerms: z.array(z.string().trim().min(2).max(100)).max(500).default([]),
      /** The anti-impersonation line under the first reply; `false` turns it off. */
      footer: z
        .union([
          z.literal(false),
          z.object({
            en: z.string().trim().min(1).max(500).optional(),
            zh: z.string().trim().min(1).max(500).optional(),
            channels: z.array(ChannelKind).default(PUBLIC_FACING),
          }),
        ])
        .prefault({}),
      /** Block-explorer links of the transfer details panel: chain → URL with `{value}` (and `{kind}`: tx/address). */
      explorers: z.record(z.string().max(20), z.string().max(300).regex(/\{value\}/, 'must contain {value}')).default({}),
    })
    .prefault({}),
});
export type SafetySettings = z.infer<typeof Settings>['safety'];

/** How many of the customer's latest messages the transfer details are read from. */
const TRANSFER_MESSAGES = 500;

/** Compiled matchers of one version of the settings (rebuilt when an admin edits them). */
interface Compiled {
  readonly triage: TermMatcher;
  readonly guard: ReplyGuard;
}

const say = (language: string, key: MessageKey): string => rulesFor(language).messages[key];

/** The warning a redaction calls for: one per conversation and group (a phrase, a key). */
const warningOf = (message: Message): 'warning.recovery-phrase' | 'warning.private-key' | undefined =>
  message.redactions.some((r) => r.kind === 'recovery-phrase') ? 'warning.recovery-phrase' : message.redactions.length > 0 ? 'warning.private-key' : undefined;

/**
 * Wallet safety (DESIGN §10): recovery phrases and private keys never stored, replies that ask
 * for them refused, theft reports and exposed secrets made urgent at once, and a line under the
 * first reply saying official support never asks for a phrase.
 */
export const safety = defineDeskFeature({
  name: 'safety',
  settings: Settings,
  contract: safetyRoutes,
  create(context, settings) {
    let compiledFor: SafetySettings | undefined;
    let compiled: Compiled | undefined;
    const current = (): Compiled => {
      const s = settings().safety;
      if (s !== compiledFor || !compiled) {
        compiled = { triage: triageMatcher(builtInRules, s.triageTerms), guard: createReplyGuard(builtInRules, s.allowedPhrasings) };
        compiledFor = s;
      }
      return compiled;
    };

    const warn = async (message: Message, channelId: string, unreachable: boolean): Promise<void> => {
      const key = warningOf(message);
      if (!key) return;
      await sendAutomatic(
        context.inbox(),
        {
          conversationId: message.conversationId,
          channelId,
          feature: 'safety',
          authorName: 'Safety',
          text: say(languageOf(message.text), key),
          key: `${message.conversationId}:${key}`,
          after: new Date(message.createdAt),
        },
        unreachable,
      );
    };

    const api: Implementation<typeof safetyRoutes> = {
      contract: safetyRoutes,
      json: { limit: '1kb', beforeAuth: false },
      handlers: {
        async transferDetails({ params }) {
          const texts = await customerTexts(context.inbox().db, params.id, TRANSFER_MESSAGES);
          if (!texts) throw new ApiError(404, 'not_found', 'conversation not found');
          const byValue = new Map<string, { detail: TransferDetail; messageId: string; mentions: number }>();
          for (const { id, text } of texts) {
            for (const detail of findTransferDetails(text)) {
              const seen = byValue.get(detail.value);
              if (seen) seen.mentions += 1;
              else byValue.set(detail.value, { detail, messageId: id, mentions: 1 });
            }
          }
          const explorers = settings().safety.explorers;
          return {
            items: [...byValue.values()].map(({ detail, messageId, mentions }) => ({
              kind: detail.kind,
              value: detail.value,
              chains: [...detail.chains],
              links: explorerLinks(detail, explorers),
              messageId,
              mentions,
            })),
          };
        },
      },
    };

    return {
      api: { contract: safetyRoutes, mount: (mounter) => mounter(api) },
      inbound(message) {
        return settings().safety.enabled ? filterInbound(message, current().triage) : message;
      },
      file(file) {
        return settings().safety.enabled ? filterFile(file) : { bytes: file.bytes, redactions: [] };
      },
      guardReply(draft): Refusal | undefined {
        if (!settings().safety.enabled) return undefined;
        const reason = current().guard.check(draft.text, { private: draft.private });
        if (!reason) return undefined;
        // In the API's language; the inbox shows `unsafe_content` in the agent's own.
        return { code: 'unsafe_content', message: say('en', `refusal.${reason}`) };
      },
      replyFooter(draft, firstReply) {
        const s = settings().safety;
        if (!s.enabled || s.footer === false || !firstReply) return undefined;
        const kind = context.channels.get(draft.channelId)?.kind;
        if (!kind || !s.footer.channels.includes(kind)) return undefined;
        const lang = languageOf(draft.text);
        return (lang === 'zh' ? s.footer.zh : s.footer.en) ?? say(lang, 'footer');
      },
      async onEvents(batches, view) {
        if (!settings().safety.enabled) return;
        for (const event of batches.flatMap((b) => b.events)) {
          const redactedLater = event.type === 'message.redacted';
          if (!redactedLater && !(event.type === 'message.created' && event.author === 'contact')) continue;
          const message = view.message(event.messageId);
          if (!message || message.redactions.length === 0) continue;
          const conversation = view.conversation(event.conversationId);
          if (!conversation) continue;
          await warn(message, conversation.channelId, conversation.customerUnreachable !== null);
          // A secret seen at the door escalated the conversation in the ingest transaction already.
          if (redactedLater) await escalate(context.inbox(), event.conversationId, { reason: 'secret-exposed', labels: [SECRET_LABEL], by: SAFETY });
        }
      },
    };
  },
});
