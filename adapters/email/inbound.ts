import { createHash } from 'node:crypto';
import { type AddressObject, type Attachment as MailAttachment, type ParsedMail, simpleParser, type SimpleParserOptions, type StructuredHeader } from 'mailparser';
import { type InboundAttachment, kindFromMime } from '../../src/domain/attachment.js';
import { type InboundMessageInput, MAX_TEXT } from '../../src/domain/message.js';
import { escapeHtml, htmlToPlainText, plainTextAsHtml, sanitizeEmailHtml, truncateHtml } from './html.js';
import { splitQuoted } from './quote.js';
import { readDeliveryReport } from './report.js';

/**
 * Raw RFC 5322 bytes → the normalized message (DESIGN §5), with no I/O: the connector stores the
 * files and fills in their ids afterwards (`withStoredFiles`). Every mail becomes a message —
 * oversize parts are truncated with a note and a mail the MIME parser rejects still yields its
 * headers and whatever text could be recovered.
 */

export interface ParseOptions {
  readonly channelId: string;
  /** The mailbox address (lower-case): reply tokens (`local+token@domain`) and our own mail are recognised by it. */
  readonly address: string;
  /** When the server received it (IMAP INTERNALDATE): stands in for a missing, broken or future Date. */
  readonly receivedAt?: Date;
  /** The message's real size when only its first bytes were fetched. */
  readonly fullSize?: number;
  /** Where it came from (mailbox, UIDVALIDITY, UID), kept with the raw headers for audit. */
  readonly origin?: Readonly<Record<string, string | number>>;
}

/** A file of the mail to put into the attachment store; `index` is its entry in `message.attachments`. */
export interface MailFile {
  readonly index: number;
  readonly name: string;
  readonly mimeType: string;
  readonly bytes: Buffer;
  /** Content-ID without brackets, when the HTML shows it inline (`cid:`). */
  readonly cid?: string;
}

export interface ParsedEmail {
  readonly message: InboundMessageInput & { attachments: InboundAttachment[] };
  readonly files: readonly MailFile[];
}

/** The model's limits (src/domain/message.ts) less room for our notes. */
const TEXT_LIMIT = MAX_TEXT - 1_000;
const HTML_LIMIT = MAX_TEXT * 5;
const MAX_ATTACHMENTS = 50;
const MAX_RAW_HEADERS = 64 * 1024;
/** Message ids longer than an external id may be (512) are hashed, the same way wherever they appear. */
const MAX_ID = 512;
const FUTURE_TOLERANCE_MS = 24 * 3_600_000;

const PARSER: SimpleParserOptions = {
  // cid: links stay as they are (we store the images), delivery-status stays a part of its own
  // (we read Status/Diagnostic-Code from it) — mailparser would otherwise inline both.
  keepCidLinks: true,
  keepDeliveryStatus: true,
  skipTextToHtml: true,
  // HTML-only mail gets its text from our own rendering of the sanitised HTML instead
  // (blockquotes as `>` lines, no link targets or `javascript:` URLs in the text).
  skipHtmlToText: true,
  skipImageLinks: true,
  skipTextLinks: true,
};

export async function parseEmail(raw: Buffer, options: ParseOptions): Promise<ParsedEmail> {
  let mail: ParsedMail;
  let note: string | undefined;
  try {
    mail = await simpleParser(raw, PARSER);
  } catch (first) {
    try {
      // The usual failure is a header block over mailsplit's 1 MB limit: parse again without it.
      mail = await simpleParser(raw, { ...PARSER, maxHeadSize: raw.length + 1 } as SimpleParserOptions);
      note = `Parts of this message could not be read (${(first as Error).message}).`;
    } catch (second) {
      return recoverUnparsed(raw, options, second);
    }
  }
  return fromParsed(mail, raw, options, note);
}

