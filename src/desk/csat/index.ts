import { z } from 'zod';
import type { Implementation } from '../../api/handler.js';
import type { Conversation } from '../../domain/conversation.js';
import { isLowRating, type CsatVia } from '../../domain/csat.js';
import { newId } from '../../domain/ids.js';
import type { Message } from '../../domain/message.js';
import { sendAutomatic } from '../../inbox/send-automatic.js';
import {
  awaitingSurvey,
  endSurvey,
  openSurvey,
  recordComment,
  recordRating,
  type RatingOutcome,
  setSurveyMessage,
  supervisorOf,
  surveyById,
  surveyCandidate,
  type SurveyRow,
} from '../../store/csat.js';
import type { OutboxBatch } from '../../store/outbox.js';
import type { DeskChannel } from '../feature.js';
import { defineDeskFeature } from '../feature.js';
import { type Lang } from '../language.js';
import { DurationText, flag, msOf } from '../settings-types.js';
import { answerOf } from './answer.js';
import { csatRoutes } from './api.js';
import { linkKey, signLink, verifyLink } from './links.js';
import { PAGE_CSP, type PageKind, renderPage } from './page.js';
import { answeredText, commentPrompt, optionLabel, type Presentation, SCORES, surveyText } from './wording.js';
import { customerLanguage } from '../customer-language.js';

const HOUR = 3_600_000;
/** A bare typed score is taken for a day after the survey; after that a "5" is just a message. */
const TEXT_WINDOW_MS = 24 * HOUR;
/** Buttons, menus and links answer for a week (a tap cannot be mistaken for a new question). */
const ANSWER_WINDOW_MS = 7 * 24 * HOUR;
/** The comment prompt's answer is taken for a day. */
const COMMENT_WINDOW_MS = 24 * HOUR;
/** A resolution older than this when its event is seen again (an edit of an old conversation) is not surveyed. */
const STALE_RESOLUTION_MS = 6 * HOUR;
/** Flag of a low score when the conversation has no team supervisor to take it. */
export const LOW_RATING_LABEL = 'low-rating';

/** The survey's sender, as the customer's channel and the inbox show it. */
const surveyAuthor = (lang: string): string => (lang === 'zh' ? '服务评价' : 'Survey');

const presentationOf = (channel: DeskChannel): Presentation =>
  channel.capabilities.buttons || channel.capabilities.menu ? 'tap' : channel.capabilities.links ? 'links' : 'text';

/**
 * Satisfaction surveys answered inside each channel (issue 15). When a conversation is resolved
 * (after `desk.csat.delay`), the customer gets one survey for that resolution, in their
 * language, as a question with five scores that each channel presents natively (buttons, a menu,
 * signed links, or typed numbers). The first answer is stored — on the survey and as the
 * conversation's `csat` — and followed by one optional comment prompt; a low score reopens the
 * conversation for the team's supervisor (or flags it). Ratings never make the customer
 * "waiting": no SLA clock starts for them. A message that is not an answer ends the survey and
 * reopens the conversation as any new question would.
 */
