import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEmail, type ParseOptions, withStoredFiles } from '../../../adapters/email/inbound.js';
import { InboundMessage } from '../../../src/domain/message.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../fixtures/email/${name}`, import.meta.url));
const options: ParseOptions = { channelId: 'mail', address: 'support@example.com', receivedAt: new Date('2024-03-21T00:00:00Z') };
const parse = async (name: string) => {
  const parsed = await parseEmail(fixture(name), options);
  expect(InboundMessage.safeParse(parsed.message).success).toBe(true);
  return parsed;
};

describe('email parser: replies and threading headers', () => {
  it('a Gmail reply keeps only the new text, threads on the References root per sender and lists its references newest first', async () => {
    const { message } = await parse('gmail-reply.eml');
    expect(message).toMatchObject({
      channelId: 'mail',
      externalId: '<CAF7kVpUq0hM3r7zN1xWc9eT5bK2sJ8aYd4gF@mail.gmail.com>',
      threadKey: 'alice.chen@gmail.com <CAF7kVpW3x9qXa1rT8mZ0vE5nJ2hLd4uYb6cQ@mail.gmail.com>',
      sender: { externalId: 'alice.chen@gmail.com', email: 'alice.chen@gmail.com', name: 'Alice Chen' },
      sentAt: '2024-03-12T09:42:00.000Z',
      subject: 'Re: Withdrawal stuck since Monday',
      replyToExternalId: '<01hrx4m8q2v7c3k5n6p8r0s2tw@example.com>',
      threadRefs: ['<01hrx4m8q2v7c3k5n6p8r0s2tw@example.com>', '<CAF7kVpW3x9qXa1rT8mZ0vE5nJ2hLd4uYb6cQ@mail.gmail.com>'],
      attachments: [],
    });
    expect(message.text).toBe('Here it is: 0x8f3a…c21. I sent it from my Ledger — still pending.\n\nThanks,\nAlice');
    // The full message, quote included, stays available as sanitised HTML.
    expect(message.html).toContain('Which transaction hash?');
    expect(message.automated).toBeUndefined();
    expect(message.deliveryFailure).toBeUndefined();
  });

  it('an Outlook reply is cut at its From/Sent header block', async () => {
    const { message } = await parse('outlook-reply.eml');
    expect(message.text).toBe('Hi,\n\nI did that, but the app still says "account locked". Can you unlock it manually?\n\nBob');
    expect(message).toMatchObject({
      externalId: '<AM6PR08MB4306C1E2F9B1A0D3E5F7A9B1A1234@AM6PR08MB4306.eurprd08.prod.outlook.com>',
      threadKey: 'bob.martin@contoso.com <01hrz1b3c5d7e9f1g3h5j7k9mn@example.com>',
      threadRefs: ['<01hrz1b3c5d7e9f1g3h5j7k9mn@example.com>'],
      subject: 'RE: Account locked after password reset',
      sender: { externalId: 'bob.martin@contoso.com', name: 'Bob Martin' },
    });
    expect(message.html).toContain('Please reset your password');
  });

  it('a reply that only has the plus-address token refers to our Message-ID', async () => {
    const { message } = await parse('plus-token-reply.eml');
    expect(message.threadRefs).toEqual(['<01hrx4m8q2v7c3k5n6p8r0s2tw@example.com>']);
    expect(message.threadKey).toBe('alice.chen@gmail.com <CAF7kVpZ2n4q6s8u0w2y4a6c8e0g2i4k6m8o@mail.gmail.com>');
    expect(message.text).toBe('Forgot to say: the amount is 0.25 ETH.');
  });

  it('a mail without Message-ID gets the same synthetic id every time it is fetched, and another body another id', async () => {
    const first = await parse('no-message-id.eml');
    const again = await parse('no-message-id.eml');
    // Pinned: a changed formula would re-import every such mail after an upgrade.
    expect(first.message.externalId).toBe('<5c14f176cd7eada8ba74c46a0f83b12fc50124c4@no-message-id.invalid>');
    expect(again.message.externalId).toBe(first.message.externalId);
    expect(first.message.threadKey).toBe(`erin@example.org ${first.message.externalId}`);
    const edited = Buffer.from(fixture('no-message-id.eml').toString('utf8').replace('Pixel 7', 'Pixel 8'));
    expect((await parseEmail(edited, options)).message.externalId).not.toBe(first.message.externalId);
    expect(first.message.text).toBe('Since the last update the app closes right after the splash screen (Android 14, Pixel 7).');
  });
});

