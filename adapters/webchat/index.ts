import { defineAdapter } from '../../src/channels/definition.js';
import type { ChannelAdapter } from '../../src/channels/contract.js';
import { RetryableChannelError } from '../../src/channels/errors.js';
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

export const webchat = defineAdapter({
  kind: 'webchat',
  configSchema: webchatConfig,
  create(config, context): WebchatAdapter {
    return {
      id: config.id,
      kind: 'webchat',
      name: config.name ?? 'Website chat',
      capabilities: { maxTextLength: 5_000, formats: ['text'], attachments: true, replyWindowHours: null },
      widget: {
        identitySecret: config.identitySecret,
        allowedOrigins: config.allowedOrigins,
        welcomeMessage: config.welcomeMessage,
        sessionDays: config.sessionDays,
        limits: config.limits,
      },
      // The reply is already stored; "sending" it means pushing it to the visitor's open widgets.
      // A visitor who is offline sees it in the history on their next visit.
      async send(address, message) {
        try {
          await context.realtime.publishToVisitor(config.id, address.threadKey, toVisitorReply(config.id, message, new Date()));
        } catch (error) {
          throw new RetryableChannelError(`realtime delivery failed: ${(error as Error).message}`, 'realtime_unavailable');
        }
        return { externalIds: [`web-${message.messageId}`] };
      },
      async verify() {
        return { status: 'ok', error: null, checkedAt: new Date().toISOString() };
      },
    };
  },
});
