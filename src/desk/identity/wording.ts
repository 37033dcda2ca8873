import type { Lang } from '../language.js';

/** What the customer is told after sending a code (zh/en). */
export type LinkReply = 'linked' | 'invalid' | 'expired' | 'used' | 'other_user';

const REPLIES: Record<LinkReply, Record<Lang, string>> = {
  linked: {
    en: 'Done: this chat is now linked to your account. Our support team sees your earlier conversations with us too.',
    zh: '绑定成功：此会话已关联到您的账户，客服可以看到您之前与我们的对话记录。',
  },
  invalid: {
    en: 'This link code is not valid, so nothing was linked. Please get a new code in the app and send it again.',
    zh: '此绑定码无效，未进行任何绑定。请在应用中重新获取绑定码后再发送。',
  },
  expired: {
    en: 'This link code has expired, so nothing was linked. Please get a new code in the app and send it again.',
    zh: '此绑定码已过期，未进行任何绑定。请在应用中重新获取绑定码后再发送。',
  },
  used: {
    en: 'This link code was already used (each code works once), so nothing was linked. Please get a new code in the app.',
    zh: '此绑定码已被使用（每个绑定码只能使用一次），未进行任何绑定。请在应用中重新获取。',
  },
  other_user: {
    en: 'This chat is already linked to another account, so nothing was changed. An agent will help you if this is wrong.',
    zh: '此会话已绑定其他账户，未作更改。如有疑问，客服会协助您处理。',
  },
};

/** In the customer's language; both when we cannot tell (a bare `/start <code>` says nothing about it). */
export const replyText = (reply: LinkReply, lang: Lang | undefined): string => (lang ? REPLIES[reply][lang] : `${REPLIES[reply].zh}\n\n${REPLIES[reply].en}`);

export const replyAuthor = (lang: Lang | undefined): string => (lang === 'en' ? 'Account link' : lang === 'zh' ? '账户绑定' : '账户绑定 · Account link');

/** What the app shows its user next to the code (`POST /api/identity-links`). */
export function instructions(code: string, expiresAt: Date, telegram: string | undefined): Record<Lang, string> {
  const minutes = Math.max(1, Math.round((expiresAt.getTime() - Date.now()) / 60_000));
  return {
    en: `${telegram ? `Open ${telegram} to link your Telegram chat, or send` : 'Send'} the code ${code} to our support on any channel (Telegram, Discord, X, WeChat, email) to link that chat to your account. The code works once and expires in ${minutes} min.`,
    zh: `${telegram ? `打开 ${telegram} 即可绑定 Telegram 会话；或在任意渠道（Telegram、Discord、X、微信、邮件）向客服发送` : '在任意渠道（Telegram、Discord、X、微信、邮件）向客服发送'}绑定码 ${code}，即可将该会话关联到您的账户。绑定码只能使用一次，${minutes} 分钟后失效。`,
  };
}
