/**
 * What a customer's typed message means while a survey waits (pure): a score ("5", "５", "4/5",
 * "★★★★", "满意", "五分"), a comment after the score, a short "thanks" that needs nothing, or
 * something else — a new question, which reopens the conversation.
 */

export type SurveyStage = 'rating' | 'comment';
export type Answer = { kind: 'rating'; rating: number } | { kind: 'comment' } | { kind: 'ignored' } | { kind: 'question' };

/** Chinese satisfaction words, longest first (不满意 before 满意). */
const CHINESE_SCALE: readonly [string, number][] = [
  ['非常不满意', 1],
  ['很不满意', 1],
  ['不太满意', 2],
  ['不满意', 2],
  ['非常满意', 5],
  ['很满意', 5],
  ['满意', 4],
  ['一般', 3],
];
const CHINESE_DIGITS: Readonly<Record<string, number>> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5 };

/** Characters around a score that do not change it: spaces, punctuation, "分", "stars", "/5". */
const strip = (text: string): string =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\/\s*5\b|out of 5|of 5/g, '')
    .replace(/\b(stars?|points?|pts)\b/g, '')
    .replace(/[分星颗个]/g, '')
    .replace(/[\s\p{P}\p{Emoji_Presentation}\uFE0F]/gu, '');

/** The score a short message gives, if it is one; longer texts are never read as a score. */
export function ratingOf(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > 16) return undefined;
  const stars = [...trimmed].filter((c) => c === '★' || c === '⭐').length;
  if (stars > 0 && stars <= 5 && trimmed.replace(/[★⭐☆\s]/g, '') === '') return stars;
  const bare = strip(trimmed);
  if (/^[1-5]$/.test(bare)) return Number(bare);
  if (bare.length === 1 && CHINESE_DIGITS[bare]) return CHINESE_DIGITS[bare];
  for (const [word, score] of CHINESE_SCALE) if (bare === word) return score;
  return undefined;
}

const THANKS = /^(thanks?( you)?( so much| a lot)?|thx|ty|ok(ay)?|cool|great|perfect|bye|good ?bye|谢谢(你|您)?|多谢|感谢|好的?|好滴|嗯+|ok了|👍|🙏|👌)[\s!.。！~～]*$/iu;
/** Asking something again: a question mark, or words of an open problem. */
const ASKING = /[?？]|\b(help|still|again|not (arrived|received|working)|didn'?t|doesn'?t|can'?t|cannot|why|how|when|where|what|stolen|hacked|scam)\b|怎么|为什么|还没|没有到|没收到|帮我|请问|被盗|诈骗|不能|无法/iu;

/** What the message is, at the survey's stage. */
export function answerOf(text: string, stage: SurveyStage): Answer {
  const trimmed = text.trim();
  if (trimmed.length === 0) return { kind: 'ignored' };
  if (THANKS.test(trimmed)) return { kind: 'ignored' };
  if (stage === 'rating') {
    const rating = ratingOf(trimmed);
    return rating === undefined ? { kind: 'question' } : { kind: 'rating', rating };
  }
  return ASKING.test(trimmed) ? { kind: 'question' } : { kind: 'comment' };
}
