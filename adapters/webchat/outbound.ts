import type { OutboundMessage } from '../../src/channels/contract.js';

/** What a visitor's widget receives for an agent reply (no agent ids, no internal fields). */
export interface VisitorReply {
  readonly type: 'message';
  readonly message: {
    id: string;
    direction: 'outbound';
    author: { type: 'agent'; name: string };
    text: string;
    attachments: { id: string; name: string; mimeType: string; size: number; url: string }[];
    createdAt: string;
  };
}

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
