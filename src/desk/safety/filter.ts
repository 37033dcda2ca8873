import type { InboundMessage, Redaction } from '../../domain/message.js';
import type { FilteredFile, InboundFile } from '../../queue/sink.js';
import { findSecrets, type Lang, languageOf, redact } from './redact.js';
import type { TermMatcher } from './rules.js';
import { urgentTerm } from './triage.js';

/** The desk feature deciding escalations (their `by`). */
export const SAFETY = 'desk.safety';

/** Labels the desk gives a conversation (DESIGN §10). */
export const SECRET_LABEL = 'secret-exposed';
export const TRIAGE_LABEL = 'security';

const tagsToSpaces = (html: string): string => html.replace(/<[^>]*>/g, ' ').replace(/&nbsp;|&#160;/g, ' ');

/**
 * What a customer could have typed into a platform payload: its string values (not its keys,
 * which are the platform's vocabulary), and arrays of numbers long enough to be a Solana secret
 * key. Values already found clean (the text the payload repeats) are left out, so they are not
 * read twice. Read joined, a phrase split word by word over fields is still found.
 */
function payloadStrings(value: unknown, clean: readonly string[], out: string[] = []): string[] {
  if (typeof value === 'string') {
    let rest = value;
    for (const text of clean) if (text.length >= 12 && rest.includes(text)) rest = rest.split(text).join(' ');
    if (rest.trim() !== '') out.push(rest);
  } else if (Array.isArray(value)) {
    if (value.length >= 32 && value.every((item) => typeof item === 'number')) out.push(JSON.stringify(value));
    else for (const item of value) payloadStrings(item, clean, out);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) payloadStrings(item, clean, out);
  }
  return out;
}

const holdsSecret = (raw: unknown, clean: readonly string[]): boolean => findSecrets(payloadStrings(raw, clean).join('\n')).length > 0;

/**
 * Every string of the platform's payload with secrets redacted. Fast path: a payload without any
 * secret is kept as it is. A secret that only shows when the strings are read together (a phrase
 * split word by word over fields) drops the payload: audit data is not worth keeping a secret for.
 */
function redactRaw(raw: unknown, lang: Lang, clean: readonly string[]): { raw: unknown; redactions: Redaction[] } {
  if (raw === undefined || raw === null || !holdsSecret(raw, clean)) return { raw, redactions: [] };
  const redactions: Redaction[] = [];
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const r = redact(value, lang);
      redactions.push(...r.redactions);
      return r.text;
    }
    if (Array.isArray(value)) {
      // A secret key as an array of numbers is one secret, not 64 harmless numbers.
      if (value.length >= 32 && value.every((item) => typeof item === 'number')) {
        const r = redact(JSON.stringify(value), lang);
        if (r.redactions.length > 0) {
          redactions.push(...r.redactions);
          return r.text;
        }
        return value;
      }
      return value.map(walk);
    }
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  const cleaned = walk(raw);
  if (holdsSecret(cleaned, [])) return { raw: { redacted: 'the payload held a secret' }, redactions };
  return { raw: cleaned, redactions };
}

/**
 * The inbound filter (pure, inside `sink.accept()`, before Redis): secrets leave the text, the
 * subject, the HTML and the platform payload, replaced by a marker in the customer's language;
 * the message records what was removed; a secret or a theft report escalates the conversation.
 */
export function filterInbound(message: InboundMessage, triage: TermMatcher): InboundMessage {
  const lang = languageOf(`${message.subject ?? ''} ${message.text}`);
  const text = redact(message.text, lang);
  const subject = message.subject === undefined ? undefined : redact(message.subject, lang);
  // HTML is only a presentation of the text: with a secret in it, the (redacted) text stands alone.
  const inHtml: Redaction[] = message.html === undefined ? [] : findSecrets(tagsToSpaces(message.html)).map((s) => ({ kind: s.kind }));
  const dropHtml = inHtml.length > 0;
  const clean = [...(text.redactions.length === 0 ? [message.text] : []), ...(subject && subject.redactions.length === 0 ? [message.subject!] : [])];
  const raw = redactRaw(message.raw, lang, clean);
  const redactions = mergeRedactions([...text.redactions, ...(subject?.redactions ?? [])], [...inHtml, ...raw.redactions]);
  const term = urgentTerm(triage, `${subject?.text ?? ''}\n${text.text}`);
  if (redactions.length === 0 && term === undefined) return message;

  const labels = [...(redactions.length > 0 ? [SECRET_LABEL] : []), ...(term !== undefined ? [TRIAGE_LABEL] : [])];
  const { html: _html, ...rest } = message;
  return {
    ...(dropHtml ? rest : message),
    text: text.text,
    ...(subject ? { subject: subject.text } : {}),
    ...(message.raw !== undefined ? { raw: raw.raw } : {}),
    ...(redactions.length > 0 ? { redactions: [...(message.redactions ?? []), ...redactions] } : {}),
    escalation: message.escalation ?? { reason: redactions.length > 0 ? 'secret-exposed' : 'triage', labels, by: SAFETY },
  };
}

/**
 * What the message records: the secrets of its text and subject; a secret that was only in the
 * HTML or the payload (an email's HTML part, a caption) counts too, once per kind.
 */
function mergeRedactions(found: readonly Redaction[], elsewhere: readonly Redaction[]): Redaction[] {
  const all = [...found];
  for (const r of elsewhere) if (!all.some((a) => a.kind === r.kind)) all.push(r);
  return all;
}

/** Files a person reads as text, where a customer may paste a phrase or a key (.txt, .json, .csv). */
const TEXT_TYPES = /^(text\/|application\/(json|ld\+json|x-ndjson|csv|xml))/i;
const TEXT_NAMES = /\.(txt|text|json|csv|tsv|md|log|xml|ini|cfg|conf|yaml|yml|key|keystore|pem)$/i;

export const isTextFile = (file: { name: string | null; mimeType: string }): boolean => TEXT_TYPES.test(file.mimeType) || (file.name !== null && TEXT_NAMES.test(file.name));

/** A text file with its secrets redacted (as UTF-8); other files are kept byte for byte. */
export function filterFile(file: InboundFile): FilteredFile {
  if (!isTextFile(file)) return { bytes: file.bytes, redactions: [] };
  const text = file.bytes.toString('utf8');
  const result = redact(text);
  if (result.redactions.length === 0) return { bytes: file.bytes, redactions: [] };
  return { bytes: Buffer.from(result.text, 'utf8'), redactions: result.redactions };
}
