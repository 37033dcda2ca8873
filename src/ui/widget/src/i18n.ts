import { WIDGET_MAX_FILES, WIDGET_MAX_TEXT } from '../../../domain/uploads.js';

/** Everything the widget says, in the visitor's language (`data-lang`, else the browser's). */
export interface Texts {
  readonly title: string;
  readonly sub: string;
  readonly ph: string;
  readonly send: string;
  readonly attach: string;
  readonly open: string;
  readonly close: string;
  readonly unread: (n: number) => string;
  readonly safety: string;
  /** Message states, shown under the visitor's own messages. */
  readonly sending: string;
  readonly sent: string;
  readonly failed: string;
  readonly error: string;
  readonly offline: string;
  readonly reconnecting: string;
  readonly startErr: string;
  readonly empty: string;
  readonly today: string;
  readonly yesterday: string;
  readonly remove: string;
  readonly image: string;
  readonly closeImg: string;
  readonly tooBig: (name: string, max: string) => string;
  readonly tooMany: string;
  readonly badType: (name: string) => string;
  readonly emptyFile: (name: string) => string;
  readonly upFail: (name: string) => string;
  readonly busy: string;
  readonly dlFail: string;
  readonly tooLong: string;
  /** The link to the help center's articles. */
  readonly help: string;
  readonly helpTitle: string;
  /** Identified users' earlier conversations (issue 17). */
  readonly history: string;
  readonly historyTitle: string;
  readonly back: string;
  readonly noHistory: string;
  readonly current: string;
  readonly closed: string;
  readonly readOnly: string;
  readonly historyFail: string;
}

export type Lang = 'en' | 'zh';

const en: Texts = {
  title: 'Support',
  sub: 'We usually reply in a few minutes',
  ph: 'Write a message…',
  send: 'Send message',
  attach: 'Attach a file',
  open: 'Open support chat',
  close: 'Close chat',
  unread: (n) => `${n} unread`,
  safety: 'We will never ask for your recovery phrase or private key.',
  sending: 'Sending…',
  sent: 'Sent ✓',
  failed: 'Failed – tap to retry',
  error: 'Not sent',
  offline: "You're offline. Messages will be sent when you reconnect.",
  reconnecting: 'Reconnecting…',
  startErr: "Can't reach support right now. Retrying…",
  empty: 'Ask us anything — we’re here to help.',
  today: 'Today',
  yesterday: 'Yesterday',
  remove: 'Remove attachment',
  image: 'Image',
  closeImg: 'Close image',
  tooBig: (n, m) => `“${n}” is too large (max ${m}).`,
  tooMany: `You can attach up to ${WIDGET_MAX_FILES} files per message.`,
  badType: (n) => `“${n}” can’t be sent. Allowed: images (PNG, JPEG, GIF, WebP), PDF, MP4, ZIP, TXT, CSV, JSON.`,
  emptyFile: (n) => `“${n}” is empty.`,
  upFail: (n) => `Couldn’t upload “${n}”. Tap it to try again.`,
  busy: 'Too many requests — please wait a moment.',
  dlFail: 'Couldn’t download the file.',
  tooLong: `Messages can be at most ${WIDGET_MAX_TEXT} characters.`,
  help: 'Help center',
  helpTitle: 'Help center: answers to common questions (opens in a new tab)',
  history: 'History',
  historyTitle: 'Your conversations with us',
  back: 'Back to the chat',
  noHistory: 'No earlier conversations.',
  current: 'Current',
  closed: 'Resolved',
  readOnly: 'This conversation is closed. Write in the chat to ask something new.',
  historyFail: 'Couldn’t load your conversations.',
};

const zh: Texts = {
  title: '在线客服',
  sub: '我们通常在几分钟内回复',
  ph: '输入消息…',
  send: '发送消息',
  attach: '添加附件',
  open: '打开客服聊天',
  close: '关闭聊天',
  unread: (n) => `${n} 条未读`,
  safety: '我们绝不会索要您的助记词或私钥。',
  sending: '发送中…',
  sent: '已发送 ✓',
  failed: '发送失败 – 点击重试',
  error: '未发送',
  offline: '网络已断开，恢复连接后将自动发送消息。',
  reconnecting: '正在重新连接…',
  startErr: '暂时无法连接客服，正在重试…',
  empty: '有任何问题，尽管问我们。',
  today: '今天',
  yesterday: '昨天',
  remove: '移除附件',
  image: '图片',
  closeImg: '关闭图片',
  tooBig: (n, m) => `“${n}”过大（上限 ${m}）。`,
  tooMany: `每条消息最多添加 ${WIDGET_MAX_FILES} 个附件。`,
  badType: (n) => `无法发送“${n}”。支持：图片（PNG、JPEG、GIF、WebP）、PDF、MP4、ZIP、TXT、CSV、JSON。`,
  emptyFile: (n) => `“${n}”是空文件。`,
  upFail: (n) => `“${n}”上传失败，点击重试。`,
  busy: '请求过于频繁，请稍后再试。',
  dlFail: '文件下载失败。',
  tooLong: `每条消息最多 ${WIDGET_MAX_TEXT} 个字符。`,
  help: '帮助中心',
  helpTitle: '帮助中心：常见问题解答（在新标签页打开）',
  history: '历史记录',
  historyTitle: '您与我们的对话',
  back: '返回聊天',
  noHistory: '暂无更早的对话。',
  current: '当前',
  closed: '已解决',
  readOnly: '此对话已结束。如有新问题，请在聊天中留言。',
  historyFail: '无法加载您的对话记录。',
};

export const texts: Readonly<Record<Lang, Texts>> = { en, zh };