function fromParsed(mail: ParsedMail, raw: Buffer, options: ParseOptions, parseNote: string | undefined): ParsedEmail {
  const headers = rawHeaders(mail.headerLines.map((h) => h.line));
  const own = options.address.toLowerCase();
  const automatedByHeaders = isAutomated(headers, mail, own);
  const sender = chooseSender(mail, own, automatedByHeaders);
  const messageId = firstId(headers.get('message-id')) ?? syntheticId(headers, raw);
  const inReplyTo = idsIn(headers.get('in-reply-to'));
  const references = idsIn(headers.get('references'));
  const tokenRefs = replyTokenRefs(headers, own);

  const contentType = mail.headers.get('content-type') as StructuredHeader | undefined;
  const attachments = mail.attachments;
  const report = readDeliveryReport(
    {
      contentType: contentType?.value?.toLowerCase() ?? 'text/plain',
      reportType: contentType?.params?.['report-type'],
      deliveryStatus: attachments.find((a) => /^message\/(?:global-)?delivery-status$/i.test(a.contentType))?.content,
      returnedHeaders: attachments.find((a) => /^(?:message\/(?:rfc822|global)|text\/rfc822-headers|message\/global-headers)$/i.test(a.contentType))?.content,
      failedRecipients: headers.get('x-failed-recipients')?.[0],
      referencedIds: [...inReplyTo, ...[...references].reverse()],
      text: mail.text ?? '',
    },
    canonicalId,
  );

  // Text: the parser's plain text (or its rendering of HTML-only mail); only the new part is the
  // message text, so the conversation list previews what the customer wrote now.
  const safeHtml = mail.html ? sanitizeEmailHtml(mail.html) : '';
  const fullText = normalizeText(mail.text || htmlToPlainText(safeHtml));
  const { fresh, cut } = splitQuoted(fullText);
  const notes: string[] = [];
  if (parseNote) notes.push(parseNote);
  if (options.fullSize !== undefined && options.fullSize > raw.length) {
    notes.push(`This message is ${formatBytes(options.fullSize)}; only its first ${formatBytes(raw.length)} were fetched. The complete message is still in the mailbox.`);
  }

  const { list, files, overflow } = collectAttachments(attachments, report.kind !== 'failure');
  if (overflow.length > 0) notes.push(`${overflow.length} more attachments are in the mailbox: ${overflow.join(', ')}`.slice(0, 2_000));

  const text = withNotes(fresh, notes);
  let html: string | undefined;
  if (safeHtml) html = truncateHtml(safeHtml, HTML_LIMIT, 'The rest of this message is too long to show here; it is still in the mailbox.');
  else if (cut) html = truncateHtml(plainTextAsHtml(fullText), HTML_LIMIT, 'The rest of this message is too long to show here; it is still in the mailbox.');
  if (html === '') html = undefined;

  const sentAt = sentTime(headers.get('date')?.[0], options.receivedAt);
  const automated = report.kind !== 'none' || automatedByHeaders;
  const root = references[0] ?? inReplyTo[0] ?? messageId;
  const threadRefs = unique([...inReplyTo, ...[...references].reverse(), ...tokenRefs]).filter((id) => id !== messageId);

  const message: ParsedEmail['message'] = {
    channelId: options.channelId,
    externalId: messageId,
    threadKey: threadKeyOf(sender.externalId, root),
    sender,
    sentAt,
    text,
    ...(html ? { html } : {}),
    ...(mail.subject ? { subject: clip(mail.subject.trim(), 998) } : {}),
    attachments: list,
    ...(inReplyTo[0] ? { replyToExternalId: inReplyTo[0] } : {}),
    ...(threadRefs.length > 0 ? { threadRefs: capRefs(threadRefs) } : {}),
    ...(automated ? { automated: true } : {}),
    ...(report.kind === 'failure' ? { deliveryFailure: report.failure } : {}),
    raw: auditRecord(mail.headerLines.map((h) => h.line), raw, options),
  };
  return { message, files };
}

/**
 * Puts the attachment store's ids into the message and points the HTML's inline images at them.
 * Files that could not be stored keep their name, type and size only.
 */
export function withStoredFiles(parsed: ParsedEmail, stored: ReadonlyMap<number, string>): InboundMessageInput {
  const attachments = parsed.message.attachments.map((attachment, index) => {
    const id = stored.get(index);
    return id ? { ...attachment, storedId: id } : attachment;
  });
  let html = parsed.message.html;
  if (html) {
    for (const file of parsed.files) {
      const id = stored.get(file.index);
      if (!file.cid || !id) continue;
      html = html.split(`data-cid="${escapeHtml(file.cid)}"`).join(`data-attachment-id="${escapeHtml(id)}"`);
    }
  }
  return { ...parsed.message, attachments, ...(html !== undefined ? { html } : {}) };
}

