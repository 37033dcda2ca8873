import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotApi } from '../../fakes/telegram/bot-api.js';
import { CHANNEL_ID, conversationOfChat, startTelegramGateway, WEBHOOK_SECRET } from '../../fakes/telegram/harness.js';
import { documentUpdate, photoUpdate } from '../../fakes/telegram/updates.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';

interface ApiAttachment {
  id: string;
  kind: string;
  name?: string;
  mimeType?: string;
  size?: number;
  url: string;
  pending?: boolean;
  error?: string;
}

describe('Telegram media: downloaded by the media worker, served to agents', () => {
  let fake: FakeBotApi;
  let gateway: TestGateway;
  let token: string;
  let url: string;
  const customer = { id: 4_200_000_002, first_name: 'Kenji', last_name: 'Sato' };
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('fake jpeg body 📷')]);
  const pdf = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n');

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    gateway = await startTelegramGateway(fake);
    token = await loginAdmin(gateway.url);
    url = `${gateway.url}/webhooks/${CHANNEL_ID}`;
    fake.webhook = { url, secret_token: WEBHOOK_SECRET };
  });
  afterAll(async () => {
    await gateway?.dispose();
    await fake?.stop();
  });

  /** The attachments of the conversation's messages once none is still downloading. */
  const settledAttachments = async (count: number): Promise<ApiAttachment[]> => {
    const conversation = await conversationOfChat(gateway, token, customer.id);
    return eventually(async () => {
      const messages = (await request(gateway.url, 'GET', `/api/conversations/${conversation.id}/messages`, { token })).body.items as { attachments: ApiAttachment[] }[];
      const all = messages.flatMap((m) => m.attachments);
      return all.length === count && all.every((a) => !a.pending) ? all : undefined;
    }, 20_000, `${count} settled attachments`);
  };
  const download = async (attachment: ApiAttachment): Promise<{ status: number; bytes: Buffer; type: string | null }> => {
    const response = await fetch(`${gateway.url}${attachment.url}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()), type: response.headers.get('content-type') };
  };

  it('a photo (largest size) and a document become attachments whose bytes agents download unchanged; files over 20 MB get a readable error', async () => {
    fake.addFile('photo-large', { path: 'photos/file_7.jpg', bytes: jpeg });
    fake.addFile('doc-1', { path: 'documents/file_8.pdf', bytes: pdf });
    // Telegram refuses getFile for files over 20 MB ("file is too big")…
    fake.addFile('doc-huge', { path: 'documents/file_9.zip', size: 25 * 1024 * 1024 });
    // …and a server that reports the size instead is caught by file_size, without downloading.
    fake.addFile('video-huge', { path: 'videos/file_10.mp4', size: 30 * 1024 * 1024, reportOnly: true });

    const updates = [
      { update_id: 800_001, ...photoUpdate(customer, 41, { small: 'photo-small', large: 'photo-large', largeSize: jpeg.length }, '截图 of the error') },
      { update_id: 800_002, ...documentUpdate(customer, 42, { fileId: 'doc-1', name: '交易记录.pdf', mimeType: 'application/pdf', size: pdf.length }) },
      { update_id: 800_003, ...documentUpdate(customer, 43, { fileId: 'doc-huge', name: 'wallet-backup.zip', mimeType: 'application/zip', size: 25 * 1024 * 1024 }) },
      { update_id: 800_004, ...documentUpdate(customer, 44, { fileId: 'video-huge', name: 'screen.mp4', mimeType: 'video/mp4', size: 30 * 1024 * 1024 }) },
    ];
    for (const update of updates) expect(await fake.pushWebhook(update, { url })).toEqual([200]);

    const attachments = await settledAttachments(4);
    const photo = attachments.find((a) => a.kind === 'image')!;
    expect(photo).toMatchObject({ mimeType: 'image/jpeg', size: jpeg.length, name: 'file_7.jpg' });
    expect(photo.error).toBeUndefined();
    const photoFile = await download(photo);
    expect(photoFile.status).toBe(200);
    expect(photoFile.bytes.equals(jpeg)).toBe(true);

    const document = attachments.find((a) => a.name === '交易记录.pdf')!;
    expect(document).toMatchObject({ mimeType: 'application/pdf', size: pdf.length });
    expect((await download(document)).bytes.equals(pdf)).toBe(true);

    for (const name of ['wallet-backup.zip', 'screen.mp4']) {
      const huge = attachments.find((a) => a.name === name)!;
      expect(huge.error).toBe("the file is over Telegram's 20 MB bot download limit");
      expect((await download(huge)).status).toBe(404);
    }
    // Only the small photo size was never asked for; the huge files were never downloaded.
    const asked = fake.callsOf('getFile').map((call) => call.params.file_id);
    expect(asked).not.toContain('photo-small');
    expect(asked).toEqual(expect.arrayContaining(['photo-large', 'doc-1', 'doc-huge', 'video-huge']));
    expect(fake.downloads.sort()).toEqual(['documents/file_8.pdf', 'photos/file_7.jpg']);
  });
});
