import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../../fakes/discord/fake-discord.js';
import { connected, inboundExternalIds, startDiscordGateway } from '../../fakes/discord/harness.js';
import { dmMessage, guildMessage, messageId } from '../../fakes/discord/messages.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually } from '../../support/http.js';

describe('Discord gateway: duplicates and a session that could not be resumed', () => {
  let fake: FakeDiscord;
  let gateway: TestGateway;
  const ana = { id: '1300000000000000011', username: 'ana' };
  const ben = { id: '1300000000000000012', username: 'ben' };
  const stored = (count: number) =>
    eventually(async () => {
      const ids = await inboundExternalIds(gateway);
      return ids.length >= count ? ids : undefined;
    }, 30_000, `${count} stored messages`);

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    gateway = await startDiscordGateway(fake);
    await connected(fake);
  });
  afterAll(async () => {
    await gateway?.dispose();
    await fake?.stop();
  });

  it('the same message id dispatched twice is stored once', async () => {
    const message = dmMessage(fake, ana, 1, 'hello');
    fake.post(message);
    fake.dispatch('MESSAGE_CREATE', message);
    await stored(1);
    fake.post(dmMessage(fake, ana, 2, 'second'));
    expect(await stored(2)).toEqual([messageId(fake, 1), messageId(fake, 2)]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await inboundExternalIds(gateway)).toHaveLength(2);
  });

  it('after a disconnect whose RESUME is refused (op 9, not resumable), the catch-up fetches what was missed: nothing lost, nothing doubled', async () => {
    fake.post(guildMessage(fake, fake.supportThreadId, ben, 3, 'in the thread before'));
    await stored(3);
    fake.refuseResume = true;
    fake.dropConnections();
    // Sent while the bot was away: Discord keeps them, but a fresh session will not dispatch them.
    fake.post(dmMessage(fake, ana, 4, 'while away (DM)'), { dispatch: false });
    fake.post(guildMessage(fake, fake.supportThreadId, ben, 5, 'while away (thread)'), { dispatch: false });
    await connected(fake, 2);
    expect(fake.opsReceived).toContain(6);
    // Also dispatched live after the new READY: the catch-up may fetch it too.
    fake.post(dmMessage(fake, ana, 6, 'right after'));
    const ids = await stored(6);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await inboundExternalIds(gateway)).toEqual([1, 2, 3, 4, 5, 6].map((n) => messageId(fake, n)));
    expect(ids).toHaveLength(6);
    const fetched = fake.requests.filter((r) => r.method === 'GET' && /\/channels\/\d+\/messages\?after=/.test(r.path)).map((r) => r.path);
    expect(fetched.some((p) => p.includes(fake.dmChannelOf(ana.id)))).toBe(true);
    expect(fetched.some((p) => p.includes(fake.supportThreadId))).toBe(true);
  });

  it('a resumable drop is resumed: events sent meanwhile are replayed by the gateway, with no catch-up needed', async () => {
    const before = fake.identifyIntents.length;
    fake.dropConnections();
    fake.post(dmMessage(fake, ana, 7, 'during the resume'));
    expect(await stored(7)).toContain(messageId(fake, 7));
    expect(fake.identifyIntents.length).toBe(before);
  });
});