/**
 * A mail the MIME parser gave up on: headers read by hand, the body shown as text as far as it
 * decodes, with a note — the customer still reaches an agent.
 */
export function recoverUnparsed(raw: Buffer, options: ParseOptions, error: unknown): ParsedEmail {
  const split = headerEnd(raw);
  const headerText = raw.subarray(0, split.at).toString('latin1');
  // A header line continues on the following lines that start with white space (RFC 5322 §2.2.3).
  const headers = rawHeaders(headerText.replace(/\r\n?/g, '\n').split(/\n(?![ \t])/));
  const from = parseAddress(decodeWords(headers.get('from')?.[0] ?? ''));
  const own = options.address.toLowerCase();
  const sender = from
    ? { externalId: from.address, email: from.address, ...(from.name ? { name: clip(from.name, 200) } : {}) }
    : { externalId: 'unknown-sender' };
  const messageId = firstId(headers.get('message-id')) ?? syntheticId(headers, raw);
  const inReplyTo = idsIn(headers.get('in-reply-to'));
  const references = idsIn(headers.get('references'));
  const subject = decodeWords(headers.get('subject')?.[0] ?? '').trim();
  const body = raw.subarray(split.body, split.body + TEXT_LIMIT * 2).toString('utf8');
  const reason = error instanceof Error ? error.message : String(error);
  const text = withNotes(normalizeText(body).slice(0, TEXT_LIMIT), [`This message could not be parsed (${reason}); its raw content is shown as text. Size: ${formatBytes(options.fullSize ?? raw.length)}.`]);
  const threadRefs = unique([...inReplyTo, ...[...references].reverse(), ...replyTokenRefs(headers, own)]).filter((id) => id !== messageId);
  return {
    message: {
      channelId: options.channelId,
      externalId: messageId,
      threadKey: threadKeyOf(sender.externalId, references[0] ?? inReplyTo[0] ?? messageId),
      sender,
      sentAt: sentTime(headers.get('date')?.[0], options.receivedAt),
      text,
      ...(subject ? { subject: clip(subject, 998) } : {}),
      attachments: [],
      ...(inReplyTo[0] ? { replyToExternalId: inReplyTo[0] } : {}),
      ...(threadRefs.length > 0 ? { threadRefs: capRefs(threadRefs) } : {}),
      ...(isAutomatedHeaders(headers, from?.address ?? '', own) ? { automated: true } : {}),
      raw: { ...auditRecord([headerText.slice(0, MAX_RAW_HEADERS)], raw, options), parseError: reason.slice(0, 500) },
    },
    files: [],
  };
}

/**
 * The customer is who replies go to: Reply-To when it names one address other than ours (contact
 * forms send From: noreply@… with Reply-To: the customer), otherwise From, then Sender. Mail from
 * machines is attributed to From: lists and notification systems use per-thread Reply-To addresses.
 */
function chooseSender(mail: ParsedMail, own: string, automated: boolean): InboundMessageInput['sender'] {
  const candidates = [automated ? undefined : mail.replyTo, mail.from, mail.headers.get('sender') as AddressObject | undefined];
  for (const [index, header] of candidates.entries()) {
    const addresses = flatten(header).filter((a) => a.address);
    if (index === 0 && (addresses.length !== 1 || addresses[0]!.address === own)) continue;
    const first = addresses[0];
    if (!first) continue;
    const name = first.name.trim();
    return { externalId: first.address, email: first.address, ...(name ? { name: clip(name, 200) } : {}) };
  }
  const path = mail.headerLines.find((h) => h.key === 'return-path')?.line.match(/<([^<>\s@]+@[^<>\s]+)>/)?.[1];
  if (path) return { externalId: path.toLowerCase(), email: path.toLowerCase() };
  return { externalId: 'unknown-sender' };
}

