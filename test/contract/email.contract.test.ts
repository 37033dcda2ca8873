import { freePort } from '../../src/runtime/embedded-redis.js';
import { Dovecot } from '../fakes/email/dovecot.js';
import { CHANNEL_ID, customerMail, startEmailGateway } from '../fakes/email/harness.js';
import { followAndConfirm, htmlLinks } from '../fakes/email/links.js';
import { FakeSmtp } from '../fakes/email/smtp.js';
import { describeChannelContract, type ReceivedChoice } from './channel-contract.js';

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
      // The desk's links point at PUBLIC_URL: make it where this gateway listens, so a link in a
      // mail opens as it would for the customer.
      const port = await freePort();
      return startEmailGateway(dovecot, smtp, {}, { env: { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` } });
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
    // A question is a mail whose HTML links carry the options (`data-choice-value`); ref = its Message-ID.
    async choices() {
      const found: ReceivedChoice[] = [];
      for (const mail of await smtp.parsed()) {
        const links = htmlLinks(typeof mail.html === 'string' ? mail.html : '').filter((link) => link.attributes['data-choice-value'] !== undefined);
        if (links.length === 0 || !mail.messageId) continue;
        const hrefs = new Set(links.map((link) => link.href));
        // The question as read: the plain part without its `label: url` lines.
        const text = (mail.text ?? '')
          .split('\n')
          .filter((line) => ![...hrefs].some((href) => line.trim().endsWith(`: ${href}`)))
          .join('\n')
          .trim();
        found.push({ ref: mail.messageId, text, options: links.map((link) => link.attributes['data-choice-value']!), html: String(mail.html) });
      }
      return found;
    },
    // The customer clicks the option's link in the mail and confirms on the page it opens; the same
    // n again is a second click on the same link (there is no platform redelivery for a link).
    async pick(_n, ref, value) {
      const mail = (await smtp.parsed()).find((m) => m.messageId === ref);
      if (!mail) throw new Error(`no mail ${ref} was received`);
      const link = htmlLinks(typeof mail.html === 'string' ? mail.html : '').find((l) => l.attributes['data-choice-value'] === value);
      if (!link) throw new Error(`mail ${ref} has no link for option ${value}`);
      await followAndConfirm(link.href);
    },
    async stop() {
      await smtp?.stop();
      await dovecot?.dispose();
    },
  };
});
