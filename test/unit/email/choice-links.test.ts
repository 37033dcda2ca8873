import { describe, expect, it } from 'vitest';
import { emailConfig } from '../../../adapters/email/config.js';
import { choiceBody, composeReply } from '../../../adapters/email/outbound.js';
import type { OutboundChoice } from '../../../src/channels/contract.js';
import { htmlLinks } from '../../fakes/email/links.js';

const choice: OutboundChoice = {
  id: 'abc123',
  options: ['1', '2', '3', '4', '5'].map((value) => ({ value, label: `${value} ★`, url: `https://desk.example.com/csat/t${value}`, answered: `Thanks — ${value}/5` })),
};

describe("email: a question's content (choiceBody)", () => {
  it('a question without text is only its option lines, and its HTML only the buttons', () => {
    const body = choiceBody('', choice);
    expect(body.text).toBe(choice.options.map((o) => `${o.label}: ${o.url}`).join('\n'));
    expect(htmlLinks(body.html).map((l) => l.href)).toEqual(choice.options.map((o) => o.url));
  });

  it('links in the question text stay links, and the option buttons come after them', () => {
    const links = htmlLinks(choiceBody('See https://status.example.com first.', choice).html);
    expect(links.map((l) => l.href)).toEqual(['https://status.example.com', ...choice.options.map((o) => o.url!)]);
  });

  it('composeReply takes the question as the content and keeps everything else of a reply', () => {
    const config = emailConfig.parse({ id: 'mail', kind: 'email', address: 'support@example.com', imap: { host: 'i', user: 'u', password: 'p' }, smtp: { host: 's' } });
    const address = { conversationId: 'c', threadKey: 't', contactExternalId: 'a@example.org', subject: 'Help', lastInboundExternalId: '<x@example.org>' };
    const message = { messageId: '01hs9z8y7x6w5v4t3s2r1q0p9n', text: 'Rate us', authorName: 'Bot', attachments: [], alreadySent: [], automatic: true };
    const mail = composeReply(config, address, message, choiceBody(message.text, choice));
    expect(mail).toMatchObject({ subject: 'Re: Help', inReplyTo: '<x@example.org>', references: ['<x@example.org>'], messageId: '<01hs9z8y7x6w5v4t3s2r1q0p9n@example.com>' });
    expect(mail.text).toBe(`Rate us\n\n${choice.options.map((o) => `${o.label}: ${o.url}`).join('\n')}`);
    expect(composeReply(config, address, message).text).toBe('Rate us');
  });
});
