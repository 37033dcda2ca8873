import { describe, expect, it } from 'vitest';
import { parseEmail, type ParseOptions, recoverUnparsed, salvage } from '../../../adapters/email/inbound.js';
import { InboundMessage, MAX_TEXT } from '../../../src/domain/message.js';

const options: ParseOptions = { channelId: 'mail', address: 'support@example.com', receivedAt: new Date('2024-03-21T10:00:00Z') };

function mail(headers: Record<string, string>, body: string, contentType = 'text/plain; charset=utf-8'): Buffer {
  const head = Object.entries({ From: 'Hana <hana@example.net>', To: 'support@example.com', Subject: 'Help', Date: 'Thu, 21 Mar 2024 09:00:00 +0000', 'Message-ID': '<m1@example.net>', 'Content-Type': contentType, ...headers })
    .filter(([, value]) => value !== '')
    .map(([key, value]) => `${key}: ${value}`)
    .join('\r\n');
  return Buffer.from(`${head}\r\n\r\n${body}`);
}

const valid = (message: unknown): void => {
  const result = InboundMessage.safeParse(message);
  expect(result.success, result.success ? '' : JSON.stringify(result.error.issues[0])).toBe(true);
};

describe('email parser: never drops a mail for its size or shape', () => {
  it('an oversize text is cut below the model limit with a note, not refused', async () => {
    const { message } = await parseEmail(mail({}, 'x'.repeat(MAX_TEXT * 2)), options);
    valid(message);
    expect(message.text.length).toBeLessThanOrEqual(MAX_TEXT);
    expect(message.text).toContain('was shortened here; the complete message is in the mailbox');
  });

  it('oversize HTML is cut to well-formed HTML with a note', async () => {
    const html = `<html><body>${'<div><p>row <b>bold</b></p></div>'.repeat(30_000)}</body></html>`;
    const { message } = await parseEmail(mail({}, html, 'text/html; charset=utf-8'), options);
    valid(message);
    expect(message.html!.length).toBeLessThanOrEqual(MAX_TEXT * 5);
    expect(message.html).toMatch(/<p><em>The rest of this message is too long to show here; it is still in the mailbox\.<\/em><\/p>$/);
  });

  it('a header block over the MIME parser limit (1 MB) is parsed on the second attempt, with a note', async () => {
    const { message } = await parseEmail(mail({ 'X-Junk': 'a'.repeat(1_200_000) }, 'Please call me back.'), options);
    valid(message);
    expect(message.externalId).toBe('<m1@example.net>');
    expect(message.text).toMatch(/^Please call me back\.\n\n\[Parts of this message could not be read \(/);
  });

  it('a mail nothing can parse still yields sender, subject, ids and the body as text', () => {
    const raw = Buffer.from(
      'From: =?UTF-8?B?5byg5LiJ?= <Zhang.San@example.cn>\r\nSubject: =?UTF-8?Q?=E9=80=80=E6=AC=BE?=\r\nMessage-ID: <broken-1@example.cn>\r\nIn-Reply-To: <01hrx4m8q2v7c3k5n6p8r0s2tw@example.com>\r\nDate: Thu, 21 Mar 2024 08:00:00 +0000\r\n\r\nplease refund\r\n',
    );
    const { message, files } = recoverUnparsed(raw, options, new Error('boom'));
    valid(message);
    expect(message).toMatchObject({
      externalId: '<broken-1@example.cn>',
      sender: { externalId: 'zhang.san@example.cn', name: '张三' },
      subject: '退款',
      threadRefs: ['<01hrx4m8q2v7c3k5n6p8r0s2tw@example.com>'],
      replyToExternalId: '<01hrx4m8q2v7c3k5n6p8r0s2tw@example.com>',
      sentAt: '2024-03-21T08:00:00.000Z',
    });
    expect(message.text).toBe(`please refund\n\n[This message could not be parsed (boom); its raw content is shown as text. Size: ${raw.length} bytes.]`);
    expect(files).toEqual([]);
  });

  it('more attachments than the model holds: the first 50 kept, the rest named in the text', async () => {
    const parts = Array.from({ length: 53 }, (_, i) => `--b\r\nContent-Type: text/csv\r\nContent-Disposition: attachment; filename="export-${i + 1}.csv"\r\n\r\nid,amount\r\n`).join('');
    const raw = mail({}, `--b\r\nContent-Type: text/plain\r\n\r\nexports attached\r\n${parts}--b--\r\n`, 'multipart/mixed; boundary="b"');
    const { message, files } = await parseEmail(raw, options);
    valid(message);
    expect(message.attachments).toHaveLength(50);
    expect(files).toHaveLength(50);
    expect(message.text).toBe('exports attached\n\n[3 more attachments are in the mailbox: export-51.csv, export-52.csv, export-53.csv]');
  });

  it('a fetch cut at the size limit says so and keeps the real size', async () => {
    const { message } = await parseEmail(mail({}, 'first part only'), { ...options, fullSize: 80 * 1024 * 1024 });
    expect(message.text).toContain('This message is 80.0 MB; only its first');
    expect((message.raw as { size: number }).size).toBe(80 * 1024 * 1024);
  });

  it('a Message-ID longer than an external id may be is hashed, the same way in References', async () => {
    const long = `<${'a'.repeat(600)}@example.net>`;
    const first = await parseEmail(mail({ 'Message-ID': long }, 'hi'), options);
    const reply = await parseEmail(mail({ 'Message-ID': '<r1@example.net>', 'In-Reply-To': long, References: long }, 'again'), options);
    valid(first.message);
    valid(reply.message);
    expect(first.message.externalId).toMatch(/^<[0-9a-f]{40}@hashed-id\.invalid>$/);
    expect(reply.message.threadRefs).toEqual([first.message.externalId]);
  });

  it('a date far in the future or missing falls back to when the server received the mail', async () => {
    expect((await parseEmail(mail({ Date: 'Fri, 01 Jan 2100 00:00:00 +0000' }, 'hi'), options)).message.sentAt).toBe('2024-03-21T10:00:00.000Z');
    expect((await parseEmail(mail({ Date: '' }, 'hi'), options)).message.sentAt).toBe('2024-03-21T10:00:00.000Z');
    expect((await parseEmail(mail({ Date: 'not a date' }, 'hi'), options)).message.sentAt).toBe('2024-03-21T10:00:00.000Z');
  });

  it('salvage reduces a message to fields that always pass the model', () => {
    const reduced = salvage({
      channelId: 'mail',
      externalId: '<x@y>',
      threadKey: 'k',
      sender: { externalId: 'a@b.c', name: 'n'.repeat(500) },
      sentAt: '2024-03-21T10:00:00Z',
      text: 't',
      html: 'h'.repeat(MAX_TEXT * 6),
      attachments: [],
    });
    valid(reduced);
    expect(reduced.html).toBeUndefined();
  });
});

describe('email parser: who sent it and whether a machine did', () => {
  it('a contact-form mail (From: noreply, Reply-To: the customer) is attributed to the customer', async () => {
    const { message } = await parseEmail(mail({ From: 'Website <noreply@shop.example>', 'Reply-To': 'Ivan Petrov <Ivan@customer.example>' }, 'Order 17 never arrived'), options);
    expect(message.sender).toEqual({ externalId: 'ivan@customer.example', email: 'ivan@customer.example', name: 'Ivan Petrov' });
    expect(message.threadKey).toBe('ivan@customer.example <m1@example.net>');
  });

  it('mail from our own address, with an empty return path, Precedence: bulk or List-Unsubscribe is automated; Auto-Submitted: no is not', async () => {
    const automated = async (headers: Record<string, string>) => (await parseEmail(mail(headers, 'x'), options)).message.automated === true;
    expect(await automated({ From: 'Acme Support <support@example.com>' })).toBe(true);
    expect(await automated({ 'Return-Path': '<>' })).toBe(true);
    expect(await automated({ Precedence: 'bulk' })).toBe(true);
    expect(await automated({ 'List-Unsubscribe': '<mailto:unsubscribe@news.example>' })).toBe(true);
    expect(await automated({ 'Auto-Submitted': 'auto-generated; owner-email="it@corp.example"' })).toBe(true);
    expect(await automated({ 'Auto-Submitted': 'no' })).toBe(false);
    expect(await automated({})).toBe(false);
  });

  it('a reply token for another mailbox or in a different shape is not a thread reference', async () => {
    const refs = async (to: string) => (await parseEmail(mail({ To: to }, 'x'), options)).message.threadRefs;
    expect(await refs('support+01hrx4m8q2v7c3k5n6p8r0s2tw@example.org')).toBeUndefined();
    expect(await refs('sales+01hrx4m8q2v7c3k5n6p8r0s2tw@example.com')).toBeUndefined();
    expect(await refs('support+billing@example.com')).toBeUndefined();
    expect(await refs('Support <support+01hrx4m8q2v7c3k5n6p8r0s2tw@example.com>, other@example.com')).toEqual(['<01hrx4m8q2v7c3k5n6p8r0s2tw@example.com>']);
  });
});
