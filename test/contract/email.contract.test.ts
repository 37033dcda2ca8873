import { Dovecot } from '../fakes/email/dovecot.js';
import { CHANNEL_ID, customerMail, startEmailGateway } from '../fakes/email/harness.js';
import { FakeSmtp } from '../fakes/email/smtp.js';
import { describeChannelContract } from './channel-contract.js';

// No `forge`: mail reaches us through our own IMAP login, there is no inbound request to forge.
describeChannelContract('email', () => {
  let dovecot: Dovecot;
  let smtp: FakeSmtp;
  const idOf = (n: number): string => `<contract-${n}@customer.example>`;
  return {
    channelId: CHANNEL_ID,
    async start() {
      dovecot = await Dovecot.start();
      smtp = await FakeSmtp.start();
      return startEmailGateway(dovecot, smtp);
    },
    async deliver(n, text) {
      // Later messages answer the first, as a customer's follow-ups do: one conversation.
      const thread = n === 1 ? {} : { inReplyTo: idOf(1), references: [idOf(1)] };
      await dovecot.append(customerMail({ messageId: idOf(n), subject: 'Contract', text, ...thread }));
    },
    received: () => smtp.texts(),
    failNextSend(kind) {
      if (kind === 'retryable') {
        smtp.failNext(451, '4.7.1 Greylisted, please try again later');
        return '4.7.1 Greylisted, please try again later';
      }
      smtp.failNext(550, '5.7.1 Message rejected by policy');
      return '5.7.1 Message rejected by policy';
    },
    clearFailures() {
      smtp.clearFailures();
    },
    async stop() {
      await smtp?.stop();
      await dovecot?.dispose();
    },
  };
});
