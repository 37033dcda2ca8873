import { describe, expect, it } from 'vitest';
import { emailConfig } from '../../../adapters/email/config.js';
import { composeReply, replySubject, toChannelError } from '../../../adapters/email/outbound.js';
import type { ConversationAddress, OutboundMessage } from '../../../src/channels/contract.js';
import { PermanentChannelError, RetryableChannelError } from '../../../src/channels/errors.js';

const config = emailConfig.parse({
  id: 'mail',
  kind: 'email',
  name: 'Acme Support',
  address: 'Support@Example.com',
  imap: { host: 'imap.example.com', user: 'support@example.com', password: 'pw' },
  smtp: { host: 'smtp.example.com' },
});

const address: ConversationAddress = {
  conversationId: 'c1',
  threadKey: 'alice@example.org <root@example.org>',
  contactExternalId: 'alice@example.org',
  contactEmail: 'alice@example.org',
  subject: 'Withdrawal stuck',
  threadExternalIds: ['<root@example.org>', '<01hrx4m8q2v7c3k5n6p8r0s2tw@example.com>', 'not-a-message-id', '<second@example.org>'],
  lastInboundExternalId: '<second@example.org>',
};

const reply = (extra: Partial<OutboundMessage> = {}): OutboundMessage => ({
  messageId: '01hs9z8y7x6w5v4t3s2r1q0p9n',
  text: 'We refunded it.',
  authorName: 'Alice Agent',
  attachments: [],
  alreadySent: [],
  ...extra,
});

describe('email config (DESIGN §6)', () => {
  it('fills the documented defaults and lower-cases the address', () => {
    expect(config.address).toBe('support@example.com');
    expect(config.imap).toMatchObject({ port: 993, secure: true, mailbox: 'INBOX', starttls: 'required', initialSync: 'all', watchdogSeconds: 60, timeoutSeconds: 30, idleRestartMinutes: 25 });
    expect(config.imap.tls.rejectUnauthorized).toBe(true);
    expect(config.smtp).toMatchObject({ port: 465, secure: true, starttls: 'required' });
    expect(config).toMatchObject({ markSeen: false, replyToken: false, agentNameInFrom: false });
  });

  it('takes numbers and booleans as strings from ${VAR} placeholders and refuses an IDLE longer than 29 minutes', () => {
    const parsed = emailConfig.parse({ ...config, imap: { ...config.imap, port: '143', secure: 'false' }, replyToken: 'true' });
    expect(parsed.imap.port).toBe(143);
    expect(parsed.imap.secure).toBe(false);
    expect(parsed.replyToken).toBe(true);
    expect(emailConfig.safeParse({ ...config, imap: { ...config.imap, idleRestartMinutes: 30 } }).success).toBe(false);
  });
});

