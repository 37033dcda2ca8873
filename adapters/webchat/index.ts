import type { ChannelAdapter, ConversationAddress, OutboundChoice, OutboundMessage, SendResult } from '../../src/channels/contract.js';
import { RetryableChannelError } from '../../src/channels/errors.js';
import { defineAdapter } from '../../src/channels/kit/index.js';
import { WIDGET_MAX_TEXT } from '../../src/domain/uploads.js';
import { type WebchatConfig, webchatConfig } from './config.js';
import { toVisitorReply } from './outbound.js';

/** The web chat channel's adapter, plus the settings the widget endpoints need. */
export interface WebchatAdapter extends ChannelAdapter {
  readonly kind: 'webchat';
  readonly widget: Pick<WebchatConfig, 'identitySecret' | 'allowedOrigins' | 'welcomeMessage' | 'sessionDays' | 'limits'>;
}

export function isWebchatAdapter(adapter: ChannelAdapter | undefined): adapter is WebchatAdapter {
  return adapter?.kind === 'webchat' && 'widget' in adapter;
}

export const webchat = defineAdapter<typeof webchatConfig, WebchatAdapter>({
  kind: 'webchat',
  configSchema: webchatConfig,
  defaultName: 'Website chat',
  create(config, context) {
    // The reply is already stored; "sending" it means pushing it to the visitor's open widgets.
    // A visitor who is offline sees it in the history on their next visit.
    async function publish(address: ConversationAddress, message: OutboundMessage, choice?: OutboundChoice): Promise<SendResult> {
      try {
        await context.realtime.publishToVisitor(config.id, address.threadKey, toVisitorReply(config.id, message, new Date(), choice));
      } catch (error) {
        throw new RetryableChannelError(`realtime delivery failed: ${(error as Error).message}`, 'realtime_unavailable');
      }
      return { externalIds: [`web-${message.messageId}`] };
    }
    return {
      // The widget shows a question's options as buttons under its text; a tap comes back as the visitor's message.
      capabilities: { maxTextLength: WIDGET_MAX_TEXT, formats: ['text'], attachments: true, replyWindowHours: null, buttons: true },
      widget: {
        identitySecret: config.identitySecret,
        allowedOrigins: config.allowedOrigins,
        welcomeMessage: config.welcomeMessage,
        sessionDays: config.sessionDays,
        limits: config.limits,
      },
      send: (address, message) => publish(address, message),
      sendChoice: (address, message) => publish(address, message, message.choice),
      // Nothing outside this gateway to reach: the widget is served by it.
      check: async () => ({ status: 'ok' }),
    };
  },
});