function flatten(header: AddressObject | AddressObject[] | undefined): { address: string; name: string }[] {
  const objects = header === undefined ? [] : Array.isArray(header) ? header : [header];
  const out: { address: string; name: string }[] = [];
  const visit = (entry: { address?: string | undefined; name: string; group?: { address?: string | undefined; name: string }[] | undefined }): void => {
    if (entry.group) entry.group.forEach(visit);
    const address = entry.address?.trim().toLowerCase();
    if (address && address.includes('@') && address.length <= 320) out.push({ address, name: entry.name ?? '' });
  };
  for (const object of objects) object.value.forEach(visit);
  return out;
}

/**
 * Mail from a machine, which must never get an automatic answer (RFC 3834 §2, §5): Auto-Submitted
 * other than `no`, Precedence bulk/list/junk, list headers, an empty return path (bounces),
 * vacation programs' own markers, and our own address (a loop through ourselves).
 */
function isAutomated(headers: RawHeaders, mail: ParsedMail, own: string): boolean {
  return isAutomatedHeaders(headers, flatten(mail.from)[0]?.address ?? '', own);
}

function isAutomatedHeaders(headers: RawHeaders, from: string, own: string): boolean {
  const autoSubmitted = headers.get('auto-submitted')?.[0]?.split(';')[0]?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return true;
  if (/^(?:bulk|list|junk|auto_reply)$/i.test(headers.get('precedence')?.[0]?.trim() ?? '')) return true;
  if (headers.has('list-id') || headers.has('list-unsubscribe') || headers.has('x-autoreply') || headers.has('x-autorespond')) return true;
  if (headers.get('return-path')?.some((value) => value.trim() === '<>')) return true;
  if (from === own || from.startsWith('mailer-daemon@')) return true;
  return false;
}

/** `local+<message id>@domain` among the addresses the mail was delivered to → our Message-ID `<id@domain>`. */
function replyTokenRefs(headers: RawHeaders, own: string): string[] {
  const at = own.lastIndexOf('@');
  const local = own.slice(0, at);
  const domain = own.slice(at + 1);
  const pattern = new RegExp(`(?:^|[\\s<,:"])${escapeRegExp(local)}\\+([0-9a-z]{26})@${escapeRegExp(domain)}(?=$|[\\s>,;"])`, 'gi');
  const refs: string[] = [];
  for (const name of ['to', 'cc', 'delivered-to', 'x-original-to', 'envelope-to', 'x-delivered-to']) {
    for (const value of headers.get(name) ?? []) {
      for (const match of value.matchAll(pattern)) refs.push(`<${match[1]!.toLowerCase()}@${domain}>`);
    }
  }
  return unique(refs);
}

/**
 * The conversation key: the thread's root message, per sender. Replies from other people on the
 * thread join through `threadRefs` (the ids we stored); the sender in the key keeps unrelated
 * customers apart when their mail shares a root we never stored — replies to one newsletter or
 * announcement sent to many must not land in one conversation.
 */
function threadKeyOf(sender: string, root: string): string {
  const key = `${sender} ${root}`;
  return key.length <= MAX_ID ? key : `${sender.slice(0, 200)} ${hashedId(root)}`;
}

type RawHeaders = Map<string, string[]>;

/** Header values by lower-case name, unfolded, in order; not decoded (RFC 2047 words stay as sent). */
function rawHeaders(lines: readonly string[]): RawHeaders {
  const headers: RawHeaders = new Map();
  for (const line of lines) {
    const unfolded = line.replace(/\r?\n(?=[ \t])/g, '').replace(/\r?\n$/, '');
    const colon = unfolded.indexOf(':');
    if (colon <= 0) continue;
    const name = unfolded.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), unfolded.slice(colon + 1).trim()]);
  }
  return headers;
}

/** `<id>` tokens of a Message-ID/In-Reply-To/References header, canonical; bare tokens when a broken mailer left out the brackets. */
function idsIn(values: readonly string[] | undefined): string[] {
  const ids: string[] = [];
  for (const value of values ?? []) {
    const bracketed = [...value.matchAll(/<([^<>]+)>/g)].map((m) => m[1]!);
    const tokens = bracketed.length > 0 ? bracketed : value.split(/[\s,]+/).filter((t) => t.includes('@'));
    for (const token of tokens) {
      const id = canonicalId(token);
      if (id) ids.push(id);
    }
  }
  return unique(ids);
}

