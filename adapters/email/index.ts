import type { AdapterContext } from '../../src/channels/contract.js';
import { type AdapterBody, defineAdapter } from '../../src/channels/kit/index.js';
import type { ChannelCapabilities } from '../../src/domain/channel.js';
import { MAX_TEXT } from '../../src/domain/message.js';
import { type EmailConfig, emailConfig } from './config.js';
import { describe, probeImap, readHealth, runMailbox } from './mailbox.js';
import { choiceBody, EmailSender, toChannelError } from './outbound.js';

export const emailCapabilities: ChannelCapabilities = {
  // A mail has no practical length limit: replies are never split.
  maxTextLength: MAX_TEXT,
  formats: ['text'],
  attachments: true,
  replyWindowHours: null,
  // In-Reply-To/References name earlier mails: the outbound address carries the thread's ids.
  threadsByReference: true,
  // A question's options are links the desk signed (`option.url`); following one records the pick.
  links: true,
};

export const email = defineAdapter({
  kind: 'email',
  configSchema: emailConfig,
  defaultName: (config) => config.address,
  create: (config, context) => emailBody(config, context),
});

function emailBody(config: EmailConfig, context: AdapterContext): AdapterBody {
  const sender = new EmailSender(config);
  return {
    capabilities: emailCapabilities,
    start: (sink, signal) => runMailbox({ config, durable: context.durable, shared: context.shared, logger: context.logger }, sink, signal),
    async send(address, message) {
      return { externalIds: await sender.send(address, message) };
    },
    // The same mail as a reply (threading, From, Message-ID, SMTP errors), its content the question with its links.
    async sendChoice(address, message) {
      return { externalIds: await sender.send(address, message, choiceBody(message.text, message.choice)) };
    },
    /**
     * IMAP as the running connection last reported it (from whichever instance holds the lease),
     * or a login of its own when no connection reports; and an SMTP login.
     */
    async check() {
      const errors: string[] = [];
      const live = await readHealth(context.shared);
      if (live) {
        if (live.status === 'error') errors.push(live.error ?? 'IMAP connection down');
      } else {
        await probeImap(config).catch((error: unknown) => errors.push(`IMAP: ${describe(error)}`));
      }
      await sender.verify().catch((error: unknown) => errors.push(`SMTP: ${toChannelError(error).message}`));
      return errors.length > 0 ? { status: 'error', error: errors.join('; ') } : { status: 'ok' };
    },
  };
}
