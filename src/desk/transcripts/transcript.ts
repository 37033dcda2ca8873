import type { ChannelKind } from '../../domain/channel.js';
import type { Message, Redaction } from '../../domain/message.js';
import type { Lang } from '../language.js';

/** One line of a transcript: what the customer saw, as stored (secrets were never stored). */
export interface TranscriptEntry {
  readonly at: string;
  readonly from: 'customer' | 'agent' | 'bot';
  readonly name: string;
  readonly text: string;
  readonly files: readonly string[];
  readonly redactions: readonly Redaction[];
}

/** Everything a rendering (HTML or PDF) needs; pure data, so both renderers are tested without I/O. */
export interface Transcript {
  readonly lang: Lang;
  readonly conversationId: string;
  readonly subject: string | null;
  readonly channel: { readonly kind: ChannelKind; readonly name: string };
  readonly customerName: string;
  readonly startedAt: string;
  readonly generatedAt: string;
  readonly entries: readonly TranscriptEntry[];
}

/**
 * The messages a customer may see again: no internal notes, no system lines (agents' bookkeeping),
 * no failed replies (they never reached the customer). Texts are as stored: a secret was removed
 * before anything stored it, so nothing here can bring it back.
 */
export function customerVisible(messages: readonly Message[]): TranscriptEntry[] {
  return messages.flatMap((m) => {
    if (m.private || m.author.type === 'system') return [];
    if (m.direction === 'outbound' && m.status === 'failed') return [];
    return [
      {
        at: m.createdAt,
        from: m.author.type === 'contact' ? ('customer' as const) : m.author.type === 'bot' ? ('bot' as const) : ('agent' as const),
        name: m.author.name,
        text: m.text,
        files: m.attachments.map((a) => a.name ?? a.kind),
        redactions: m.redactions,
      },
    ];
  });
}

/**
 * The markers the safety feature leaves in place of a secret (`src/desk/safety/redact.ts`), in
 * either language: the renderers set them apart so the customer sees where something was removed.
 */
export const STORED_MARKER = /\[(?:recovery phrase|private key|keystore file) removed\]|\[(?:助记词|私钥|密钥库文件)已移除\]/gu;

/** A text cut into plain parts and stored markers, in order. */
export function splitMarkers(text: string): { text: string; marker: boolean }[] {
  const parts: { text: string; marker: boolean }[] = [];
  let at = 0;
  for (const match of text.matchAll(STORED_MARKER)) {
    if (match.index > at) parts.push({ text: text.slice(at, match.index), marker: false });
    parts.push({ text: match[0], marker: true });
    at = match.index + match[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), marker: false });
  return parts;
}
