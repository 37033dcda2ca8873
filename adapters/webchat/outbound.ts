import type { OutboundMessage } from '../../src/channels/contract.js';
import type { VisitorReply } from './api.js';

export function toVisitorReply(channelId: string, message: OutboundMessage, now: Date): VisitorReply {
  return {
    type: 'message',
    message: {
      id: message.messageId,
      direction: 'outbound',
      author: { type: 'agent', name: message.authorName },
      text: message.text,
      attachments: message.attachments.map((a) => ({
        id: a.id,
        name: a.name,
        mimeType: a.mimeType,
        size: a.size,
        url: `/widget/${channelId}/attachments/${a.id}`,
      })),
      createdAt: now.toISOString(),
    },
  };
}