const firstId = (values: readonly string[] | undefined): string | undefined => idsIn(values)[0];

/**
 * One spelling per message id, wherever it appears (our Message-ID, a customer's In-Reply-To):
 * `<local@domain>` without whitespace; ids too long for an external id are hashed.
 */
export function canonicalId(value: string): string | undefined {
  const inner = value.trim().replace(/^<|>$/g, '').replace(/\s+/g, '');
  if (!inner) return undefined;
  const id = `<${inner}>`;
  return id.length <= MAX_ID ? id : hashedId(id);
}

const hashedId = (id: string): string => `<${createHash('sha256').update(id).digest('hex').slice(0, 40)}@hashed-id.invalid>`;

/**
 * Mail without a Message-ID gets one from what does not change when it is fetched again: the
 * sender, recipients, date and subject as sent, and a digest of the body.
 */
function syntheticId(headers: RawHeaders, raw: Buffer): string {
  const body = raw.subarray(headerEnd(raw).body);
  const key = ['from', 'to', 'cc', 'date', 'subject'].map((name) => `${name}:${(headers.get(name) ?? []).join('\n')}`).join('\n');
  const digest = createHash('sha256').update(key).update('\n').update(createHash('sha256').update(body).digest()).digest('hex');
  return `<${digest.slice(0, 40)}@no-message-id.invalid>`;
}

function headerEnd(raw: Buffer): { at: number; body: number } {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return { at: crlf, body: crlf + 4 };
  if (lf >= 0) return { at: lf, body: lf + 2 };
  return { at: raw.length, body: raw.length };
}

function sentTime(date: string | undefined, receivedAt: Date | undefined): string {
  const parsed = date ? Date.parse(date.replace(/\s*\([^)]*\)\s*$/, '')) : NaN;
  const received = receivedAt && !Number.isNaN(receivedAt.getTime()) ? receivedAt.getTime() : undefined;
  if (Number.isNaN(parsed)) return new Date(received ?? Date.now()).toISOString();
  // A date far in the future (a broken clock, spam) would pin the mail on top of every list.
  if (received !== undefined && parsed > received + FUTURE_TOLERANCE_MS) return new Date(received).toISOString();
  return new Date(parsed).toISOString();
}

function collectAttachments(
  attachments: readonly MailAttachment[],
  keepBytes: boolean,
): { list: InboundAttachment[]; files: MailFile[]; overflow: string[] } {
  // Regular attachments before inline images: with more than the model allows, the files a
  // customer attached matter more than a signature logo.
  const ordered = [...attachments.filter((a) => !a.related), ...attachments.filter((a) => a.related)];
  const list: InboundAttachment[] = [];
  const files: MailFile[] = [];
  const overflow: string[] = [];
  ordered.forEach((attachment, n) => {
    const mimeType = clip(attachment.contentType.toLowerCase(), 255);
    const name = fileName(attachment.filename, mimeType, n + 1);
    if (list.length >= MAX_ATTACHMENTS) {
      overflow.push(name);
      return;
    }
    list.push({ kind: kindFromMime(mimeType), name, mimeType, size: attachment.content.length });
    if (keepBytes) files.push({ index: list.length - 1, name, mimeType, bytes: attachment.content, ...(attachment.cid ? { cid: attachment.cid } : {}) });
  });
  return { list, files, overflow };
}

const EXTENSIONS: Record<string, string> = {
  'message/rfc822': '.eml',
  'message/global': '.eml',
  'text/rfc822-headers': '.txt',
  'message/delivery-status': '.txt',
  'message/global-delivery-status': '.txt',
  'text/plain': '.txt',
  'text/html': '.html',
  'text/calendar': '.ics',
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'application/pdf': '.pdf',
};

function fileName(given: string | undefined, mimeType: string, n: number): string {
  const cleaned = (given ?? '').replace(/[\u0000-\u001f\u007f/\\]+/g, '_').trim();
  if (!cleaned) {
    const base = mimeType === 'message/rfc822' ? 'message' : mimeType.endsWith('delivery-status') ? 'delivery-status' : `attachment-${n}`;
    return base + (EXTENSIONS[mimeType] ?? '');
  }
  if (cleaned.length <= 255) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 && cleaned.length - dot <= 16 ? cleaned.slice(dot) : '';
  return cleaned.slice(0, 255 - extension.length) + extension;
}

