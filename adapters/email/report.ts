/**
 * Bounces: which of our messages could not be delivered, and why. A standard delivery status
 * notification is `multipart/report; report-type=delivery-status` (RFC 6522) with a
 * `message/delivery-status` part of field groups (RFC 3464) and the original message (or its
 * headers) attached. Older MTAs (Exim, some Gmail bounces) send plain text with
 * `X-Failed-Recipients` instead.
 */

export interface DeliveryFailure {
  readonly originalExternalId: string;
  readonly status?: string;
  readonly diagnostic: string;
}

export interface ReportParts {
  /** Top-level Content-Type value and its report-type parameter. */
  readonly contentType: string;
  readonly reportType: string | undefined;
  /** Raw `message/delivery-status` (or `message/global-delivery-status`) part, if any. */
  readonly deliveryStatus: Buffer | undefined;
  /** The returned original: a `message/rfc822` part or `text/rfc822-headers`. */
  readonly returnedHeaders: Buffer | undefined;
  readonly failedRecipients: string | undefined;
  /** Message-ids the bounce itself names in In-Reply-To/References, newest first. */
  readonly referencedIds: readonly string[];
  readonly text: string;
}

export type ReportOutcome =
  /** Not a delivery report at all. */
  | { kind: 'none' }
  /** A report, but not a failure (delayed, relayed, delivered) or one we cannot tie to a message. */
  | { kind: 'report' }
  | { kind: 'failure'; failure: DeliveryFailure };

export function readDeliveryReport(parts: ReportParts, canonical: (id: string) => string | undefined): ReportOutcome {
  const isDsn = parts.contentType === 'multipart/report' && parts.reportType?.toLowerCase() === 'delivery-status';
  if (!isDsn && parts.failedRecipients === undefined) return { kind: 'none' };

  let status: string | undefined;
  let diagnostic: string | undefined;
  if (parts.deliveryStatus) {
    const groups = fieldGroups(parts.deliveryStatus.toString('utf8'));
    const recipients = groups.slice(1);
    const failed = recipients.find((g) => g.get('action')?.toLowerCase() === 'failed');
    // A report whose recipients were only delayed or relayed is not a failure (RFC 3464 §2.3.3).
    if (!failed) return { kind: 'report' };
    status = failed.get('status')?.match(/\d\.\d{1,3}\.\d{1,3}/)?.[0];
    const recipient = failed.get('final-recipient') ?? failed.get('original-recipient');
    diagnostic = failed.get('diagnostic-code') ?? (recipient ? `could not be delivered to ${stripType(recipient)}` : undefined);
  } else if (isDsn) {
    return { kind: 'report' };
  } else {
    status = parts.text.match(/\b[45]\.\d{1,3}\.\d{1,3}\b/)?.[0];
    const recipient = parts.failedRecipients?.trim();
    // The explanation is above the returned copy of the message.
    const explanation = parts.text.split(/^.*(?:copy of the message|original message|Original message follows|message header follows).*$/im)[0] ?? parts.text;
    diagnostic = firstLines(explanation, 600) || (recipient ? `could not be delivered to ${recipient}` : undefined);
  }

  const original = originalMessageId(parts, canonical);
  if (!original) return { kind: 'report' };
  return {
    kind: 'failure',
    failure: {
      originalExternalId: original,
      ...(status ? { status } : {}),
      diagnostic: (diagnostic || 'the receiving server did not accept the message').slice(0, 2000),
    },
  };
}

/** The returned original's Message-ID, else what the bounce references, else a Message-ID line quoted in its text. */
function originalMessageId(parts: ReportParts, canonical: (id: string) => string | undefined): string | undefined {
  if (parts.returnedHeaders) {
    const head = headerBlock(parts.returnedHeaders.toString('utf8'));
    const value = head.get('message-id');
    const id = value ? canonical(value) : undefined;
    if (id) return id;
  }
  const referenced = parts.referencedIds[0];
  if (referenced) return referenced;
  const quoted = parts.text.match(/^\s*Message-ID:\s*(<[^<>\s]+>)/im)?.[1];
  return quoted ? canonical(quoted) : undefined;
}

/** RFC 3464 body: groups of header-style fields separated by blank lines, folded lines unfolded. */
function fieldGroups(body: string): Map<string, string>[] {
  return body
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((group) => headerBlock(group))
    .filter((group) => group.size > 0);
}

/** Header fields of a block (up to its first blank line); the first occurrence of a name wins. */
function headerBlock(text: string): Map<string, string> {
  const head = text.replace(/\r\n?/g, '\n').split(/\n[ \t]*\n/)[0] ?? '';
  const fields = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!fields.has(name)) fields.set(name, line.slice(colon + 1).trim());
  }
  return fields;
}

/** "rfc822; bob@example.com" → "bob@example.com". */
const stripType = (value: string): string => value.replace(/^[a-z0-9-]+;\s*/i, '');

function firstLines(text: string, max: number): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, max);
}
