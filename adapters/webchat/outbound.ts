import type { OutboundChoice, OutboundMessage } from '../../src/channels/contract.js';
import type { VisitorReply } from './api.js';

/** The stream event of a reply; with `choice`, the question's options (values and labels only) go along. */
export function toVisitorReply(channelId: string, message: OutboundMessage, now: Date, choice?: OutboundChoice): VisitorReply {
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
      ...(choice ? { choice: { id: choice.id, options: choice.options.map(({ value, label }) => ({ value, label })) } } : {}),
    },
  };
}
