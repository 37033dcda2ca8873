import type { InboundSink } from '../../src/channels/contract.js';
import type { InboundMessageInput } from '../../src/domain/message.js';

/**
 * A sink for driving one adapter without a gateway: `accept` does what the test says; storing
 * attachment bytes is not part of these tests and fails loudly if an adapter tries.
 */
export function testSink(accept: (message: InboundMessageInput) => Promise<void> = async () => undefined): InboundSink {
  return {
    accept,
    async saveAttachment() {
      throw new Error('testSink does not store attachments');
    },
  };
}
