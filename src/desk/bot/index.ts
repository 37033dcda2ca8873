import { z } from 'zod';
import { ApiError } from '../../api/errors.js';
import type { Implementation } from '../../api/handler.js';
import type { Conversation } from '../../domain/conversation.js';
import type { DomainEvent } from '../../domain/events.js';
import { newId } from '../../domain/ids.js';
import type { Message } from '../../domain/message.js';
import { botHolds } from '../../inbox/bot-access.js';
import { sendAutomatic } from '../../inbox/send-automatic.js';
import { answerById, type BotSubject, botSubject, handOff, openAnswer, recordAnswer, resolveByBot, selfServiceCounts } from '../../store/bot.js';
import { getConversation } from '../../store/conversations.js';
import type { OutboxBatch } from '../../store/outbox.js';
import type { DeskChannel } from '../feature.js';
import { defineDeskFeature } from '../feature.js';
import { type Lang, languageOf } from '../language.js';
import { flag } from '../settings-types.js';
import { serviceLevels } from '../sla/index.js';
import { promiseFor } from '../sla/promise.js';
import { botRoutes } from './api.js';
import { intentOf } from './intent.js';
import { answerText, botName, greetingText, handoffText, options, type Presentation, solvedText } from './wording.js';
import { customerLanguage } from '../customer-language.js';

/** Answers in one conversation before the bot stops guessing and hands it to a person. */
const MAX_ANSWERS = 3;
/** Only the first few hits are worth a look: the bot answers with the top one or not at all. */
const HITS = 3;
const BOT = { id: 'desk.bot', name: 'desk.bot' } as const;

const presentationOf = (channel: DeskChannel): Presentation => (channel.capabilities.buttons || channel.capabilities.menu ? 'tap' : 'text');

/**
 * The FAQ bot (issue 16, DESIGN §10 `desk.bot`). On the channels it is enabled for, a conversation
 * a customer opens starts as the bot's (`handledBy: bot`): no service-level clock runs and routing
 * does not assign it. For each customer question with a confident match in the knowledge base it
 * answers as `author.type: bot` with the article and two options in the channel's native form
 * ("This solved it" / "Talk to a person"); a confirmation resolves the conversation, a request for
 * a person ("human", "人工", a tap) — or no confident answer, an urgent case, too many answers —
 * hands it to the team for good: the customer is told when a person will answer, routing assigns
 * it and its clocks start. It never answers machine mail, an urgent case, or once a person replied.
 */
