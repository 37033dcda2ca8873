import { formatDateTime, type Lang, type Translate } from './i18n.js';
import type { Conversation, ConversationQuery, Message } from './types.js';

/**
 * Satisfaction ratings as the inbox shows them (issue 15): pure functions of a conversation's
 * `csat` (src/domain/csat.ts) and of the messages that carry a survey's choice, so the chip, its
 * colour, the filter and the survey's wording are tested without a browser.
 */

export type ConversationCsat = NonNullable<Conversation['csat']>;
export type CsatFilter = NonNullable<ConversationQuery['csat']>;
export type CsatVia = NonNullable<ConversationCsat['via']>;
export type MessageChoice = NonNullable<Message['choice']>;

/** The CSAT filter's choices in the list, in display order (the API also takes a single score). */
export const csatFilters = ['rated', 'unrated', 'low', 'high'] as const satisfies readonly CsatFilter[];

/** Red for 1–2 (the scores that reopen the conversation, src/domain/csat.ts `isLowRating`), grey for 3, green for 4–5. */
export type CsatTone = 'low' | 'neutral' | 'high';
export function csatTone(rating: number): CsatTone {
  return rating <= 2 ? 'low' : rating >= 4 ? 'high' : 'neutral';
}

/**
 * Whether a conversation's newest answer passes the API's `csat` filter (src/store/conversations.ts):
 * `rated`, `unrated`, `low` (1–2), `high` (4–5) or exactly one score.
 */
export function matchesCsat(csat: ConversationCsat | null, filter: CsatFilter): boolean {
  switch (filter) {
    case 'rated':
      return csat !== null;
    case 'unrated':
      return csat === null;
    case 'low':
      return csat !== null && csat.rating <= 2;
    case 'high':
      return csat !== null && csat.rating >= 4;
    default:
      return csat !== null && csat.rating === Number(filter);
  }
}

/** "★★★★☆" for 4 (out of five; a value outside 1–5 is clamped, never an exception in a render). */
export function stars(rating: number): string {
  const n = Math.max(0, Math.min(5, Math.round(rating)));
  return '★'.repeat(n) + '☆'.repeat(5 - n);
}

/** "Rated 4 of 5" — the chip's name for screen readers and its tooltip. */
export function csatLabel(csat: Pick<ConversationCsat, 'rating'>, t: Translate): string {
  return t('csat.label', { rating: csat.rating });
}

/**
 * How and when the customer answered, in the agent's language: "Tapped in the chat on Mar 1, 10:00
 * AM". A way this inbox does not know yet (a newer server) says only when.
 */
export function csatHow(csat: Pick<ConversationCsat, 'via' | 'ratedAt'>, t: Translate, lang: Lang): string {
  const time = formatDateTime(csat.ratedAt, lang);
  const via: string | undefined = csat.via;
  return via === 'tap' || via === 'text' || via === 'link' ? t(`csat.how.${via}`, { time }) : t('csat.how.unknown', { time });
}

/** A desk question (the survey): the options the customer was offered. */
export function isQuestion<M extends Pick<Message, 'choice' | 'direction'>>(message: M): message is M & { choice: MessageChoice } {
  return message.direction === 'outbound' && (message.choice?.options.length ?? 0) > 0;
}

/** The customer's answer to a question: the value they picked. */
export function pickedValue(message: Pick<Message, 'choice' | 'direction'>): string | null {
  return message.direction === 'inbound' ? (message.choice?.picked ?? null) : null;
}

/**
 * What a pick reads as: the label of the option of that question as the desk offered it ("4 ★★★★"),
 * when the question is among the loaded messages; else null (then the customer's own text shows).
 */
export function pickedLabel(pick: MessageChoice, messages: readonly Pick<Message, 'choice' | 'direction'>[]): string | null {
  for (const message of messages) {
    if (!isQuestion(message) || message.choice.id !== pick.id) continue;
    const option = message.choice.options.find((o) => o.value === pick.picked);
    if (option) return option.label;
  }
  return null;
}
