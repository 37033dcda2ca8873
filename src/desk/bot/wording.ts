import type { Lang } from '../language.js';

/**
 * What the FAQ bot says, in the customer's language. It always says it is a bot and how to reach
 * a person; on channels without buttons the two options are spelled out as typed answers.
 */

export type Presentation = 'tap' | 'text';

export const botName = (lang: Lang): string => (lang === 'zh' ? '智能助手' : 'Help bot');

/** The longest excerpt of an article in a chat message; the rest is one tap away on /help. */
export const EXCERPT_CHARS = 600;

/** The article's opening, cut at a paragraph or sentence end near the limit. */
export function excerptOf(text: string, limit = EXCERPT_CHARS): string {
  const clean = text.replace(/\n{3,}/g, '\n\n').trim();
  if (clean.length <= limit) return clean;
  const head = clean.slice(0, limit);
  const cut = Math.max(head.lastIndexOf('\n\n'), head.search(/[.!?。！？][^.!?。！？]*$/u) + 1);
  return `${(cut >= limit / 3 ? head.slice(0, cut) : head).trim()}…`;
}

export function answerText(lang: Lang, presentation: Presentation, article: { title: string; text: string; url: string }): string {
  const body = `${article.title}\n\n${excerptOf(article.text)}`;
  if (lang === 'zh') {
    const ask = presentation === 'tap' ? '这解决了您的问题吗？' : '这解决了您的问题吗？回复“1”表示已解决，回复“2”或“人工”转接人工客服。';
    return `${body}\n\n完整文章：${article.url}\n\n${ask}`;
  }
  const ask = presentation === 'tap' ? 'Did this answer your question?' : 'Did this answer your question? Reply 1 if it did, or 2 (or "human") to talk to a person.';
  return `${body}\n\nFull article: ${article.url}\n\n${ask}`;
}

/** Plain words, no emoji: a WeChat menu, an old Android or a headless browser may not draw them. */
export const options = (lang: Lang) =>
  lang === 'zh'
    ? [
        { value: 'solved', label: '问题已解决', answered: '问题已解决' },
        { value: 'person', label: '转人工', answered: '正在转接人工客服' },
      ]
    : [
        { value: 'solved', label: 'This solved it', answered: 'This solved it' },
        { value: 'person', label: 'Talk to a person', answered: 'Connecting you with a person' },
      ];

export const greetingText = (lang: Lang): string =>
  lang === 'zh'
    ? '您好！我是智能助手。请描述您的问题，我会在帮助中心为您查找答案；随时回复“人工”即可转接人工客服。'
    : 'Hi! I am the help bot. Tell me your question and I will look it up in our help center; type "human" at any time to talk to a person.';

export const solvedText = (lang: Lang): string =>
  lang === 'zh' ? '太好了！本次会话已结束，如有其他问题，随时给我们留言。' : 'Great, glad it helped! This conversation is closed; write to us any time.';

/** The handoff, followed by the response-time promise (when a person will answer). */
export function handoffText(lang: Lang, reason: 'asked' | 'no-answer' | 'unsolved' | 'urgent', promise: string): string {
  if (lang === 'zh') {
    const head = reason === 'no-answer' ? '我没有在帮助中心找到这个问题的答案，正在为您转接人工客服。' : '好的，正在为您转接人工客服。';
    return `${head}${promise}`;
  }
  const head = reason === 'no-answer' ? "I couldn't find an answer to that in our help center, so I'm passing you to our support team." : "Sure, I'm passing you to our support team.";
  return `${head} ${promise}`;
}
