import { createTransport, type SendMailOptions } from 'nodemailer';
import type { ConversationAddress, OutboundChoice, OutboundMessage } from '../../src/channels/contract.js';
import { PermanentChannelError, RetryableChannelError } from '../../src/channels/errors.js';
import type { EmailConfig } from './config.js';
import { choiceHtml, type LinkOption, replyHtml } from './html.js';
import { canonicalId } from './inbound.js';

/** References keeps the thread's root and the newest ids; long chains are trimmed like mail clients do (RFC 5322 §3.6.4 allows it). */
const MAX_REFERENCES = 20;
const REPLY_PREFIX = /^\s*(?:re|aw|sv|antw|vs|ref|rif|odp|回复|回覆|答复)\s*(?:\[\d+\])?\s*[:：]/i;

/**
 * The message an agent's reply becomes, without sending it (tested on its own). Its Message-ID is
 * derived from our message id, so a retry after an SMTP timeout sends the same Message-ID and the
 * recipient's mail system can recognise the second copy.
 */
export function composeReply(
  config: EmailConfig,
  address: ConversationAddress,
  message: OutboundMessage,
  body: MailBody = replyBody(message.text),
): SendMailOptions & { messageId: string } {
  const to = address.contactEmail ?? address.contactExternalId;
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(to)) throw new PermanentChannelError(`the customer has no email address to answer (${to})`, 'no_address');
  const [local, domain] = splitAddress(config.address);
  const messageId = ourMessageId(message.messageId, domain);
  const mailbox = config.fromName ?? config.name;
  const display = message.automatic || !config.agentNameInFrom ? mailbox : mailbox ? `${message.authorName} (${mailbox})` : message.authorName;
  const from = withName(display, config.address);

  const thread = (address.threadExternalIds ?? []).flatMap((id) => (isMessageId(id) ? [id] : []));
  const answered = [message.replyToExternalId, address.lastInboundExternalId].find((id): id is string => id !== undefined && isMessageId(id));
  const references = referencesFor(thread, answered, messageId);

  return {
    from,
    to,
    subject: replySubject(address.subject),
    messageId,
    ...(answered ? { inReplyTo: answered } : {}),
    ...(references.length > 0 ? { references } : {}),
    ...(config.replyToken ? { replyTo: withName(display, `${local}+${message.messageId}@${domain}`) } : {}),
    text: body.text,
    html: body.html,
    headers: message.automatic
      ? {
          // RFC 3834 §5: marks the acknowledgement as automatic, so well-behaved responders stay
          // quiet; Exchange honours its own header for out-of-office and auto-replies.
          'Auto-Submitted': 'auto-replied',
          'X-Auto-Response-Suppress': 'All',
        }
      : {},
  };
}

/** The two alternatives of a mail's content. */
export interface MailBody {
  readonly text: string;
  readonly html: string;
}

/** An agent's reply: the text as typed, and its HTML rendering. */
export const replyBody = (text: string): MailBody => ({ text, html: replyHtml(text) });

/**
 * A question with options (`sendChoice`): mail has no buttons that report back, so each option is
 * the link the desk signed for it — in the plain part one line `label: url` per option, in the HTML
 * part a row of buttons. The adapter builds no address and writes no wording of its own.
 */
