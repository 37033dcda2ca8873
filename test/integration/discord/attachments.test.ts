import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discordConfig } from '../../../adapters/discord/config.js';
import { createDiscordAdapter } from '../../../adapters/discord/index.js';
import type { ChannelAdapter } from '../../../src/channels/contract.js';
import { PermanentChannelError } from '../../../src/channels/errors.js';
import { FakeDiscord } from '../../fakes/discord/fake-discord.js';
import { testAdapterContext } from '../../support/adapter-context.js';

describe('Discord attachments', () => {
  let fake: FakeDiscord;
  let adapter: ChannelAdapter;

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    adapter = createDiscordAdapter(discordConfig.parse({ id: 'dc', kind: 'discord', token: fake.token, apiBase: fake.apiBase }), testAdapterContext());
  });
  afterAll(async () => {
    await fake?.stop();
  });

  it('fetchAttachment downloads the CDN link without sending the bot token', async () => {
    const file = await adapter.fetchAttachment!(`${fake.url}/attachments/1/2/shot.png?ex=1&is=2&hm=3`, 1024);
    expect(file).toMatchObject({ name: 'shot.png', mimeType: 'image/png' });
    expect(file.bytes.toString()).toContain('/attachments/1/2/shot.png');
    expect(fake.requests.find((r) => r.path.startsWith('/attachments/'))?.authorization).toBeUndefined();
  });

  it('refuses links outside Discord’s CDN and files over the size limit', async () => {
    await expect(adapter.fetchAttachment!('http://169.254.169.254/latest/meta-data', 1024)).rejects.toBeInstanceOf(PermanentChannelError);
    await expect(adapter.fetchAttachment!(`${fake.url}/attachments/1/2/big.png`, 4)).rejects.toMatchObject({ code: 'too_large' });
  });

  it('an agent’s file is uploaded as multipart with the file name', async () => {
    const file = { id: 'f', name: 'receipt.pdf', mimeType: 'application/pdf', size: 5, read: async () => Buffer.from('%PDF-') };
    await adapter.send({ conversationId: 'c', threadKey: `thread:${fake.supportThreadId}`, contactExternalId: '1' }, { messageId: 'm', text: 'see attached', authorName: 'A', attachments: [file], alreadySent: [] });
    expect(fake.sentTo(fake.supportThreadId).map((m) => [m.content, m.files])).toEqual([
      ['see attached', []],
      ['', [{ name: 'receipt.pdf', size: 5 }]],
    ]);
  });
});
