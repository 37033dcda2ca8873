import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { InboundAttachment } from '../../src/domain/attachment.js';
import { parseChoiceToken } from '../../src/domain/choice.js';
import type { InboundMessageInput } from '../../src/domain/message.js';

/*
 * WeChat's push format: one flat `<xml>` element whose children are CDATA or plain text
 * (接收普通消息 / 接收事件推送, https://developers.weixin.qq.com/doc/subscription/guide/dev/push/).
 * We parse exactly that and nothing more, so the classic XML attacks (XXE via <!DOCTYPE>/<!ENTITY>,
 * "billion laughs" entity expansion) have no grammar to hide in: WeChat's own 2018 sample-code
 * update disabled DTDs for the same reason.
 */

/** Largest push we read. Real ones are a few KB (compatible mode ≈ 3× a plain one). */
export const XML_LIMIT_BYTES = 64 * 1024;
/** WeChat pushes have about a dozen fields. */
const MAX_FIELDS = 64;
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

export type XmlProblem = 'too_large' | 'malformed' | 'forbidden';

/** A push we refuse to read; `problem` picks the HTTP status (413 for too_large, else 400). */
export class XmlError extends Error {
  override readonly name = 'XmlError';
  constructor(
    readonly problem: XmlProblem,
    message: string,
  ) {
    super(message);
  }
}

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses WeChat's flat XML into its fields. CDATA is kept byte for byte (several sections in one
 * element are joined, which is how `]]>` itself is written); plain text gets the five predefined
 * entities and numeric character references decoded. Refuses DTDs, entity declarations, comments,
 * processing instructions (other than a leading `<?xml …?>`), attributes, nesting, repeated
 * fields and anything over `limitBytes`, each with a reason a developer can act on.
 */
export function parseXml(input: Buffer | string, limitBytes = XML_LIMIT_BYTES): Record<string, string> {
  const size = typeof input === 'string' ? Buffer.byteLength(input) : input.length;
  if (size > limitBytes) throw new XmlError('too_large', `the XML body is ${size} bytes; WeChat messages are far smaller (limit ${limitBytes})`);
  let text: string;
  try {
    text = typeof input === 'string' ? input : decoder.decode(input);
  } catch {
    throw new XmlError('malformed', 'the body is not valid UTF-8');
  }
  return new FlatXmlReader(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).read();
}

class FlatXmlReader {
  private pos = 0;

  constructor(private readonly text: string) {}

  read(): Record<string, string> {
    this.skipSpace();
    if (this.text.startsWith('<?xml', this.pos)) this.declaration();
    this.skipSpace();
    this.refuseMarkup('before the <xml> element');
    if (!this.text.startsWith('<xml>', this.pos)) throw new XmlError('malformed', 'expected the <xml> root element');
    this.pos += 5;
    const fields = new Map<string, string>();
    for (;;) {
      this.skipSpace();
      if (this.text.startsWith('</', this.pos)) {
        this.closing('xml');
        break;
      }
      this.refuseMarkup('inside <xml>');
      if (this.pos >= this.text.length) throw new XmlError('malformed', '<xml> is not closed');
      if (this.text[this.pos] !== '<' || this.text.startsWith('<![CDATA[', this.pos)) throw new XmlError('malformed', 'text directly inside <xml> (outside any field)');
      const [name, value] = this.field();
      if (fields.has(name)) throw new XmlError('malformed', `<${name}> appears twice`);
      if (fields.size >= MAX_FIELDS) throw new XmlError('malformed', `more than ${MAX_FIELDS} fields`);
      fields.set(name, value);
    }
    this.skipSpace();
    if (this.pos < this.text.length) throw new XmlError('malformed', 'content after </xml>');
    return Object.fromEntries(fields);
  }

