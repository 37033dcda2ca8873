import type { ChannelAdapter, InboundSink } from '../../src/channels/contract.js';
import type { ChannelStatus } from '../../src/domain/channel.js';

/**
 * A socket-style channel (like Discord's gateway or IMAP IDLE) whose "connection" is this object:
 * it records who is connected, and `push()` delivers a platform message through whichever
 * instance currently holds the connection.
 */
export class ConnectorChannel implements ChannelAdapter {
  readonly kind = 'webchat' as const;
  readonly name = 'Connector test channel';
  readonly capabilities = { maxTextLength: 1000, formats: ['text'] as const, attachments: false, replyWindowHours: null };
  connected = false;
  connections = 0;
  private sink: InboundSink | undefined;

  constructor(readonly id = 'socket') {}

  async start(sink: InboundSink, signal: AbortSignal): Promise<void> {
    this.connected = true;
    this.connections += 1;
    this.sink = sink;
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    this.connected = false;
    this.sink = undefined;
  }

  async push(id: string, text: string): Promise<void> {
    if (!this.sink) throw new Error(`${this.id} is not connected`);
    await this.sink.accept({ channelId: this.id, externalId: id, threadKey: 'customer-1', sender: { externalId: 'customer-1', name: 'Socket customer' }, sentAt: new Date().toISOString(), text });
  }

  async send(): Promise<{ externalIds: string[] }> {
    return { externalIds: [] };
  }

  async verify(): Promise<ChannelStatus> {
    return { status: 'ok', error: null, checkedAt: new Date().toISOString() };
  }
}