export const bot = defineDeskFeature({
  name: 'bot',
  settings: z.object({
    bot: z
      .object({
        enabled: flag.default(false),
        /** Channel kinds or ids it answers on. */
        channels: z.array(z.string().min(1).max(63)).max(100).default(['webchat', 'telegram']),
      })
      .default({ enabled: false, channels: ['webchat', 'telegram'] }),
  }),
  contract: botRoutes,
  create(context, settings) {
    const deps = () => context.inbox();
    const dispatch = async (batch: OutboxBatch | undefined): Promise<void> => {
      if (batch) await deps().dispatcher.dispatch([batch]);
    };
    const answersOn = (channelId: string, channelKind: string): boolean => {
      const s = settings().bot;
      return s.enabled && (s.channels.includes(channelId) || s.channels.includes(channelKind));
    };
    const langOf = async (conversationId: string, text: string): Promise<Lang> => {
      if (languageOf(text) === 'zh') return 'zh';
      return customerLanguage(deps().db, conversationId);
    };
    const say = async (subject: BotSubject, lang: Lang, text: string, key: string, extra: { after?: Date; choice?: { id: string; options: ReturnType<typeof options> } } = {}) =>
      sendAutomatic(deps(), { conversationId: subject.id, channelId: subject.channelId, feature: 'bot', authorName: botName(lang), text, key, ...extra }, subject.unreachable);

    /** To the team for good; the customer hears when a person will answer (not when an agent took it over: they are about to). */
    const handOver = async (subject: BotSubject, reason: 'asked' | 'no-answer' | 'unsolved' | 'urgent', lang: Lang, after?: Date): Promise<void> => {
      const at = new Date();
      const batch = await handOff(deps().db, subject.id, reason, BOT, at);
      if (!batch) return;
      await dispatch(batch);
      context.logger.info({ conversation: subject.id, reason }, 'the FAQ bot handed a conversation to the team');
      const conversation = await getConversation(deps().db, subject.id);
      if (!conversation) return;
      const promise = promiseFor(context.settingsOf(serviceLevels), conversation, lang, at);
      await say(subject, lang, handoffText(lang, reason, promise), `bot.handoff.${subject.id}`, after ? { after } : {});
    };

    const answerQuestion = async (subject: BotSubject, conversation: Conversation, message: Message, lang: Lang): Promise<void> => {
      const channel = context.channels.get(subject.channelId);
      if (!channel) return;
      const question = message.text.trim();
      const asked = new Date(message.createdAt);
      if (!question || subject.answers >= MAX_ANSWERS) {
        await handOver(subject, question ? 'unsolved' : 'no-answer', lang, asked);
        return;
      }
      const hits = await context.library.search(question, { lang, channelKind: conversation.channelKind, audience: 'customer', limit: HITS });
      const top = hits[0];
      if (!top?.confident) {
        await handOver(subject, 'no-answer', lang, asked);
        return;
      }
      const recorded = await recordAnswer(deps().db, {
        id: newId(),
        conversationId: subject.id,
        channelId: subject.channelId,
        questionMessageId: message.id,
        articleId: top.id,
        articleTitle: top.title,
        lang: top.lang,
        at: new Date(),
      });
      if (!recorded) return;
      await dispatch(recorded.batch);
      const presentation = presentationOf(channel);
      await say(subject, lang, answerText(lang, presentation, top), `bot.answer.${message.id}`, {
        after: asked,
        ...(presentation === 'tap' ? { choice: { id: recorded.answer.id, options: options(lang) } } : {}),
      });
    };

    const settle = async (subject: BotSubject, answerId: string, verdict: 'solved' | 'person', lang: Lang, after: Date): Promise<void> => {
      const answer = await answerById(deps().db, answerId);
      if (!answer || answer.conversation_id !== subject.id) return;
      if (verdict === 'person') {
        await handOver(subject, 'asked', lang, after);
        return;
      }
      const batch = await resolveByBot(deps().db, answer, new Date());
      if (!batch) return;
      await dispatch(batch);
      await say(subject, lang, solvedText(lang), `bot.solved.${answer.id}`, { after });
    };

    /** One customer message in a conversation the bot may hold. */
    const onCustomerMessage = async (conversation: Conversation, message: Message, automated: boolean): Promise<void> => {
      const subject = await botSubject(deps().db, conversation.id);
      if (subject?.handledBy !== 'bot' || subject.botId !== null) return;
      const lang = await langOf(conversation.id, message.text);
      const at = new Date(message.createdAt);
      if (subject.urgent) {
        await handOver(subject, 'urgent', lang, at);
        return;
      }
      const picked = message.choice?.picked;
      if (message.choice && picked) {
        // Another feature's choice (a survey) is not ours to settle.
        if (picked === 'solved' || picked === 'person') await settle(subject, message.choice.id, picked, lang, at);
        return;
      }
      if (automated) return;
      switch (intentOf(message.text, subject.openAnswers > 0)) {
        case 'person':
          await handOver(subject, 'asked', lang, at);
          return;
        case 'solved': {
          const open = await openAnswer(deps().db, subject.id);
          if (open) await settle(subject, open.id, 'solved', lang, at);
          return;
        }
        case 'greeting':
          await say(subject, lang, greetingText(lang), `bot.greeting.${subject.id}`, { after: at });
          return;
        case 'question':
          await answerQuestion(subject, conversation, message, lang);
      }
    };

    const api: Implementation<typeof botRoutes> = {
      contract: botRoutes,
      json: { limit: '1kb', beforeAuth: false },
      handlers: {
        async takeOverConversation({ params, agent }) {
          const db = deps().db;
          const conversation = await getConversation(db, params.id);
          if (!conversation) throw new ApiError(404, 'not_found', 'conversation not found');
          // An agent bot (issue 18) hands its own conversation to the team; a person takes one over.
          const byBot = agent.role === 'bot';
          if (byBot) await botHolds(deps(), agent, conversation.id);
          const batch = await handOff(db, conversation.id, byBot ? 'bot-requested' : 'taken-over', { id: agent.id, name: agent.name }, new Date(), byBot ? { onlyBot: agent.id } : {});
          if (!batch) throw new ApiError(409, 'conflict', 'the FAQ bot does not hold this conversation (a person has it already)');
          await dispatch(batch);
          return (await getConversation(db, conversation.id))!;
        },
        async selfServiceReport({ query }) {
          const to = query.to ? new Date(query.to) : new Date();
          const from = query.from ? new Date(query.from) : new Date(to.getTime() - 7 * 86_400_000);
          if (from >= to) throw new ApiError(400, 'validation', 'from: must be before to');
          if (to.getTime() - from.getTime() > 366 * 86_400_000) throw new ApiError(400, 'validation', 'from: the period is at most 366 days');
          const counts = await selfServiceCounts(deps().db, from, to);
          return { from: from.toISOString(), to: to.toISOString(), ...counts, deflectionRate: counts.answered > 0 ? counts.solved / counts.answered : null };
        },
      },
    };

    return {
      initialHandler(facts) {
        // Machine mail, an urgent case (theft reported) and a survey tap are never the bot's.
        return !facts.automated && facts.priority !== 'urgent' && answersOn(facts.channelId, facts.channelKind) ? 'bot' : 'agent';
      },
      async onEvents(batches, view) {
        const events: DomainEvent[] = batches.flatMap((b) => b.events);
        for (const event of events) {
          const conversation = view.conversation(event.conversationId);
          // An agent bot's conversation (issue 18) is never the FAQ bot's to answer or hand over.
          if (conversation?.handledBy !== 'bot' || conversation.botId !== null) continue;
          if (event.type === 'message.created' && event.author === 'contact') {
            const message = view.message(event.messageId);
            if (message) await onCustomerMessage(conversation, message, event.automated === true);
          } else if (event.type === 'conversation.escalated' || (event.type === 'conversation.updated' && conversation.priority === 'urgent')) {
            // Made urgent while the bot held it (an agent raised it, a later report of theft): a person now.
            const subject = await botSubject(deps().db, conversation.id);
            if (subject?.handledBy === 'bot' && subject.botId === null) await handOver(subject, 'urgent', await langOf(conversation.id, ''));
          }
        }
      },
      api: { contract: botRoutes, mount: (mounter) => mounter(api) },
    };
  },
});