export function choiceBody(text: string, choice: OutboundChoice): MailBody {
  const options: LinkOption[] = choice.options.map((option, index) => {
    if (!option.url || !/^https?:\/\/[^\s<>"]+$/i.test(option.url)) {
      throw new PermanentChannelError(`option ${index + 1} of the question has no http(s) link to put in the mail`, 'invalid_choice');
    }
    // One option, one line: a caption's line breaks would split `label: url` apart.
    return { value: option.value, label: option.label.replace(/\s+/g, ' ').trim(), url: option.url };
  });
  const lines = options.map((option) => `${option.label}: ${option.url}`);
  return { text: [text.trimEnd(), lines.join('\n')].filter(Boolean).join('\n\n'), html: choiceHtml(text, options) };
}

/** `<message id>@<domain of our address>`: the id the reply token and threading map back to. */
export function ourMessageId(messageId: string, domain: string): string {
  return `<${messageId}@${domain}>`;
}

export function replySubject(subject: string | undefined): string {
  const trimmed = (subject ?? '').trim();
  if (trimmed === '') return 'Re: your message';
  return REPLY_PREFIX.test(trimmed) ? trimmed : `Re: ${trimmed}`;
}

/** Oldest first, the answered message last, our own id never; the root survives trimming. */
function referencesFor(thread: readonly string[], answered: string | undefined, own: string): string[] {
  const ids = [...new Set([...thread.filter((id) => id !== answered), ...(answered ? [answered] : [])])].filter((id) => id !== own);
  if (ids.length <= MAX_REFERENCES) return ids;
  return [ids[0]!, ...ids.slice(-(MAX_REFERENCES - 1))];
}

const isMessageId = (id: string): boolean => /^<[^<>\s]+@[^<>\s]+>$/.test(id) && canonicalId(id) === id;

const withName = (name: string | undefined, address: string) => (name ? { name, address } : address);

function splitAddress(address: string): [string, string] {
  const at = address.lastIndexOf('@');
  return [address.slice(0, at), address.slice(at + 1)];
}

/** The pooled SMTP transport of one mailbox. */
export class EmailSender {
  private readonly transport;

  constructor(private readonly config: EmailConfig) {
    const smtp = config.smtp;
    this.transport = createTransport({
      pool: true,
      maxConnections: smtp.maxConnections,
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      ...(smtp.secure ? {} : smtp.starttls === 'required' ? { requireTLS: true } : { ignoreTLS: true }),
      ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
      tls: { rejectUnauthorized: smtp.tls.rejectUnauthorized, ...(smtp.tls.servername ? { servername: smtp.tls.servername } : {}) },
      // Pooled connections close after a minute without replies instead of nodemailer's four.
      idleTimeout: 60_000,
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 120_000,
    });
  }

  /** Sends one reply; `body` replaces the agent's text as the content (a question's links). */
  async send(address: ConversationAddress, message: OutboundMessage, body?: MailBody): Promise<string[]> {
    // One mail per reply: an attempt the core already saw delivered is not sent again.
    if (message.alreadySent.length > 0) return [...message.alreadySent];
    const mail = composeReply(this.config, address, message, body);
    try {
      const attachments = await Promise.all(message.attachments.map(async (file) => ({ filename: file.name, contentType: file.mimeType, content: await file.read() })));
      await this.transport.sendMail({ ...mail, attachments });
    } catch (error) {
      throw toChannelError(error);
    }
    return [mail.messageId];
  }

  /** Connects and authenticates without sending (the channel check). */
  async verify(): Promise<void> {
    await this.transport.verify();
  }

  close(): void {
    this.transport.close();
  }
}

/**
 * What a failed SMTP attempt means (STYLE §8): a 4xx reply, 503 and network faults may pass
 * later; any other 5xx reply is the server's final word and its text is what the agent sees.
 */
export function toChannelError(error: unknown): RetryableChannelError | PermanentChannelError {
  if (error instanceof PermanentChannelError || error instanceof RetryableChannelError) return error;
  const e = error as { responseCode?: number; response?: string; code?: string; message?: string; rejectedErrors?: { responseCode?: number; response?: string }[] };
  const rejected = e.rejectedErrors?.find((r) => r.responseCode !== undefined);
  const code = e.responseCode ?? rejected?.responseCode;
  const reason = (e.response ?? rejected?.response ?? e.message ?? String(error)).trim();
  // Said in the operator's terms: the server's reply alone ("500 command not recognized") does not.
  if (e.code === 'ETLS') return new PermanentChannelError(`the mail server could not start TLS (STARTTLS is required by this channel's smtp.starttls): ${reason}`, 'tls');
  if ((e.code === 'EAUTH' || e.code === 'ENOAUTH') && (code === undefined || code >= 500)) return new PermanentChannelError(`SMTP login failed: ${reason}`, 'unauthorized');
  if (code !== undefined && code >= 500 && code !== 503) return new PermanentChannelError(`the mail server refused the message: ${reason}`, 'rejected');
  if (code !== undefined) return new RetryableChannelError(`the mail server deferred the message: ${reason}`, 'deferred');
  if (e.code === 'ECONFIG' || e.code === 'EENVELOPE') return new PermanentChannelError(reason, 'rejected');
  return new RetryableChannelError(`could not reach the mail server: ${reason}`, 'network');
}
