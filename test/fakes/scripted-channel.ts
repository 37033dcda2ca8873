import type {
  ChannelAdapter,
  ConversationAddress,
  FetchedFile,
  InboundSink,
  OutboundChoice,
  OutboundMessage,
  SendResult,
  WebhookReply,
  WebhookRequest,
} from '../../src/channels/contract.js';
import { PermanentChannelError, RetryableChannelError, WebhookRejection } from '../../src/channels/errors.js';
import { splitText } from '../../src/channels/kit/split-text.js';
import type { ChannelStatus } from '../../src/domain/channel.js';

/** What the scripted platform's webhook takes. */
export interface ScriptedInbound {
  id: string;
  from: string;
  text: string;
  sentAt?: string;
  revision?: { kind: 'edit' | 'delete'; at: string };
  event?: { type: 'blocked' | 'unblocked' | 'subscribed' | 'unsubscribed' | 'menu' | 'other'; detail?: string };
  /** Platform file references, fetched later through fetchAttachment(). */
  files?: string[];
  /** Defaults to `from` (one conversation per customer). */
  threadKey?: string;
  threadRefs?: string[];
  automated?: boolean;
  deliveryFailure?: { originalExternalId: string; status?: string; diagnostic: string };
  /** A tap on an option of one of our questions (issue 15). */
  choice?: { id: string; value: string };
}

export type SendStep =
  | { kind: 'ok' }
  | { kind: 'retryable'; message?: string; retryAfterMs?: number }
  | { kind: 'permanent'; code: string; message: string }
  | { kind: 'crash'; message?: string }
  /** Deliver this many parts of a split reply, then fail retryably (a network drop midway). */
  | { kind: 'partial'; parts: number };

export interface RecordedSend {
  address: ConversationAddress;
  message: OutboundMessage;
  at: number;
  outcome: SendStep['kind'];
}

/**
 * A channel whose platform is this object: a push webhook that takes JSON `{id, from, text}` with
 * a shared-secret header, and a `send()` that plays a script of outcomes and records every call.
 * It exercises the pipeline's contract (acks, retries, failure reasons) without a real platform.
 */
export class ScriptedChannel implements ChannelAdapter {
  readonly kind = 'webchat' as const;
  readonly name = 'Scripted test channel';
  readonly capabilities = { maxTextLength: 1000, formats: ['text'] as const, attachments: true, replyWindowHours: null, threadsByReference: true };
  readonly sends: RecordedSend[] = [];
  /** Every text part that reached the "customer", in order. */
  readonly delivered: string[] = [];
  private script: SendStep[] = [];
  private sequence = 0;

  constructor(
    readonly id = 'scripted',
    private readonly secret = 'scripted-secret',
  ) {}

  /** Outcomes for the next send() calls, in order; once used up, sends succeed. */
  willSend(...steps: SendStep[]): void {
    this.script.push(...steps);
  }

  async webhook(request: WebhookRequest, sink: InboundSink): Promise<WebhookReply> {
    if (request.method !== 'POST') throw new WebhookRejection(405, 'POST only');
    if (request.headers['x-secret'] !== this.secret) throw new WebhookRejection(401, 'bad secret');
    let body: ScriptedInbound;
    try {
      body = JSON.parse(request.rawBody.toString('utf8'));
    } catch {
      throw new WebhookRejection(400, 'malformed JSON');
    }
    await sink.accept({
      channelId: this.id,
      externalId: String(body.id),
      threadKey: String(body.threadKey ?? body.from),
      sender: { externalId: String(body.from), name: `Customer ${body.from}` },
      sentAt: body.sentAt ?? new Date().toISOString(),
      text: String(body.text ?? ''),
      ...(body.revision ? { revision: body.revision } : {}),
      ...(body.event ? { event: body.event } : {}),
      ...(body.threadRefs ? { threadRefs: body.threadRefs } : {}),
      ...(body.automated ? { automated: true } : {}),
      ...(body.deliveryFailure ? { deliveryFailure: body.deliveryFailure } : {}),
      ...(body.choice ? { choice: body.choice } : {}),
      ...(body.files ? { attachments: body.files.map((remote) => ({ kind: 'file' as const, remote, name: remote })) } : {}),
      raw: body,
    });
    return { status: 200, body: 'ok' };
  }

  /** Files the "platform" serves to fetchAttachment(); a missing one is an expired link. */
  readonly files = new Map<string, { bytes: Buffer; mimeType: string }>();
  fetchFailures = 0;

  async fetchAttachment(remote: string, maxBytes: number): Promise<FetchedFile> {
    if (this.fetchFailures > 0) {
      this.fetchFailures -= 1;
      throw new RetryableChannelError('file server 502', 'fetch_failed');
    }
    const file = this.files.get(remote);
    if (!file) throw new PermanentChannelError('the file link has expired', 'expired');
    if (file.bytes.length > maxBytes) throw new PermanentChannelError('the file is over the download limit', 'too_large');
    return { bytes: file.bytes, mimeType: file.mimeType };
  }

  async send(address: ConversationAddress, message: OutboundMessage): Promise<SendResult> {
    const step = this.script.shift() ?? { kind: 'ok' };
    this.sends.push({ address, message, at: Date.now(), outcome: step.kind });
    const parts = splitText(message.text, this.capabilities.maxTextLength).slice(message.alreadySent.length);
    const deliver = (count: number): string[] =>
      parts.slice(0, count).map((part) => {
        this.delivered.push(part);
        this.sequence += 1;
        return `out-${this.sequence}`;
      });
    switch (step.kind) {
      case 'ok':
        return { externalIds: deliver(parts.length) };
      case 'partial':
        throw new RetryableChannelError('connection reset midway', 'network', undefined, deliver(step.parts));
      case 'retryable':
        throw new RetryableChannelError(step.message ?? 'platform unavailable (503)', 'platform_unavailable', step.retryAfterMs);
      case 'permanent':
        throw new PermanentChannelError(step.message, step.code);
      case 'crash':
        throw new Error(step.message ?? 'socket hang up');
    }
  }

  async verify(): Promise<ChannelStatus> {
    return { status: 'ok', error: null, checkedAt: new Date().toISOString() };
  }
}

/**
 * A scripted channel that presents questions natively (issue 15): as buttons (a tap comes back
 * as a webhook body with `choice`) or as links. `sendChoice` records each question it got.
 */
export class ChoiceChannel extends ScriptedChannel {
  override readonly capabilities;
  readonly choices: { address: ConversationAddress; text: string; choice: OutboundChoice }[] = [];

  constructor(id: string, presentation: 'buttons' | 'links', secret?: string) {
    super(id, secret);
    this.capabilities = { maxTextLength: 1000, formats: ['text'] as const, attachments: true, replyWindowHours: null, threadsByReference: true, [presentation]: true };
  }

  async sendChoice(address: ConversationAddress, message: OutboundMessage & { readonly choice: OutboundChoice }): Promise<SendResult> {
    this.choices.push({ address, text: message.text, choice: message.choice });
    return this.send(address, message);
  }
}
