import { ApiError } from './api.js';
import type { MessageKey, Translate } from './i18n.js';
import { matchesCsat } from './csat.js';
import { compareByDue, isBreached, nextDueMs } from './sla.js';
import type { Conversation, ConversationFilters, ConversationSort } from './types.js';

/** "Alice Martin" → "AM", "王小明" → "王", "" → "?". */
export function initials(name: string): string {
  // Letters and digits only: names are customer input and may be anything.
  const words = name.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const first = words[0];
  if (!first) return '?';
  const head = [...first][0]!;
  if (/[\u3400-\u9fff\uac00-\ud7af\u3040-\u30ff]/u.test(head)) return head;
  const last = words.length > 1 ? words[words.length - 1]! : undefined;
  const letters = last ? head + [...last][0]! : [...first].slice(0, 2).join('');
  return letters.toUpperCase();
}

/** A calm, stable colour per person (hue from a hash of the id). */
export function avatarColors(seed: string): { background: string; color: string } {
  let hash = 0;
  for (let i = 0; i < seed.length; i++) hash = (hash * 31 + seed.charCodeAt(i)) | 0;
  const hue = Math.abs(hash) % 360;
  return { background: `hsl(${hue} 70% 92%)`, color: `hsl(${hue} 45% 32%)` };
}

export function formatSize(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A v4 UUID; crypto.randomUUID only exists on secure origins, so fall back to getRandomValues. */
export function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export type TextPart = { type: 'text'; text: string } | { type: 'link'; text: string; href: string };

/** Splits hostile text into plain parts and http(s) links; nothing else ever becomes markup. */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  // A URL ends at whitespace, quotes, angle brackets, or CJK text and punctuation (Chinese
  // sentences often continue right after a link, without a space).
  const pattern = /\bhttps?:\/\/[^\s<>"'`\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+/giu;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    let url = match[0];
    // Trailing punctuation usually belongs to the sentence, not the URL.
    while (/[.,;:!?)\]}。，！？）]$/u.test(url)) {
      if (url.endsWith(')') && (url.match(/\(/g)?.length ?? 0) >= (url.match(/\)/g)?.length ?? 0)) break;
      url = url.slice(0, -1);
    }
    const start = match.index;
    let href: string | null = null;
    try {
      const parsed = new URL(url);
      if (parsed.protocol === 'http:' || parsed.protocol === 'https:') href = parsed.href;
    } catch {
      href = null;
    }
    if (!href) continue;
    if (start > last) parts.push({ type: 'text', text: text.slice(last, start) });
    parts.push({ type: 'link', text: url, href });
    last = start + url.length;
  }
  if (last < text.length) parts.push({ type: 'text', text: text.slice(last) });
  return parts;
}

/** Label rule of the API (domain/conversation.ts): 1–50 characters, no whitespace or commas. */
export function labelProblem(label: string): MessageKey | null {
  if (/[\s,，]/u.test(label)) return 'actions.labelInvalid';
  if (label.length > 50) return 'actions.labelTooLong';
  return null;
}

/** A message the agent can act on, in the agent's language where we know the cause. */
export function errorText(error: unknown, t: Translate): string {
  if (error instanceof ApiError) {
    if (error.code === 'network') return t('errors.network');
    if (error.code === 'invalid_credentials') return t('errors.invalidCredentials');
    if (error.code === 'csrf') return t('errors.csrf');
    if (error.status === 401) return t('errors.sessionExpired');
    if (error.code === 'forbidden') return t('errors.forbidden');
    // Wallet safety refused the reply: say why in the agent's language (no override exists).
    if (error.code === 'unsafe_content') return t('errors.unsafeContent');
    if (error.status >= 500) return t('errors.server', { message: error.message });
    return error.message || t('errors.generic');
  }
  return t('errors.generic');
}

/** The list's order as the API pages it (src/store/conversations.ts): newest activity first, or by due time. */
export function compareConversations(sort: ConversationSort): (a: Conversation, b: Conversation) => number {
  if (sort === 'due') return compareByDue;
  return (a, b) => (a.lastMessageAt === b.lastMessageAt ? (a.id < b.id ? 1 : -1) : a.lastMessageAt < b.lastMessageAt ? 1 : -1);
}

export function sortConversations(items: Conversation[], sort: ConversationSort = 'activity'): Conversation[] {
  return [...items].sort(compareConversations(sort));
}

/** Whether a conversation belongs in a list with these filters (the API's rules, rechecked client-side for live events). */
export function matchesFilters(conversation: Conversation, filters: ConversationFilters, meId: string, alreadyListed: boolean): boolean {
  if (filters.status && conversation.status !== filters.status) return false;
  if (filters.channel && conversation.channelId !== filters.channel) return false;
  if (filters.assignee === 'me' && conversation.assigneeId !== meId) return false;
  if (filters.assignee === 'unassigned' && conversation.assigneeId !== null) return false;
  if (filters.assignee && filters.assignee !== 'me' && filters.assignee !== 'unassigned' && conversation.assigneeId !== filters.assignee) return false;
  if (filters.priority && conversation.priority !== filters.priority) return false;
  if (filters.label && !conversation.labels.includes(filters.label)) return false;
  if (filters.sla === 'breached' && !isBreached(conversation)) return false;
  if (filters.sla === 'running' && nextDueMs(conversation.sla) === null) return false;
  if (filters.team === 'none' && conversation.teamId !== null) return false;
  if (filters.team && filters.team !== 'none' && conversation.teamId !== filters.team) return false;
  if (filters.escalated && conversation.escalation === null) return false;
  if (filters.csat && !matchesCsat(conversation.csat, filters.csat)) return false;
  if (filters.q && !alreadyListed) {
    // The server also searches all message text; a new arrival is matched on what we can see.
    const q = filters.q.toLowerCase();
    const haystack = [conversation.contact.name, conversation.contact.email ?? '', conversation.subject ?? '', conversation.lastMessagePreview ?? ''].join('\n').toLowerCase();
    if (!haystack.includes(q)) return false;
  }
  return true;
}

/** Snooze presets: in one hour, tomorrow 9:00, next Monday 9:00 (local time). */
export function snoozeTime(preset: '1h' | 'tomorrow' | 'next-week', now = new Date()): Date {
  if (preset === '1h') return new Date(now.getTime() + 3_600_000);
  const date = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 9, 0, 0, 0);
  if (preset === 'tomorrow') {
    date.setDate(date.getDate() + 1);
    return date;
  }
  const daysToMonday = ((8 - date.getDay()) % 7) || 7;
  date.setDate(date.getDate() + daysToMonday);
  return date;
}

export { DEFAULT_ATTACHMENT_MAX_BYTES as MAX_UPLOAD_BYTES, UPLOAD_ACCEPT, uploadTypeOf } from '../../../domain/uploads.js';

const nonTextInputs = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color']);

/** Where typed letters are text: single-key shortcuts stay off there. (A focused <select> is not: shortcuts win.) */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLInputElement) return !nonTextInputs.has(target.type);
  return target instanceof HTMLTextAreaElement || target.isContentEditable;
}

/** A focused form control that Escape should leave. */
export function isFormControl(target: EventTarget | null): target is HTMLElement {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement || (target instanceof HTMLElement && target.isContentEditable);
}
