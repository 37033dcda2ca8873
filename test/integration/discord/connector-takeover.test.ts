import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../../fakes/discord/fake-discord.js';
import { CHANNEL_ID, connected, inboundExternalIds, reuseOf, startDiscordGateway } from '../../fakes/discord/harness.js';
import { dmMessage, messageId } from '../../fakes/discord/messages.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually } from '../../support/http.js';

describe('Discord connector lease: a second gateway takes over', () => {
  let fake: FakeDiscord;
  let first: TestGateway | undefined;
  let second: TestGateway | undefined;
  const ana = { id: '1300000000000000041', username: 'ana' };
  const stored = (gateway: TestGateway, n: number) =>
    eventually(async () => ((await inboundExternalIds(gateway)).includes(messageId(fake, n)) ? true : undefined), 40_000, `message ${n}`);

  beforeAll(async () => {
    fake = await FakeDiscord.start();
  });
  afterAll(async () => {
    await second?.dispose();
    await first?.stop().catch(() => undefined);
    await fake?.stop();
  });

  it('while the first holds the lease, only it is connected; once stopped, the second connects and keeps receiving, missing nothing from the gap', async () => {
    first = await startDiscordGateway(fake);
    await connected(fake);
    second = await startDiscordGateway(fake, { reuse: reuseOf(first) });
    fake.post(dmMessage(fake, ana, 1, 'before the handover'));
    await stored(second, 1);
    expect(first.connectors?.held()).toEqual([CHANNEL_ID]);
    expect(second.connectors?.held()).toEqual([]);
    expect(fake.identifyIntents).toHaveLength(1);

    await first.stop();
    // Sent while nobody was connected: the new holder's first READY catches up from the shared cursor.
    fake.post(dmMessage(fake, ana, 2, 'in the gap'), { dispatch: false });
    await connected(fake, 2);
    fake.post(dmMessage(fake, ana, 3, 'after the handover'));
    await stored(second, 3);
    await stored(second, 2);
    expect(second.connectors?.held()).toEqual([CHANNEL_ID]);
    expect(await inboundExternalIds(second)).toEqual([1, 2, 3].map((n) => messageId(fake, n)));
  });
});
