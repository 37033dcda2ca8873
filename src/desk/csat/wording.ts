import type { Lang } from '../language.js';

/**
 * What the survey says to the customer, in their language (zh/en). How it is presented — buttons,
 * a menu, links or typed numbers — is the channel's; the words are the desk's.
 */

/** How the channel presents the options: natively (buttons, menu), as links, or not at all (typed). */
export type Presentation = 'tap' | 'links' | 'text';

export const SCORES = ['1', '2', '3', '4', '5'] as const;

const texts = {
  en: {
    tap: 'How would you rate the help you got? Tap a score: 5 is excellent, 1 is poor.',
    links: 'How would you rate the help you got? Choose a score below: one click is enough.',
    text: 'How would you rate the help you got? Reply with a number from 1 to 5:\n5 excellent · 4 good · 3 okay · 2 poor · 1 very poor',
    answered: (n: number) => `Thanks, you rated us ${n}/5.`,
    commentHigh: 'Thank you! Is there anything we could do better? Just reply here (optional).',
    commentLow: 'We are sorry we let you down. A team lead will look at your case. What went wrong? Just reply here.',
    words: ['very poor', 'poor', 'okay', 'good', 'excellent'],
  },
  zh: {
    tap: '您对本次服务满意吗？请点选评分：5 分为非常满意，1 分为很不满意。',
    links: '您对本次服务满意吗？点击下方任一评分即可。',
    text: '您对本次服务满意吗？请回复数字 1 到 5：\n5 非常满意 · 4 满意 · 3 一般 · 2 不满意 · 1 很不满意',
    answered: (n: number) => `感谢评价：${n}/5。`,
    commentHigh: '谢谢！您觉得我们还有哪里可以做得更好？直接回复即可（可选）。',
    commentLow: '很抱歉没能让您满意。组长会跟进您的问题。能告诉我们哪里做得不好吗？直接回复即可。',
    words: ['很不满意', '不满意', '一般', '满意', '非常满意'],
  },
} as const;

export const surveyText = (lang: Lang, presentation: Presentation): string => texts[lang][presentation];
/** A button's caption: the score and as many stars ("4 ★★★★"). */
export const optionLabel = (score: number): string => `${score} ${'★'.repeat(score)}`;
/** The score's word, for the link page ("4/5 · good"). */
export const scoreWord = (lang: Lang, score: number): string => texts[lang].words[score - 1]!;
export const answeredText = (lang: Lang, score: number): string => texts[lang].answered(score);
export const commentPrompt = (lang: Lang, low: boolean): string => (low ? texts[lang].commentLow : texts[lang].commentHigh);