function withNotes(text: string, notes: readonly string[]): string {
  const suffix = notes.map((note) => `[${note}]`).join('\n');
  const room = TEXT_LIMIT - suffix.length - 2;
  const body =
    text.length > room
      ? `${text.slice(0, Math.max(0, room - 120))}\n\n[… the text is ${text.length.toLocaleString('en')} characters long and was shortened here; the complete message is in the mailbox.]`
      : text;
  return suffix ? `${body}${body ? '\n\n' : ''}${suffix}` : body;
}

function auditRecord(headerLines: readonly string[], raw: Buffer, options: ParseOptions): Record<string, unknown> {
  let headers = headerLines.join('\n');
  if (headers.length > MAX_RAW_HEADERS) headers = `${headers.slice(0, MAX_RAW_HEADERS)}\n[headers truncated]`;
  return {
    ...(options.origin ? { origin: options.origin } : {}),
    size: options.fullSize ?? raw.length,
    ...(options.fullSize !== undefined && options.fullSize > raw.length ? { fetchedBytes: raw.length } : {}),
    headers,
  };
}

/** At most 100 refs (the model's limit): the newest ones and, last, the thread's root. */
function capRefs(refs: readonly string[]): string[] {
  return refs.length <= 100 ? [...refs] : [...refs.slice(0, 99), refs.at(-1)!];
}

function normalizeText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\u0000/g, '')
    .replace(/[ \t]+$/gm, '')
    .trim();
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

const clip = (text: string, max: number): string => (text.length <= max ? text : text.slice(0, max));
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function formatBytes(bytes: number): string {
  if (bytes >= 1_048_576) return `${(bytes / 1_048_576).toFixed(1)} MB`;
  if (bytes >= 1_024) return `${Math.round(bytes / 1_024)} KB`;
  return `${bytes} bytes`;
}

/** `"Name" <address>` or a bare address, for the hand-read headers of an unparseable mail. */
function parseAddress(value: string): { address: string; name?: string } | undefined {
  const bracket = value.match(/^\s*"?([^"<]*?)"?\s*<([^<>\s]+@[^<>\s]+)>/);
  if (bracket) return { address: bracket[2]!.toLowerCase(), ...(bracket[1]!.trim() ? { name: bracket[1]!.trim() } : {}) };
  const bare = value.match(/([^\s<>",;]+@[^\s<>",;]+)/);
  return bare ? { address: bare[1]!.toLowerCase() } : undefined;
}

/** RFC 2047 encoded words (`=?charset?B|Q?…?=`), for headers read by hand; unknown charsets stay encoded. */
function decodeWords(value: string): string {
  return value.replace(/=\?([^?]+)\?([bq])\?([^?]*)\?=(\s+(?==\?))?/gi, (whole, charset: string, encoding: string, text: string) => {
    try {
      const bytes = encoding.toLowerCase() === 'b' ? Buffer.from(text, 'base64') : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
      return new TextDecoder(charset.split('*')[0]!.trim()).decode(bytes);
    } catch {
      return whole;
    }
  });
}

/**
 * The same mail reduced to what cannot fail the model's checks (no HTML, files or references):
 * used only if a parsed message is ever refused, so the customer still reaches an agent.
 */
export function salvage(message: InboundMessageInput): InboundMessageInput {
  const sentAt = Number.isNaN(Date.parse(message.sentAt)) ? new Date().toISOString() : new Date(message.sentAt).toISOString();
  return {
    channelId: message.channelId,
    externalId: clip(message.externalId, MAX_ID) || hashedId(message.text),
    threadKey: clip(message.threadKey, MAX_ID) || 'unknown-sender',
    sender: { externalId: clip(message.sender.externalId, MAX_ID) || 'unknown-sender' },
    sentAt,
    text: clip(message.text, TEXT_LIMIT),
    ...(message.subject ? { subject: clip(message.subject, 998) } : {}),
    attachments: [],
    ...(message.automated ? { automated: true } : {}),
  };
}
