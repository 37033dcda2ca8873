import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedChannel, type ScriptedInbound } from '../../fakes/scripted-channel.js';
import { startTestGateway, type TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin, request } from '../../support/http.js';

describe('edits, deletes, channel events and platform media', () => {
  let gateway: TestGateway;
  let token: string;
  const channel = new ScriptedChannel();

  beforeAll(async () => {
    gateway = await startTestGateway({ extraAdapters: [channel], env: { ATTACHMENT_MAX_BYTES: '4096' } });
    token = await loginAdmin(gateway.url);
  });
  afterAll(async () => gateway?.dispose());

  const deliver = async (body: ScriptedInbound): Promise<void> => {
    const r = await request(gateway.url, 'POST', '/webhooks/scripted', { headers: { 'x-secret': 'scripted-secret' }, body });
    expect(r.status).toBe(200);
  };
  const conversationOf = (from: string) =>
    eventually(async () => {
      const list = await request(gateway.url, 'GET', '/api/conversations?channel=scripted&limit=100', { token });
      return list.body.items.find((c: { contact: { identities: { externalId: string }[] } }) => c.contact.identities[0]?.externalId === from);
    });
  const messagesOf = async (conversationId: string) => (await request(gateway.url, 'GET', `/api/conversations/${conversationId}/messages`, { token })).body.items;

  it('an edit replaces the text and marks it edited; a late, older edit does not overwrite a newer one', async () => {
    await deliver({ id: 'e1', from: 'ed', text: 'send to 0xABC', sentAt: '2026-11-22T10:00:00Z' });
    const conversation = await conversationOf('ed');
    await deliver({ id: 'e1', from: 'ed', text: 'send to 0xDEF (typo fixed)', revision: { kind: 'edit', at: '2026-11-22T10:02:00Z' } });
    await deliver({ id: 'e1', from: 'ed', text: 'send to 0x123 (older edit)', revision: { kind: 'edit', at: '2026-11-22T10:01:00Z' } });
    await eventually(async () => ((await messagesOf(conversation.id))[0]?.editedAt === '2026-11-22T10:02:00.000Z' ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [message, ...rest] = await messagesOf(conversation.id);
    expect(rest).toHaveLength(0);
    expect(message).toMatchObject({ text: 'send to 0xDEF (typo fixed)', editedAt: '2026-11-22T10:02:00.000Z', createdAt: '2026-11-22T10:00:00.000Z' });
  });

  it('an edit queued right behind its original is not dropped as a duplicate of it', async () => {
    await Promise.all([
      deliver({ id: 'q1', from: 'quick', text: 'first version', sentAt: '2026-11-22T11:00:00Z' }),
      deliver({ id: 'q1', from: 'quick', text: 'second version', revision: { kind: 'edit', at: '2026-11-22T11:00:05Z' } }),
    ]);
    const conversation = await conversationOf('quick');
    await eventually(async () => ((await messagesOf(conversation.id))[0]?.text === 'second version' ? true : undefined));
  });

  it('a delete keeps the text for the record and marks the message deleted', async () => {
    await deliver({ id: 'd1', from: 'del', text: 'my seed phrase is …', sentAt: '2026-11-22T12:00:00Z' });
    const conversation = await conversationOf('del');
    await deliver({ id: 'd1', from: 'del', text: '', revision: { kind: 'delete', at: '2026-11-22T12:00:30Z' } });
    await eventually(async () => ((await messagesOf(conversation.id))[0]?.deletedAt ? true : undefined));
    expect((await messagesOf(conversation.id))[0].text).toBe('my seed phrase is …');
  });

  it('blocking marks the customer unreachable without reopening; unblocking clears it', async () => {
    await deliver({ id: 'b0', from: 'blocker', text: 'hi' });
    const conversation = await conversationOf('blocker');
    await request(gateway.url, 'PATCH', `/api/conversations/${conversation.id}`, { token, body: { status: 'resolved' } });
    await deliver({ id: 'b1', from: 'blocker', text: 'The customer blocked the bot', event: { type: 'blocked' } });
    const blocked = await eventually(async () => {
      const c = (await request(gateway.url, 'GET', `/api/conversations/${conversation.id}`, { token })).body;
      return c.customerUnreachable ? c : undefined;
    });
    expect(blocked.status).toBe('resolved');
    expect(blocked.customerUnreachable.reason).toBe('The customer blocked the bot');
    const line = (await messagesOf(conversation.id)).find((m: { text: string }) => m.text === 'The customer blocked the bot');
    expect(line).toMatchObject({ private: true, author: { type: 'system' } });

    await deliver({ id: 'b2', from: 'blocker', text: 'The customer unblocked the bot', event: { type: 'unblocked' } });
    await eventually(async () => ((await request(gateway.url, 'GET', `/api/conversations/${conversation.id}`, { token })).body.customerUnreachable === null ? true : undefined));
  });

  it('platform files are fetched by a worker into the store; expired and oversized ones get a readable error', async () => {
    channel.files.set('photo-1', { bytes: Buffer.from('89504e470d0a1a0a', 'hex'), mimeType: 'image/png' });
    channel.files.set('video-1', { bytes: Buffer.alloc(5000), mimeType: 'video/mp4' });
    channel.fetchFailures = 1;
    await deliver({ id: 'f1', from: 'files', text: 'see screenshot', files: ['photo-1', 'gone-1', 'video-1'] });
    const conversation = await conversationOf('files');
    const attachments = await eventually(async () => {
      const [message] = await messagesOf(conversation.id);
      const list = message?.attachments ?? [];
      return list.length === 3 && list.every((a: { pending?: boolean }) => !a.pending) ? list : undefined;
    }, 15_000);
    const photo = attachments.find((a: { name: string }) => a.name === 'photo-1');
    const gone = attachments.find((a: { name: string }) => a.name === 'gone-1');
    expect(photo).toMatchObject({ kind: 'image', mimeType: 'image/png', size: 8 });
    expect(photo.error).toBeUndefined();
    expect(gone.error).toBe('the file link has expired');
    expect(attachments.find((a: { name: string }) => a.name === 'video-1').error).toBe('the file is over the download limit');
    const download = await fetch(`${gateway.url}${photo.url}`, { headers: { authorization: `Bearer ${token}` } });
    expect(Buffer.from(await download.arrayBuffer()).toString('hex')).toBe('89504e470d0a1a0a');
  });
});
