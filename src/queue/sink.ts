import type { InboundSink } from '../channels/contract.js';
import { AttachmentTooLarge } from '../channels/errors.js';
import { senderUploadScope } from '../domain/attachment.js';
import { InboundMessage, type InboundMessageInput, type Redaction } from '../domain/message.js';
import type { Metrics } from '../runtime/metrics.js';
import { inboundJobId } from './jobs.js';
import type { Queues } from './queues.js';

/** A message an adapter produced that does not fit the normalized model: the request was bad. */
export class InvalidInboundMessage extends Error {
  override readonly name = 'InvalidInboundMessage';
}

/** Redis did not take the job: the caller must not acknowledge the platform (→ 503). */
export class QueueUnavailable extends Error {
  override readonly name = 'QueueUnavailable';
}

/**
 * What runs on every inbound message and file before it is queued or stored (the desk's inbound
 * filters, DESIGN §10): a recovery phrase removed here never reaches Redis, Postgres or a log.
 * Pure and fast — it runs inside the webhook's answer time.
 */
export interface InboundFilters {
  message(message: InboundMessage): InboundMessage;
  file(file: InboundFile): FilteredFile;
}

export interface InboundFile {
  readonly name: string | null;
  readonly mimeType: string;
  readonly bytes: Buffer;
}

/** A file as it may be stored, and what was removed from it. */
export interface FilteredFile {
  readonly bytes: Buffer;
  readonly redactions: readonly Redaction[];
}

export const noFilters: InboundFilters = { message: (m) => m, file: (f) => ({ bytes: f.bytes, redactions: [] }) };

export interface SinkFiles {
  readonly maxBytes: number;
  save(upload: { owner: string; name: string; mimeType: string; bytes: Buffer; redactions: readonly Redaction[] }): Promise<{ id: string }>;
}

/**
 * The sink of DESIGN §1: validates, filters and queues. It resolves only after Redis accepted the
 * job, and the job id (channel + external id) drops redeliveries that arrive while the first is
 * queued.
 */
export function createInboundSink(queues: Queues, metrics: Metrics, files: SinkFiles, filters: InboundFilters = noFilters): InboundSink {
  return {
    async saveAttachment(file) {
      if (file.bytes.length > files.maxBytes) throw new AttachmentTooLarge(file.bytes.length, files.maxBytes);
      const saved = await files.save({
        owner: senderUploadScope(file.channelId, file.senderExternalId),
        name: file.name,
        mimeType: file.mimeType,
        ...filters.file({ name: file.name, mimeType: file.mimeType, bytes: file.bytes }),
      });
      return { storedId: saved.id };
    },
    async accept(input: InboundMessageInput) {
      const parsed = InboundMessage.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new InvalidInboundMessage(`${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'invalid'}`);
      }
      const message = filters.message(parsed.data);
      try {
        await queues.inbound.add('message', { message, acceptedAt: Date.now() }, { jobId: inboundJobId(message.channelId, message.externalId, message.revision) });
      } catch (error) {
        throw new QueueUnavailable(`inbound queue unavailable: ${(error as Error).message}`);
      }
      metrics.accepted.inc({ channel: message.channelId });
    },
  };
}
