import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dovecot } from '../../fakes/email/dovecot.js';
import { conversationOfMessage, customerMail, messagesOf, startEmailGateway } from '../../fakes/email/harness.js';
import { FakeSmtp } from '../../fakes/email/smtp.js';
import type { TestGateway } from '../../support/gateway.js';
import { loginAdmin } from '../../support/http.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`../../fixtures/email/${name}`, import.meta.url));

describe('email: files inside the mail go to the attachment store', () => {
  let dovecot: Dovecot;
  let smtp: FakeSmtp;
  let gateway: TestGateway;
  let token: string;

  beforeAll(async () => {
    dovecot = await Dovecot.start();
    smtp = await FakeSmtp.start();
    // A small store limit, so one test file is over it.
    gateway = await startEmailGateway(dovecot, smtp, {}, { env: { ATTACHMENT_MAX_BYTES: '4096' } });
    token = await loginAdmin(gateway.url);
  });
  afterAll(async () => {
    await gateway?.dispose();
    await smtp?.stop();
    await dovecot?.dispose();
  });

  it('attachments and the inline image are downloadable by agents, and the HTML points at the stored image', async () => {
    await dovecot.append(fixture('attachments-inline.eml'));
    const conversationId = await conversationOfMessage(gateway, '<9b7c1d2e-0a3f-4b5c-8d6e-7f8a9b0c1d2e@shop.example>');
    const [message] = await messagesOf(gateway, token, conversationId);
    expect(message!.attachments.map((a) => a.name)).toEqual(['receipt-4471.pdf', 'error.png']);
    const image = message!.attachments.find((a) => a.name === 'error.png')!;
    expect(message!.html).toContain(`data-attachment-id="${image.id}"`);
    const pdf = await fetch(`${gateway.url}${message!.attachments[0]!.url}`, { headers: { authorization: `Bearer ${token}` } });
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 8).toString()).toBe('%PDF-1.4');
    const png = await fetch(`${gateway.url}${image.url}`, { headers: { authorization: `Bearer ${token}` } });
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toMatch(/^image\/png/);
    expect(Buffer.from(await png.arrayBuffer()).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  });

  it('a file over the store limit is listed by name and size without its bytes; the mail is not held back', async () => {
    const big = Buffer.alloc(10_000, 7).toString('base64').replace(/.{76}/g, '$&\r\n');
    const raw = customerMail({ messageId: '<with-big-file@customer.example>', text: 'see attached' })
      .replace('Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64', 'Content-Type: multipart/mixed; boundary="b1"')
      .replace(/\r\n\r\n([\s\S]*)$/, (_m, body: string) =>
        `\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}--b1\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="wallet-backup.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${big}\r\n--b1--\r\n`,
      );
    await dovecot.append(raw);
    const conversationId = await conversationOfMessage(gateway, '<with-big-file@customer.example>');
    const [message] = await messagesOf(gateway, token, conversationId);
    expect(message!.text).toBe('see attached');
    expect(message!.attachments).toMatchObject([{ name: 'wallet-backup.bin', size: 10_000 }]);
    const row = await gateway.deps.db.selectFrom('attachments').select(['storage_key']).where('id', '=', message!.attachments[0]!.id).executeTakeFirstOrThrow();
    expect(row.storage_key).toBeNull();
  });
});