  /** Only `<?xml version=".." encoding="UTF-8"?>`; another encoding would mean other bytes than we decode. */
  private declaration(): void {
    const end = this.text.indexOf('?>', this.pos);
    const declaration = end < 0 ? '' : this.text.slice(this.pos, end + 2);
    if (!/^<\?xml(\s+[A-Za-z]+\s*=\s*("[^"<>?]*"|'[^'<>?]*'))*\s*\?>$/.test(declaration)) throw new XmlError('malformed', 'malformed <?xml …?> declaration');
    const encoding = /encoding\s*=\s*["']([^"']*)["']/.exec(declaration)?.[1];
    if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) throw new XmlError('malformed', `encoding "${encoding}" is not supported (WeChat sends UTF-8)`);
    this.pos = end + 2;
  }

  private field(): [string, string] {
    const open = /^<([^\s/>]*)\s*(\/?)>/.exec(this.text.slice(this.pos, this.pos + 80));
    if (!open) {
      const name = /^<([^\s/>]*)/.exec(this.text.slice(this.pos, this.pos + 80))?.[1] ?? '';
      throw new XmlError('forbidden', `attributes are not allowed (<${name} …>): WeChat fields have none`);
    }
    const name = open[1]!;
    if (!NAME.test(name)) throw new XmlError('malformed', `"${name.slice(0, 40)}" is not a field name`);
    this.pos += open[0].length;
    if (open[2] === '/') return [name, ''];
    return [name, this.content(name)];
  }

  private content(name: string): string {
    let out = '';
    for (;;) {
      if (this.pos >= this.text.length) throw new XmlError('malformed', `<${name}> is not closed`);
      if (this.text.startsWith('<![CDATA[', this.pos)) {
        const end = this.text.indexOf(']]>', this.pos + 9);
        if (end < 0) throw new XmlError('malformed', `unterminated CDATA section in <${name}>`);
        out += this.text.slice(this.pos + 9, end);
        this.pos = end + 3;
        continue;
      }
      if (this.text.startsWith('</', this.pos)) {
        this.closing(name);
        return out;
      }
      this.refuseMarkup(`inside <${name}>`);
      const char = this.text[this.pos];
      if (char === '<') throw new XmlError('forbidden', `nested element inside <${name}>: WeChat messages are one level deep`);
      if (char === '&') {
        out += this.reference(name);
        continue;
      }
      const markup = /[<&]/g;
      markup.lastIndex = this.pos;
      const run = this.text.slice(this.pos, markup.exec(this.text)?.index ?? this.text.length);
      if (run.includes(']]>')) throw new XmlError('malformed', `"]]>" outside CDATA in <${name}>`);
      out += run;
      this.pos += run.length;
    }
  }

  private reference(name: string): string {
    const match = /^&(#x[0-9A-Fa-f]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{0,31});/.exec(this.text.slice(this.pos, this.pos + 40));
    if (!match) throw new XmlError('malformed', `a bare "&" in <${name}> (write &amp;)`);
    this.pos += match[0].length;
    const ref = match[1]!;
    if (!ref.startsWith('#')) {
      const value = ENTITIES[ref];
      if (value === undefined) throw new XmlError('forbidden', `undefined entity &${ref}; in <${name}>: only &lt; &gt; &amp; &quot; &apos; are allowed`);
      return value;
    }
    const code = ref.startsWith('#x') ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
    const allowed = code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
    if (!allowed) throw new XmlError('malformed', `&${ref}; is not a valid XML character`);
    return String.fromCodePoint(code);
  }

  private closing(name: string): void {
    const close = /^<\/([^\s>]*)\s*>/.exec(this.text.slice(this.pos, this.pos + 80));
    if (!close || close[1] !== name) throw new XmlError('malformed', `<${name}> is closed by ${close ? `</${close[1]!.slice(0, 40)}>` : 'something else'}`);
    this.pos += close[0].length;
  }

  /** DTDs, entity declarations, comments and processing instructions have no place in a push. */
  private refuseMarkup(where: string): void {
    const rest = this.text.slice(this.pos, this.pos + 16);
    if (/^<!DOCTYPE/i.test(rest)) throw new XmlError('forbidden', `<!DOCTYPE> ${where} is refused: no DTDs (XXE, entity expansion)`);
    if (/^<!ENTITY/i.test(rest)) throw new XmlError('forbidden', `<!ENTITY> ${where} is refused: no entity declarations`);
    if (rest.startsWith('<!--')) throw new XmlError('forbidden', `comments ${where} are refused`);
    if (rest.startsWith('<!') && !rest.startsWith('<![CDATA[')) throw new XmlError('forbidden', `markup declaration ${where} is refused`);
    if (rest.startsWith('<?')) throw new XmlError('forbidden', `processing instructions ${where} are refused (only a leading <?xml …?>)`);
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos += 1;
  }
}

/** `<![CDATA[…]]>` for any text: a `]]>` inside is split across two sections, as XML requires. */
export const cdata = (value: string): string => `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

/** Builds the same flat format: strings as CDATA, integers as plain text (CreateTime, TimeStamp). */
export function buildXml(fields: readonly (readonly [string, string | number])[]): string {
  const body = fields.map(([name, value]) => {
    if (!NAME.test(name)) throw new Error(`"${name}" is not a field name`);
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new Error(`<${name}> must be an integer`);
    return `<${name}>${typeof value === 'number' ? String(value) : cdata(value)}</${name}>`;
  });
  return `<xml>${body.join('')}</xml>`;
}

/* The fields we read, per documented type (普通消息 / 事件推送). Unknown fields stay in `raw`. */

const unixSeconds = z.string().regex(/^\d{1,12}$/, 'unix seconds');
const common = {
  /** The Official Account's original id (gh_…). */
  ToUserName: z.string().min(1).max(128),
  /** The customer's OpenID for this account. */
  FromUserName: z.string().min(1).max(128),
  CreateTime: unixSeconds,
};
/** A 64-bit integer in decimal. */
const MsgId = z.string().regex(/^\d{1,24}$/, 'a decimal MsgId');
const coordinate = z.string().trim().regex(/^-?\d{1,3}(\.\d+)?$/, 'a decimal coordinate');

/**
 * A tap on an item of one of our 菜单消息 arrives as a text message: Content = the item's text,
 * `bizmsgmenuid` = its id (plain text, lowercase name, as in the 发送客服消息 菜单消息 example).
 */
const Text = z.object({ ...common, MsgType: z.literal('text'), Content: z.string(), MsgId, bizmsgmenuid: z.string().optional() });
const Image = z.object({ ...common, MsgType: z.literal('image'), PicUrl: z.string().optional(), MediaId: z.string().min(1).max(1024), MsgId });
const Voice = z.object({ ...common, MsgType: z.literal('voice'), MediaId: z.string().min(1).max(1024), Format: z.string().optional(), Recognition: z.string().optional(), MsgId });
const Video = z.object({ ...common, MsgType: z.enum(['video', 'shortvideo']), MediaId: z.string().min(1).max(1024), ThumbMediaId: z.string().optional(), MsgId });
const Location = z.object({ ...common, MsgType: z.literal('location'), Location_X: coordinate, Location_Y: coordinate, Scale: z.string().optional(), Label: z.string().optional(), MsgId });
const Link = z.object({ ...common, MsgType: z.literal('link'), Title: z.string().optional(), Description: z.string().optional(), Url: z.string().optional(), MsgId });
const EventPush = z.object({ ...common, MsgType: z.literal('event'), Event: z.string().min(1), EventKey: z.string().optional() });

export const WechatPush = z.discriminatedUnion('MsgType', [Text, Image, Voice, Video, Location, Link, EventPush]);
export type WechatPush = z.infer<typeof WechatPush>;

/** Enough to know who sent what, even for a type we do not know yet. */
const Envelope = z.object({ ...common, MsgType: z.string().min(1), MsgId: MsgId.optional() });

export type ParseOutcome =
  | { kind: 'message'; message: InboundMessageInput }
  /** Nothing for the inbox (location reports, template-send receipts, …); answered `success`. */
  | { kind: 'ignored'; reason: string; unexpected?: true };

/**
 * Pure: the fields of one push → the normalized message, or the reason it is ignored. Throws
 * XmlError('malformed') when it is not a WeChat message at all (no sender, time or type).
 */
export function toInboundMessage(fields: Readonly<Record<string, string>>, channelId: string): ParseOutcome {
  const envelope = Envelope.safeParse(fields);
  if (!envelope.success) {
    const issue = envelope.error.issues[0];
    throw new XmlError('malformed', `not a WeChat message: ${issue?.path.join('.') || 'fields'} ${issue?.message ?? 'invalid'}`);
  }
  const push = WechatPush.safeParse(fields);
  const raw = { fields };
  if (!push.success) {
    const { MsgType, MsgId: id } = envelope.data;
    if (['text', 'image', 'voice', 'video', 'shortvideo', 'location', 'link', 'event'].includes(MsgType) || id === undefined) {
      const issue = push.error.issues[0];
      return { kind: 'ignored', unexpected: true, reason: `a "${MsgType}" push in an unexpected shape (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''})` };
    }
    // A message type newer than this parser: the customer wrote something, so the agent should know.
    return { kind: 'message', message: { ...base(envelope.data, channelId, raw), externalId: id, text: `(a WeChat "${MsgType.slice(0, 40)}" message, which the inbox cannot show)` } };
  }
  const data = push.data;
  if (data.MsgType === 'event') return fromEvent(data, channelId, raw);
  const message = { ...base(data, channelId, raw), externalId: data.MsgId };
  switch (data.MsgType) {
    case 'text': {
      // An id that is not one of our choice tokens (a menu sent from elsewhere) is plain text.
      const choice = data.bizmsgmenuid === undefined ? undefined : parseChoiceToken(data.bizmsgmenuid.trim());
      // The MsgId stays the dedup key: WeChat's retries of the tap carry the same one.
      return { kind: 'message', message: { ...message, text: data.Content, ...(choice ? { choice } : {}) } };
    }
    case 'image':
      // MediaId, not PicUrl: media/get serves the original for 3 days; PicUrl stays in `raw`.
      return { kind: 'message', message: { ...message, text: '', attachments: [{ kind: 'image', remote: data.MediaId }] } };
    case 'voice': {
      const recognition = data.Recognition?.trim();
      const mimeType = voiceMime(data.Format);
      const audio: InboundAttachment = { kind: 'audio', remote: data.MediaId, ...(mimeType ? { mimeType } : {}) };
      return { kind: 'message', message: { ...message, text: recognition ?? '', attachments: [audio] } };
    }
    case 'video':
    case 'shortvideo':
      return { kind: 'message', message: { ...message, text: '', attachments: [{ kind: 'video', remote: data.MediaId, mimeType: 'video/mp4' }] } };
    case 'location': {
      // Location_X is the latitude, Location_Y the longitude (接收普通消息, 地理位置消息).
      const latitude = Number(data.Location_X);
      const longitude = Number(data.Location_Y);
      const label = data.Label?.trim();
      return {
        kind: 'message',
        message: { ...message, text: label || `Location ${latitude}, ${longitude}`, attachments: [{ kind: 'location', latitude, longitude, ...(label ? { name: label.slice(0, 255) } : {}) }] },
      };
    }
    case 'link':
      return { kind: 'message', message: { ...message, text: [data.Title, data.Description, data.Url].map((part) => part?.trim()).filter(Boolean).join('\n') } };
  }
}

/** A full parse of one push body, for tests and tools: XML → fields → message. */
export function parsePush(xml: Buffer | string, channelId: string): ParseOutcome {
  return toInboundMessage(parseXml(xml), channelId);
}

type Common = { FromUserName: string; CreateTime: string };

function base(data: Common, channelId: string, raw: unknown) {
  return {
    channelId,
    threadKey: data.FromUserName,
    // WeChat sends no name; fetching one needs the user-info API, which we do not call.
    sender: { externalId: data.FromUserName },
    sentAt: new Date(Number(data.CreateTime) * 1000).toISOString(),
    raw,
  };
}

/**
 * Events have no MsgId; WeChat's dedup advice is FromUserName + CreateTime (被动回复用户消息). Two
 * events can share a second (subscribe, then a menu click), so Event and EventKey are part of it.
 */
export function eventKey(data: { FromUserName: string; CreateTime: string; Event: string; EventKey?: string | undefined }): string {
  const key = `${data.FromUserName}-${data.CreateTime}-${data.Event}${data.EventKey ? `-${data.EventKey}` : ''}`;
  if (key.length <= 512) return key;
  return `${data.FromUserName}-${data.CreateTime}-${data.Event}-${createHash('sha256').update(data.EventKey ?? '').digest('hex')}`;
}

function fromEvent(data: z.infer<typeof EventPush>, channelId: string, raw: unknown): ParseOutcome {
  const message = { ...base(data, channelId, raw), externalId: eventKey(data) };
  const key = data.EventKey?.trim() ?? '';
  const detail = key ? { detail: key.slice(0, 500) } : {};
  switch (data.Event) {
    case 'subscribe': {
      // Following through a parametric QR code adds EventKey=qrscene_<scene> (生成带参数的二维码).
      const scene = key.startsWith('qrscene_') ? key.slice('qrscene_'.length) : '';
      const text = scene ? `The customer followed the Official Account (QR code scene ${scene})` : 'The customer followed the Official Account';
      return { kind: 'message', message: { ...message, text, event: { type: 'subscribed', ...detail } } };
    }
    case 'unsubscribe':
      // Becomes the conversation's "unreachable" reason until the customer follows again.
      return { kind: 'message', message: { ...message, text: 'The customer unfollowed the Official Account; WeChat delivers no messages to them until they follow again', event: { type: 'unsubscribed' } } };
    case 'CLICK':
      return { kind: 'message', message: { ...message, text: `Menu click: ${key}`, event: { type: 'menu', ...detail } } };
    case 'VIEW':
      return { kind: 'message', message: { ...message, text: `Menu link opened: ${key}`, event: { type: 'menu', ...detail } } };
    case 'SCAN':
      // An existing follower scanned a parametric QR code: context for the agent (which campaign).
      return { kind: 'message', message: { ...message, text: `The customer scanned QR code scene ${key}`, event: { type: 'other', ...detail } } };
    case 'LOCATION':
      // Sent every time a follower opens the chat (or every 5 s) when location reporting is on.
      return { kind: 'ignored', reason: 'periodic location report (LOCATION event)' };
    default:
      return { kind: 'ignored', reason: `event ${data.Event.slice(0, 60)}` };
  }
}

/** Voice Format is `amr` or `speex` (接收普通消息, 语音消息); media/get also names the type. */
function voiceMime(format: string | undefined): string | undefined {
  switch (format?.toLowerCase()) {
    case 'amr':
      return 'audio/amr';
    case 'speex':
      return 'audio/speex';
    default:
      return undefined;
  }
}