describe('email parser: charsets', () => {
  it('GBK: 8-bit body and base64 GBK headers', async () => {
    const { message } = await parse('gbk-chinese.eml');
    expect(message.sender).toEqual({ externalId: 'zhang.wei@163.com', email: 'zhang.wei@163.com', name: '张伟' });
    expect(message.subject).toBe('提现一直没有到账');
    expect(message.text).toBe('您好，\n\n我昨天提现了 0.5 BTC，到现在还没有到账。交易哈希是 0x7d2e…91af，请帮忙查一下。\n\n谢谢！\n张伟');
    expect(message.sentAt).toBe('2024-03-14T08:20:05.000Z');
  });

  it('Big5: quoted-printable body and Q-encoded headers', async () => {
    const { message } = await parse('big5.eml');
    expect(message.sender.name).toBe('林美玲');
    expect(message.subject).toBe('帳戶無法登入');
    expect(message.text).toBe('您好：\n\n我的帳戶從昨天開始無法登入，顯示「驗證碼錯誤」。請問該怎麼處理？\n\n林美玲');
  });

  it('ISO-2022-JP: 7-bit escape sequences in body and headers', async () => {
    const { message } = await parse('iso-2022-jp.eml');
    expect(message.sender).toMatchObject({ externalId: 'tanaka.hiroshi@example.jp', name: '田中 博' });
    expect(message.subject).toBe('送金が反映されません');
    expect(message.text).toBe('サポートご担当者様\n\n昨日の送金がまだ反映されていません。確認をお願いいたします。\n\n田中');
  });
});

describe('email parser: HTML, attachments and inline images', () => {
  it('HTML-only mail: text from the HTML; scripts, handlers, frames, forms and styles that load things are gone; remote images are inert', async () => {
    const { message } = await parse('html-only-remote-image.eml');
    expect(message.text).toBe('My card was charged twice for order #4471.\n\nScreenshot: [screenshot]\n\nrefund status order page');
    const html = message.html!;
    for (const banned of ['<script', 'onload', 'onerror', 'onclick', '<iframe', '<form', '<input', '<style', '<meta', '<svg', 'javascript:', 'url(', ' src=']) {
      expect(html).not.toContain(banned);
    }
    expect(html).toContain('data-remote-src="https://cdn.example.net/screenshot.png"');
    expect(html).toContain('data-remote-src="https://tracker.example/pixel.gif?u=dana"');
    // Harmless inline style survives; the background image beside it does not.
    expect(html).toContain('style="color:#333333;font-weight:bold"');
    expect(html).toContain('<a href="https://shop.example/orders/4471" target="_blank" rel="noopener noreferrer">order page</a>');
  });

  it('attachments and an inline cid image become files; storing them points the HTML at the stored image', async () => {
    const parsed = await parse('attachments-inline.eml');
    expect(parsed.message.attachments).toEqual([
      { kind: 'file', name: 'receipt-4471.pdf', mimeType: 'application/pdf', size: 77 },
      { kind: 'image', name: 'error.png', mimeType: 'image/png', size: 71 },
    ]);
    expect(parsed.files.map((f) => ({ index: f.index, name: f.name, cid: f.cid, size: f.bytes.length }))).toEqual([
      { index: 0, name: 'receipt-4471.pdf', cid: undefined, size: 77 },
      { index: 1, name: 'error.png', cid: 'error-shot@shop.example', size: 71 },
    ]);
    expect(parsed.files[0]!.bytes.subarray(0, 8).toString()).toBe('%PDF-1.4');
    expect(parsed.message.html).toContain('data-cid="error-shot@shop.example"');

    const stored = withStoredFiles(parsed, new Map([[0, 'att-pdf'], [1, 'att-png']]));
    expect(stored.attachments).toEqual([
      { kind: 'file', name: 'receipt-4471.pdf', mimeType: 'application/pdf', size: 77, storedId: 'att-pdf' },
      { kind: 'image', name: 'error.png', mimeType: 'image/png', size: 71, storedId: 'att-png' },
    ]);
    expect(stored.html).toContain('<img alt="error" data-attachment-id="att-png" />');
    expect(stored.html).not.toContain('data-cid');
    expect(InboundMessage.safeParse(stored).success).toBe(true);

    // A file refused by the store (over the size limit) keeps its name and size, and the image stays unresolved.
    const partly = withStoredFiles(parsed, new Map([[0, 'att-pdf']]));
    expect(partly.attachments?.[1]).toEqual({ kind: 'image', name: 'error.png', mimeType: 'image/png', size: 71 });
    expect(partly.html).toContain('data-cid="error-shot@shop.example"');
  });
});