export const csat = defineDeskFeature({
  name: 'csat',
  settings: z.object({
    csat: z
      .object({
        enabled: flag.default(true),
        /** How long after the resolution the survey goes out (`0s`: at once). */
        delay: z.union([z.literal('0s'), DurationText]).default('0s'),
      })
      .default({ enabled: true, delay: '0s' }),
  }),
  contract: csatRoutes,
  create(context, settings) {
    const key = linkKey(context.secretKey);
    const deps = () => context.inbox();
    const dispatch = async (batch: OutboxBatch | undefined): Promise<void> => {
      if (batch) await deps().dispatcher.dispatch([batch]);
    };
    const langOf = (conversationId: string): Promise<Lang> => customerLanguage(deps().db, conversationId);

    const sendSurvey = async (conversationId: string, resolvedAt: string): Promise<void> => {
      const { db } = deps();
      const candidate = await surveyCandidate(db, conversationId);
      // Reopened, or resolved again since (that resolution has its own timer).
      if (candidate?.status !== 'resolved' || candidate.resolved_at?.toISOString() !== resolvedAt) return;
      const channel = context.channels.get(candidate.channel_id);
      // Nobody answered a person (machine mail, spam closed unanswered); the customer cannot be
      // reached; the channel's reply window closed (WeChat's 48 hours): no survey.
      if (!channel || !candidate.customer_wrote || candidate.first_response_at === null || candidate.unreachable_reason !== null) return;
      const now = new Date();
      if (candidate.reply_window_ends_at && candidate.reply_window_ends_at <= now) return;
      const lang = await langOf(conversationId);
      const survey = await openSurvey(db, {
        id: newId(),
        conversationId,
        channelId: candidate.channel_id,
        resolvedAt: candidate.resolved_at,
        lang,
        answerUntil: new Date(now.getTime() + ANSWER_WINDOW_MS),
        textUntil: new Date(now.getTime() + TEXT_WINDOW_MS),
      });
      if (!survey || survey.stage !== 'rating' || survey.message_id !== null) return;
      const presentation = presentationOf(channel);
      const messageKey = `csat.${survey.id}`;
      await sendAutomatic(
        deps(),
        {
          conversationId,
          channelId: candidate.channel_id,
          feature: 'csat',
          authorName: surveyAuthor(survey.lang),
          text: surveyText(survey.lang === 'zh' ? 'zh' : 'en', presentation),
          key: messageKey,
          choice: {
            id: survey.id,
            options: SCORES.map((value) => {
              const rating = Number(value);
              return {
                value,
                label: optionLabel(rating),
                answered: answeredText(survey.lang === 'zh' ? 'zh' : 'en', rating),
                ...(presentation === 'links' ? { url: `${context.publicUrl}/csat/${signLink(key, { surveyId: survey.id, rating, expiresAt: survey.answer_until })}` } : {}),
              };
            }),
          },
        },
        false,
      );
      await setSurveyMessage(db, survey.id, messageKey);
    };

    /** Records a score; after a tap or a typed one, asks once for a comment. */
    const rate = async (survey: SurveyRow, rating: number, via: CsatVia, at: Date, comment?: string): Promise<RatingOutcome> => {
      const { db } = deps();
      const candidate = await surveyCandidate(db, survey.conversation_id);
      const low = isLowRating(rating) ? { assignee: await supervisorOf(db, candidate?.team_id ?? null), flag: LOW_RATING_LABEL } : undefined;
      const outcome = await recordRating(db, {
        surveyId: survey.id,
        rating,
        via,
        at,
        ...(comment ? { comment } : {}),
        // The link page had its own comment box: no second question by mail.
        ...(via === 'link' ? {} : { commentUntil: new Date(at.getTime() + COMMENT_WINDOW_MS) }),
        ...(low ? { low } : {}),
      });
      if (outcome.kind !== 'rated') return outcome;
      await dispatch(outcome.batch);
      context.logger.info({ conversation: survey.conversation_id, rating, via }, 'survey answered');
      if (outcome.survey.stage === 'comment') {
        await sendAutomatic(
          deps(),
          {
            conversationId: survey.conversation_id,
            channelId: survey.channel_id,
            feature: 'csat',
            authorName: surveyAuthor(survey.lang),
            text: commentPrompt(survey.lang === 'zh' ? 'zh' : 'en', low !== undefined),
            key: `csat.${survey.id}.comment`,
          },
          candidate?.unreachable_reason != null,
        );
      }
      return outcome;
    };

    /** A customer's message while a survey may wait: a tap, a typed score or comment, or a new question. */
    const onCustomerMessage = async (conversation: Conversation, message: Message): Promise<void> => {
      const { db } = deps();
      const at = new Date(message.createdAt);
      const picked = message.choice?.picked;
      if (message.choice && picked) {
        const survey = await surveyById(db, message.choice.id);
        // Not a survey: another feature's question (the FAQ bot's options).
        if (!survey) return;
        // A pick for another conversation's survey (a forged callback) answers nothing.
        if (survey.conversation_id !== conversation.id) {
          context.logger.warn({ conversation: conversation.id, choice: message.choice.id }, 'a pick for a survey of another conversation was ignored');
          return;
        }
        const rating = Number(picked);
        if (!SCORES.includes(picked as (typeof SCORES)[number])) return;
        await rate(survey, rating, 'tap', at);
        return;
      }
      // Only a conversation a survey may hold: resolved (held by the ingest), or rated a moment
      // ago and still without its comment. Every other message costs no query here.
      const recentlyRated = conversation.csat !== null && conversation.csat.comment === null && at.getTime() - Date.parse(conversation.csat.ratedAt) < COMMENT_WINDOW_MS;
      if (conversation.status !== 'resolved' && !recentlyRated) return;
      const survey = await awaitingSurvey(db, conversation.id, at);
      if (!survey || survey.stage === 'done' || survey.created_at > at) return;
      const answer = answerOf(message.text, survey.stage);
      switch (answer.kind) {
        case 'rating':
          // Rated meanwhile by a tap: `rate` changes nothing, and the typed number asked nothing.
          await rate(survey, answer.rating, 'text', at);
          return;
        case 'comment':
          await dispatch(await recordComment(db, survey.id, message.text.trim().slice(0, 2000), at));
          return;
        case 'ignored':
          return;
        case 'question':
          // Not an answer: the survey is over and the conversation reopens as for any new question.
          await dispatch(await endSurvey(db, survey.id, conversation.status === 'resolved' ? at : undefined));
      }
    };

    const linkPage = async (token: string, submit: { comment?: string | undefined } | undefined): Promise<{ status: number; kind: PageKind; lang: Lang; rating?: number }> => {
      const checked = verifyLink(key, token, new Date());
      if (!checked.ok) return { status: checked.reason === 'expired' ? 410 : 403, kind: checked.reason === 'expired' ? 'expired' : 'invalid', lang: 'en' };
      const survey = await surveyById(deps().db, checked.claims.surveyId);
      if (!survey) return { status: 403, kind: 'invalid', lang: 'en' };
      const lang: Lang = survey.lang === 'zh' ? 'zh' : 'en';
      if (survey.rating !== null) return { status: 409, kind: 'already', lang };
      if (!submit) return { status: 200, kind: 'confirm', lang, rating: checked.claims.rating };
      const outcome = await rate(survey, checked.claims.rating, 'link', new Date(), submit.comment?.slice(0, 2000));
      if (outcome.kind === 'already') return { status: 409, kind: 'already', lang };
      if (outcome.kind === 'expired') return { status: 410, kind: 'expired', lang };
      return { status: 200, kind: 'thanks', lang };
    };
    const page = (answer: { status: number; kind: PageKind; lang: Lang; rating?: number }, setStatus: (status: number) => void, setHeader: (name: string, value: string) => void) => {
      setStatus(answer.status);
      // The token is in the address: never sent on to another site.
      setHeader('Referrer-Policy', 'no-referrer');
      setHeader('X-Robots-Tag', 'noindex');
      return { body: renderPage(answer.kind, answer.lang, answer.rating), cacheControl: 'no-store', contentSecurityPolicy: PAGE_CSP };
    };
    const api: Implementation<typeof csatRoutes> = {
      contract: csatRoutes,
      json: { limit: '16kb', beforeAuth: true },
      handlers: {
        csatLinkPage: async ({ params, setStatus, setHeader }) => page(await linkPage(params.token, undefined), setStatus, setHeader),
        submitCsatLink: async ({ params, body, setStatus, setHeader }) => page(await linkPage(params.token, body), setStatus, setHeader),
      },
    };

    return {
      async onEvents(batches, view) {
        const options = settings().csat;
        for (const event of batches.flatMap((b) => b.events)) {
          if (event.type === 'conversation.updated' && options.enabled) {
            const conversation = view.conversation(event.conversationId);
            if (conversation?.status !== 'resolved' || !conversation.resolvedAt) continue;
            const resolvedAt = Date.parse(conversation.resolvedAt);
            if (Date.now() - resolvedAt > STALE_RESOLUTION_MS) continue;
            const delay = options.delay === '0s' ? 0 : msOf(options.delay);
            // One timer per resolution (its key and time); the survey row makes it one survey however often it runs.
            await context.timers.schedule(`survey.${conversation.id}`, new Date(resolvedAt + delay), { resolvedAt: conversation.resolvedAt });
          } else if (event.type === 'message.created' && event.author === 'contact') {
            const conversation = view.conversation(event.conversationId);
            const message = view.message(event.messageId);
            if (conversation && message) await onCustomerMessage(conversation, message);
          }
        }
      },
      async onTimer(timerKey, data) {
        const conversationId = /^survey\.(.+)$/.exec(timerKey)?.[1];
        if (!conversationId || typeof data.resolvedAt !== 'string' || !settings().csat.enabled) return;
        await sendSurvey(conversationId, data.resolvedAt);
      },
      api: { contract: csatRoutes, mount: (mounter) => mounter(api) },
    };
  },
});
