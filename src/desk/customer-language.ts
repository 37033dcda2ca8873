import type { Db } from '../store/database.js';
import { customerTexts } from '../store/messages.js';
import { type Lang, languageOf } from './language.js';

/** How many of the customer's latest messages decide their language. */
const RECENT = 3;

/**
 * The language a conversation's customer writes in: Chinese when their latest messages (or the
 * subject) hold Han characters. What every feature that speaks to the customer asks (a survey, a
 * handoff, a canned reply, a transcript), answered in one place.
 */
export async function customerLanguage(db: Db, conversationId: string, subject?: string | null): Promise<Lang> {
  const texts = (await customerTexts(db, conversationId, RECENT)) ?? [];
  return languageOf(`${subject ?? ''} ${texts.map((t) => t.text).join(' ')}`);
}