describe('email reply composition', () => {
  it('threads on the newest customer message, keeps the root in References, and derives the Message-ID from our message id', () => {
    const mail = composeReply(config, address, reply());
    expect(mail).toMatchObject({
      from: { name: 'Acme Support', address: 'support@example.com' },
      to: 'alice@example.org',
      subject: 'Re: Withdrawal stuck',
      messageId: '<01hs9z8y7x6w5v4t3s2r1q0p9n@example.com>',
      inReplyTo: '<second@example.org>',
      references: ['<root@example.org>', '<01hrx4m8q2v7c3k5n6p8r0s2tw@example.com>', '<second@example.org>'],
      text: 'We refunded it.',
      headers: {},
    });
    expect(mail.replyTo).toBeUndefined();
    expect(mail.html).toContain('<p>We refunded it.</p>');
    // The same message on a retry: the same Message-ID.
    expect(composeReply(config, address, reply()).messageId).toBe(mail.messageId);
  });

  it('answers the message the agent picked; References never grows past 20 and keeps the root', () => {
    const long = { ...address, threadExternalIds: Array.from({ length: 40 }, (_, i) => `<m${i}@example.org>`) };
    const mail = composeReply(config, long, reply({ replyToExternalId: '<m5@example.org>' }));
    expect(mail.inReplyTo).toBe('<m5@example.org>');
    const references = mail.references as string[];
    expect(references).toHaveLength(20);
    expect(references[0]).toBe('<m0@example.org>');
    expect(references.at(-1)).toBe('<m5@example.org>');
  });

  it('with replyToken, Reply-To carries local+<message id>@domain; with agentNameInFrom, From names the agent', () => {
    const mail = composeReply({ ...config, replyToken: true, agentNameInFrom: true }, address, reply());
    expect(mail.replyTo).toEqual({ name: 'Alice Agent (Acme Support)', address: 'support+01hs9z8y7x6w5v4t3s2r1q0p9n@example.com' });
    expect(mail.from).toEqual({ name: 'Alice Agent (Acme Support)', address: 'support@example.com' });
  });

  it('an automatic acknowledgement is marked Auto-Submitted: auto-replied and never names an agent', () => {
    const mail = composeReply({ ...config, agentNameInFrom: true }, address, reply({ automatic: true, authorName: 'Auto-reply' }));
    expect(mail.headers).toEqual({ 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' });
    expect(mail.from).toEqual({ name: 'Acme Support', address: 'support@example.com' });
  });

  it('subjects: "Re:" once, whatever the language of the prefix already there', () => {
    expect(replySubject('Withdrawal stuck')).toBe('Re: Withdrawal stuck');
    expect(replySubject('Re: Withdrawal stuck')).toBe('Re: Withdrawal stuck');
    expect(replySubject('RE: Account locked')).toBe('RE: Account locked');
    expect(replySubject('AW: Konto gesperrt')).toBe('AW: Konto gesperrt');
    expect(replySubject('回复：提现')).toBe('回复：提现');
    expect(replySubject(undefined)).toBe('Re: your message');
  });

  it('a customer without an address cannot be answered by mail: permanent', () => {
    expect(() => composeReply(config, { ...address, contactEmail: undefined, contactExternalId: 'telegram-123' }, reply())).toThrow(PermanentChannelError);
  });
});

/** The error nodemailer 10 gives when the only recipient is refused at RCPT TO (smtp-connection `_actionRCPT` + `_envelopeError`). */
function rcptRefusal(response: string): Error {
  const responseCode = Number(response.slice(0, 3));
  const recipient = 'alice@example.org';
  const perRecipient = Object.assign(new Error(`Recipient command failed: ${response}`), { code: 'EENVELOPE', response, responseCode, permanent: responseCode >= 500 && responseCode !== 503, command: 'RCPT TO', recipient });
  return Object.assign(new Error(`Can't send mail - all recipients were rejected: ${response}`), {
    code: 'EENVELOPE',
    response,
    responseCode,
    permanent: perRecipient.permanent,
    command: 'RCPT TO',
    rejected: [recipient],
    rejectedErrors: [perRecipient],
  });
}

describe('SMTP error mapping', () => {
  it('4xx and 503 are retried, other 5xx fail with the server text, network faults are retried', () => {
    const deferred = toChannelError(Object.assign(new Error('x'), { responseCode: 451, response: '451 4.7.1 Greylisted, try again later', code: 'EMESSAGE' }));
    expect(deferred).toBeInstanceOf(RetryableChannelError);
    expect(deferred.message).toContain('451 4.7.1 Greylisted');
    expect(toChannelError(Object.assign(new Error('x'), { responseCode: 503, response: '503 5.5.1 Bad sequence', code: 'EPROTOCOL' }))).toBeInstanceOf(RetryableChannelError);
    const refused = toChannelError(Object.assign(new Error('x'), { responseCode: 550, response: '550 5.7.1 Message rejected as spam', code: 'EMESSAGE' }));
    expect(refused).toBeInstanceOf(PermanentChannelError);
    expect(refused.message).toBe('the mail server refused the message: 550 5.7.1 Message rejected as spam');
    // Refused at RCPT TO: nodemailer 10 (smtp-connection _envelopeError) puts the deciding reply,
    // the first 4xx if any, else the last one, on the error itself and keeps one error per recipient.
    const recipient = toChannelError(rcptRefusal('550 5.1.1 User unknown'));
    expect(recipient).toBeInstanceOf(PermanentChannelError);
    expect(recipient.message).toBe('the mail server refused the message: 550 5.1.1 User unknown');
    const greylisted = toChannelError(rcptRefusal('451 4.7.1 Greylisted, please try again later'));
    expect(greylisted).toBeInstanceOf(RetryableChannelError);
    expect(greylisted.message).toBe('the mail server deferred the message: 451 4.7.1 Greylisted, please try again later');
    expect(toChannelError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:25'), { code: 'ESOCKET' }))).toBeInstanceOf(RetryableChannelError);
    expect(toChannelError(Object.assign(new Error('Invalid login'), { code: 'EAUTH', responseCode: 535, response: '535 5.7.8 Authentication failed' }))).toMatchObject({
      code: 'unauthorized',
      message: 'SMTP login failed: 535 5.7.8 Authentication failed',
    });
    // A temporary login failure (454) is retried like any 4xx.
    expect(toChannelError(Object.assign(new Error('Invalid login'), { code: 'EAUTH', responseCode: 454, response: '454 4.7.0 Temporary authentication failure' }))).toBeInstanceOf(RetryableChannelError);
    const noTls = toChannelError(Object.assign(new Error('Error upgrading connection with STARTTLS'), { code: 'ETLS', responseCode: 500, response: '500 5.5.1 command not recognized' }));
    expect(noTls).toBeInstanceOf(PermanentChannelError);
    expect(noTls).toMatchObject({ code: 'tls', message: "the mail server could not start TLS (STARTTLS is required by this channel's smtp.starttls): 500 5.5.1 command not recognized" });
  });
});
