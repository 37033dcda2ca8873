import type { ChannelKind } from '../../domain/channel.js';
import type { Redaction } from '../../domain/message.js';
import type { Lang } from '../language.js';

/** What a transcript and its covering message say, in the customer's language (DESIGN §10: zh/en). */
export interface TranscriptWords {
  readonly title: string;
  readonly channel: string;
  readonly started: string;
  readonly generated: string;
  readonly subject: string;
  readonly you: string;
  readonly support: string;
  readonly bot: string;
  readonly file: string;
  readonly removed: string;
  readonly removedWhy: (redactions: readonly Redaction[]) => string;
  readonly empty: string;
  readonly footer: string;
  /** The reply that carries the file. */
  readonly covering: (format: 'pdf' | 'html') => string;
  /** The line recorded in the conversation when the transcript went out by email. */
  readonly emailed: (to: string, format: 'pdf' | 'html') => string;
  readonly mailSubject: string;
  readonly channelKinds: Readonly<Record<ChannelKind, string>>;
}

const kindsEn: Record<Redaction['kind'], string> = {
  'recovery-phrase': 'a recovery phrase',
  'private-key': 'a private key',
  'extended-key': 'a private key',
  wif: 'a private key',
  'solana-key': 'a private key',
  keystore: 'a keystore file',
};
const kindsZh: Record<Redaction['kind'], string> = {
  'recovery-phrase': '助记词',
  'private-key': '私钥',
  'extended-key': '私钥',
  wif: '私钥',
  'solana-key': '私钥',
  keystore: '密钥库文件',
};
const unique = (items: readonly string[]): string[] => [...new Set(items)];

export const words: Record<Lang, TranscriptWords> = {
  en: {
    title: 'Conversation transcript',
    channel: 'Channel',
    started: 'Started',
    generated: 'Created',
    subject: 'Subject',
    you: 'You',
    support: 'Support',
    bot: 'Assistant',
    file: 'File',
    removed: '[removed for your safety]',
    removedWhy: (r) => `${unique(r.map((x) => kindsEn[x.kind])).join(' and ')} was removed from this message before it was stored. Never share it with anyone, support included.`,
    empty: 'This conversation has no messages yet.',
    footer: 'Switchboard support · this transcript holds the messages you and our team exchanged; internal notes are not part of it.',
    covering: (f) => `Here is the transcript of our conversation (${f.toUpperCase()}).`,
    emailed: (to, f) => `The transcript of this conversation (${f.toUpperCase()}) was sent by email to ${to}.`,
    mailSubject: 'Your conversation transcript',
    channelKinds: { webchat: 'Website chat', email: 'Email', telegram: 'Telegram', discord: 'Discord', x: 'X', wechat: 'WeChat' },
  },
  zh: {
    title: '对话记录',
    channel: '渠道',
    started: '开始时间',
    generated: '生成时间',
    subject: '主题',
    you: '您',
    support: '客服',
    bot: '智能助手',
    file: '文件',
    removed: '[为了您的安全已移除]',
    removedWhy: (r) => `此消息中的${unique(r.map((x) => kindsZh[x.kind])).join('和')}在保存前已被移除。请勿向任何人（包括客服）透露。`,
    empty: '此对话还没有消息。',
    footer: 'Switchboard 客服 · 本记录包含您与我们团队往来的消息，不含内部备注。',
    covering: (f) => `这是我们对话的记录（${f.toUpperCase()}）。`,
    emailed: (to, f) => `本对话的记录（${f.toUpperCase()}）已通过电子邮件发送至 ${to}。`,
    mailSubject: '您的对话记录',
    channelKinds: { webchat: '网站聊天', email: '电子邮件', telegram: 'Telegram', discord: 'Discord', x: 'X', wechat: '微信' },
  },
};

/** Dates as the customer reads them, in UTC (the server knows no customer's time zone). */
export function formatDate(iso: string, lang: Lang): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  return lang === 'zh' ? `${date} ${time}（UTC）` : `${date} ${time} UTC`;
}
