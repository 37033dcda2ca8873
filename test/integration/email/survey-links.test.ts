import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter, ConversationAddress, OutboundChoice, OutboundMessage } from '../../../src/channels/contract.js';
import { PermanentChannelError, RetryableChannelError } from '../../../src/channels/errors.js';
import { newId } from '../../../src/domain/ids.js';
import { sendAutomatic } from '../../../src/inbox/send-automatic.js';
import { Dovecot } from '../../fakes/email/dovecot.js';
import { ADDRESS, CHANNEL_ID, conversationOfMessage, customerMail, newMessageId, startEmailGateway } from '../../fakes/email/harness.js';
import { htmlElements, htmlLinks } from '../../fakes/email/links.js';
import { FakeSmtp } from '../../fakes/email/smtp.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually } from '../../support/http.js';

/**
 * `sendChoice` on email (issue 15): the survey is a reply in the customer's thread whose options
 * are the links the desk signed. Sent through the real adapter of a running gateway to the fake
 * MTA, the way the outbound worker calls it; the desk's /csat pages are not part of this.
 */
describe('email: a question with options goes out as a threaded reply with one link per option', () => {
  let dovecot: Dovecot;
  let smtp: FakeSmtp;
  let gateway: TestGateway;
  let adapter: ChannelAdapter;
  let address: ConversationAddress;
  const first = newMessageId();

  const survey = (urls = [1, 2, 3, 4, 5].map((n) => `https://support.example.com/csat/tok${n}.sig${n}`)): OutboundChoice => ({
    id: '01jd8w3yq5v0s6zt9n4c2h7k1m',
    options: urls.map((url, i) => ({ value: String(i + 1), label: `${i + 1} ★`, url, answered: `Thanks — you rated ${i + 1}/5` })),
  });
  const question = (choice: OutboundChoice, text = 'How would you rate our help? Tap a score.'): OutboundMessage & { choice: OutboundChoice } => ({
    messageId: newId(),
    text,
    authorName: 'Acme Support',
    attachments: [],
    alreadySent: [],
    automatic: true,
    choice,
  });
  const lastMail = async (): Promise<ParsedMail> => simpleParser(smtp.received.at(-1)!.raw);

  beforeAll(async () => {
    dovecot = await Dovecot.start();
    smtp = await FakeSmtp.start();
    gateway = await startEmailGateway(dovecot, smtp);
    await dovecot.append(customerMail({ messageId: first, subject: 'Withdrawal stuck', text: 'My withdrawal is pending.' }));
    const conversationId = await conversationOfMessage(gateway, first);
    const conversation = await gateway.deps.db.selectFrom('conversations').select('thread_key').where('id', '=', conversationId).executeTakeFirstOrThrow();
    adapter = gateway.deps.adapters.get(CHANNEL_ID)!;
    address = {
      conversationId,
      threadKey: conversation.thread_key,
      contactExternalId: 'alice@customer.example',
      contactEmail: 'alice@customer.example',
      subject: 'Withdrawal stuck',
      threadExternalIds: [first],
      lastInboundExternalId: first,
    };
  });
  afterAll(async () => {
    await gateway?.dispose();
    await smtp?.stop();
    await dovecot?.dispose();
  });

  it('the channel says it presents options as links', () => {
    expect(adapter.capabilities.links).toBe(true);
    expect(adapter.sendChoice).toBeTypeOf('function');
  });

  it('the mail that arrives answers the thread (Re: subject, In-Reply-To, References, our Message-ID, reply token) and is marked automatic', async () => {
    const message = question(survey());
    const result = await adapter.sendChoice!(address, message);
    expect(result.externalIds).toEqual([`<${message.messageId}@example.com>`]);
    expect(smtp.received.at(-1)!.envelope).toEqual({ from: ADDRESS, to: ['alice@customer.example'] });
    const mail = await lastMail();
    expect(mail.messageId).toBe(`<${message.messageId}@example.com>`);
    expect(mail.from?.value).toEqual([{ address: ADDRESS, name: 'Acme Support' }]);
    expect(mail.subject).toBe('Re: Withdrawal stuck');
    expect(mail.inReplyTo).toBe(first);
    expect(mail.references).toBe(first);
    expect(mail.replyTo?.value).toEqual([{ address: `support+${message.messageId}@example.com`, name: 'Acme Support' }]);
    expect(mail.headers.get('auto-submitted')).toBe('auto-replied');
  });

  it('the plain part is the question, then one "label: url" line per option, in order', async () => {
    const mail = await lastMail();
    expect(mail.text?.trim()).toBe(
      [
        'How would you rate our help? Tap a score.',
        '',
        ...[1, 2, 3, 4, 5].map((n) => `${n} ★: https://support.example.com/csat/tok${n}.sig${n}`),
      ].join('\n'),
    );
  });

  it('the HTML part has the question and a row of five buttons, each a link to its option\'s address, styled inline: no images, scripts, forms or style sheets', async () => {
    const html = String((await lastMail()).html);
    const links = htmlLinks(html);
    expect(links.map((l) => [l.text, l.href, l.attributes['data-choice-value']])).toEqual(
      [1, 2, 3, 4, 5].map((n) => [`${n} ★`, `https://support.example.com/csat/tok${n}.sig${n}`, String(n)]),
    );
    expect(html).toContain('<p>How would you rate our help? Tap a score.</p>');
    // One table row holds all five: side by side, not five stacked paragraphs.
    const row = /<tr>([\s\S]*?)<\/tr>/.exec(html)?.[1] ?? '';
    expect(row.match(/<a /g)).toHaveLength(5);
    expect(html).toContain('role="presentation"');
    for (const link of links) expect(link.attributes.style).toMatch(/display:inline-block;.*text-decoration:none/);
    const elements = htmlElements(html);
    expect(new Set(elements.map((e) => e.name))).toEqual(new Set(['html', 'head', 'meta', 'body', 'p', 'table', 'tr', 'td', 'a']));
    expect(elements.flatMap((e) => Object.keys(e.attributes)).filter((name) => /^on|^class$|^id$/i.test(name))).toEqual([]);
  });

  it('a label, value or question with markup stays text: nothing breaks out of its element or attribute', async () => {
    const choice = survey();
    const hostile: OutboundChoice = {
      id: choice.id,
      options: choice.options.map((o, i) =>
        i === 0
          ? { ...o, value: `1" onclick="alert(1)`, label: `<script>alert("x")</script> "1" & <b>one</b>`, url: "https://support.example.com/csat/t?a=1&b=2&c='3'" }
          : o,
      ),
    };
    await adapter.sendChoice!(address, question(hostile, 'Rate us <script>alert("x")</script>\n"quoted" & <img src=x onerror=alert(1)>'));
    const mail = await lastMail();
    const html = String(mail.html);
    const elements = htmlElements(html);
    expect(elements.map((e) => e.name).filter((name) => ['script', 'img', 'b'].includes(name))).toEqual([]);
    expect(elements.flatMap((e) => Object.keys(e.attributes)).filter((name) => /^on/i.test(name))).toEqual([]);
    const [link] = htmlLinks(html);
    expect(link).toMatchObject({ text: '<script>alert("x")</script> "1" & <b>one</b>', href: "https://support.example.com/csat/t?a=1&b=2&c='3'" });
    expect(link!.attributes['data-choice-value']).toBe('1" onclick="alert(1)');
    expect(Object.keys(link!.attributes).sort()).toEqual(['data-choice-value', 'href', 'style', 'target']);
    expect(html).toContain('Rate us &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;<br>');
    expect(mail.text).toContain(`<script>alert("x")</script> "1" & <b>one</b>: https://support.example.com/csat/t?a=1&b=2&c='3'`);
  });

  it('a label with line breaks stays on its one line in the plain part', async () => {
    const choice = survey();
    const broken: OutboundChoice = { id: choice.id, options: choice.options.map((o, i) => (i === 4 ? { ...o, label: '5 ★\nexcellent\r\n' } : o)) };
    await adapter.sendChoice!(address, question(broken));
    const lines = ((await lastMail()).text ?? '').trim().split('\n');
    expect(lines.at(-1)).toBe('5 ★ excellent: https://support.example.com/csat/tok5.sig5');
  });

  it('an option without an http(s) link is refused for good and nothing is sent', async () => {
    const before = smtp.received.length;
    for (const url of [undefined, 'javascript:alert(1)', 'https://support.example.com/csat/a b', 'https://support.example.com/"><script>']) {
      const choice = survey();
      const bad: OutboundChoice = {
        id: choice.id,
        options: choice.options.map((o, i) => {
          if (i !== 2) return o;
          const { url: _url, ...rest } = o;
          return url === undefined ? rest : { ...rest, url };
        }),
      };
      const error = await adapter.sendChoice!(address, question(bad)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PermanentChannelError);
      expect(error).toMatchObject({ code: 'invalid_choice', message: expect.stringContaining('option 3') });
    }
    expect(smtp.received.length).toBe(before);
  });

  it("the MTA's refusals mean what they mean for a reply: 451 retryable, 550 permanent with the server's words", async () => {
    smtp.failNext(451, '4.7.1 Greylisted, please try again later');
    const deferred = await adapter.sendChoice!(address, question(survey())).catch((e: unknown) => e);
    expect(deferred).toBeInstanceOf(RetryableChannelError);
    expect(deferred).toMatchObject({ code: 'deferred' });
    smtp.failNext(550, '5.7.1 Message rejected by policy');
    const refused = await adapter.sendChoice!(address, question(survey())).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PermanentChannelError);
    expect(refused).toMatchObject({ code: 'rejected', message: expect.stringContaining('5.7.1 Message rejected by policy') });
  });

  it('a question the desk saves goes out through the outbound worker as this mail, and its message ends sent with our Message-ID', async () => {
    const choice = survey([1, 2, 3, 4, 5].map((n) => `https://support.example.com/csat/w${n}`));
    const outcome = await sendAutomatic(
      gateway.deps,
      { conversationId: address.conversationId, channelId: CHANNEL_ID, feature: 'test-question', authorName: 'Acme Support', text: 'How did we do?', key: 'question-worker', choice: { id: 'q1', options: choice.options.map((o) => ({ ...o, url: o.url! })) } },
      false,
    );
    expect(outcome).toBe('queued');
    const sent = await eventually(
      async () => {
        const row = await gateway.deps.db.selectFrom('messages').select(['id', 'status', 'external_id']).where('conversation_id', '=', address.conversationId).where('text', '=', 'How did we do?').executeTakeFirst();
        return row?.status === 'sent' ? row : undefined;
      },
      15_000,
      'the question to be sent',
    );
    const mail = (await smtp.parsed()).find((m) => m.messageId === `<${sent.id}@example.com>`);
    expect(sent.external_id).toBe(`<${sent.id}@example.com>`);
    expect(mail?.inReplyTo).toBe(first);
    expect(htmlLinks(String(mail?.html)).map((l) => l.href)).toEqual([1, 2, 3, 4, 5].map((n) => `https://support.example.com/csat/w${n}`));
  });

  it('an attempt the core already saw delivered is not mailed again', async () => {
    const before = smtp.received.length;
    const message = { ...question(survey()), alreadySent: ['<earlier@example.com>'] };
    expect(await adapter.sendChoice!(address, message)).toEqual({ externalIds: ['<earlier@example.com>'] });
    expect(smtp.received.length).toBe(before);
  });
});