describe('email parser: machines, lists and bounces', () => {
  it('an out-of-office reply (Auto-Submitted) is automated and still threads on our message', async () => {
    const { message } = await parse('auto-reply.eml');
    expect(message).toMatchObject({
      automated: true,
      threadRefs: ['<01hs3e5g7j9k1m3n5p7q9r1s3t@example.com>'],
      sender: { externalId: 'carol.jones@contoso.com' },
      text: 'I am out of the office until Monday, 25 March, with limited access to email.\nFor urgent matters please contact my colleague Dan.',
    });
    expect(message.deliveryFailure).toBeUndefined();
  });

  it('a mailing-list mail is automated and attributed to its author, not the list', async () => {
    const { message } = await parse('mailing-list.eml');
    expect(message).toMatchObject({
      automated: true,
      sender: { externalId: 'frank@users.example', name: 'Frank Lee' },
      threadKey: 'frank@users.example <87sf4k2m1x.fsf@users.example>',
      subject: '[wallet-users] Is the new release signed?',
    });
    expect(message.threadRefs).toBeUndefined();
  });

  it('a DSN names our original Message-ID with Status and Diagnostic-Code from the delivery-status part', async () => {
    const { message, files } = await parse('bounce-dsn.eml');
    expect(message.deliveryFailure).toEqual({
      originalExternalId: '<01hs1c4d6f8g0h2j4k6m8n0p2q@example.com>',
      status: '5.1.1',
      diagnostic: 'smtp; 550 5.1.1 <nobody@customer.example>: Recipient address rejected: User unknown in virtual mailbox table',
    });
    expect(message.automated).toBe(true);
    expect(message.sender).toMatchObject({ externalId: 'mailer-daemon@mx.example.com' });
    expect(message.text).toMatch(/^This is the mail system at host mx\.example\.com\./);
    // The returned copy is our own mail: listed, not stored again.
    expect(message.attachments.map((a) => a.mimeType)).toEqual(['message/delivery-status', 'message/rfc822']);
    expect(files).toEqual([]);
  });

  it('an Exim bounce without a DSN part falls back to X-Failed-Recipients and the Message-ID in the returned copy', async () => {
    const { message } = await parse('bounce-exim.eml');
    expect(message.deliveryFailure).toEqual({
      originalExternalId: '<01hs5g7j9k1m3n5p7q9r1s3t5v@example.com>',
      diagnostic:
        'This message was created automatically by mail delivery software. A message that you sent could not be delivered to one or more of its recipients. This is a permanent error. The following address(es) failed: old.address@example.org mailbox is full: retry timeout exceeded',
    });
    expect(message.automated).toBe(true);
  });

  it('a delivery report that only says "delayed" is automated mail, not a failure', async () => {
    const delayed = Buffer.from(fixture('bounce-dsn.eml').toString('utf8').replace('Action: failed', 'Action: delayed').replace('Status: 5.1.1', 'Status: 4.4.1'));
    const { message } = await parseEmail(delayed, options);
    expect(message.deliveryFailure).toBeUndefined();
    expect(message.automated).toBe(true);
  });
});
