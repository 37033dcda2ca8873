import type { Logger } from 'pino';
import type { ChannelAdapter } from '../channels/contract.js';
import type { Queues } from '../queue/queues.js';
import type { EventBus } from '../realtime/bus.js';
import type { Metrics } from '../runtime/metrics.js';
import type { AttachmentStore } from '../store/attachment-store.js';
import type { Db } from '../store/database.js';

/** What the use cases in `src/inbox/` work with; built once by the composition root. */
export interface InboxDeps {
  readonly db: Db;
  readonly bus: EventBus;
  readonly queues: Queues;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly attachments: AttachmentStore;
  readonly adapters: ReadonlyMap<string, ChannelAdapter>;
  /** Largest attachment kept, from any side (visitor, agent, platform download). */
  readonly attachmentMaxBytes: number;
  /** Channel id → acknowledgement text for new conversations (channel config `autoReply`). */
  readonly autoReplies: ReadonlyMap<string, string>;
}

/** Realtime events are best effort: the data is committed, and clients refetch on reconnect. */
export async function announce(deps: Pick<InboxDeps, 'bus' | 'logger'>, publish: () => Promise<void>): Promise<void> {
  try {
    await publish();
  } catch (error) {
    deps.logger.warn({ err: error }, 'realtime event not published');
  }
}
