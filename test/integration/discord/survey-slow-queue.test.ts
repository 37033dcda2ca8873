import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discordConfig } from '../../../adapters/discord/config.js';
import { createDiscordAdapter } from '../../../adapters/discord/index.js';
import type { ChannelAdapter, OutboundChoice } from '../../../src/channels/contract.js';
import type { InboundMessageInput } from '../../../src/domain/message.js';
import { FakeDiscord, type FakeUser } from '../../fakes/discord/fake-discord.js';
import { buttonFor, connected } from '../../fakes/discord/harness.js';
import { testAdapterContext } from '../../support/adapter-context.js';
import { eventually } from '../../support/http.js';
import { testSink } from '../../support/sink.js';

/**
 * The connector against the fake gateway with a queue that takes longer than Discord's 3 s to
 * accept (Redis slow or failing over): the click must be acknowledged in time all the same, and
 * the message edited only once the pick is queued.
 */
describe('Discord surveys when queueing the pick is slow', () => {
  let fake: FakeDiscord;
  let adapter: ChannelAdapter;
  const stop = new AbortController();
  let running: Promise<void> | undefined;
  const ana: FakeUser = { id: '1300000000000000071', username: 'ana' };
  const calls: InboundMessageInput[] = [];
  const queued: InboundMessageInput[] = [];
  let release: () => void = () => undefined;

  const survey: OutboundChoice = {
    id: 'slow1',
    options: ['1', '2', '3', '4', '5'].map((value) => ({ value, label: `${value} ★`, answered: `Thanks — you rated ${value}/5` })),
  };

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    adapter = createDiscordAdapter(
      discordConfig.parse({ id: 'dc', kind: 'discord', token: fake.token, apiBase: fake.apiBase, gatewayUrl: fake.gatewayUrl, channels: [fake.supportChannelId] }),
      testAdapterContext(),
    );
    const held = new Promise<void>((resolve) => (release = resolve));
    running = adapter.start!(
      testSink(async (message) => {
        calls.push(message);
        await held;
        queued.push(message);
      }),
      stop.signal,
    );
    await connected(fake);
  });
  afterAll(async () => {
    release();
    stop.abort();
    await running;
    await fake?.stop();
  });

  it('the click is acknowledged with DEFERRED_UPDATE_MESSAGE within the deadline, a replay changes nothing, and once queued the message is edited to the answered text', async () => {
    const [ref] = (await adapter.sendChoice!({ conversationId: 'c', threadKey: `dm:${ana.id}`, contactExternalId: ana.id }, {
      messageId: 'm1',
      text: 'How would you rate our help?',
      authorName: 'Support',
      attachments: [],
      alreadySent: [],
      choice: survey,
    })).externalIds;
    const id = fake.click(ref!, buttonFor(fake, ref!, '2'), ana);
    fake.redispatch(id);

    // The fake answers 404 Unknown interaction to a callback after 3 s: 204 is "in time".
    const [deferral] = await eventually(async () => (fake.answers.length > 0 ? fake.answers : undefined), 15_000, 'the deferral');
    expect(deferral).toMatchObject({ interactionId: id, kind: 'callback', type: 6, status: 204 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(queued).toHaveLength(0);
    expect(fake.edits).toHaveLength(0);
    expect(fake.message(ref!)!.components).toHaveLength(1);

    release();
    const edit = await eventually(async () => fake.answers.find((a) => a.kind === 'edit-original'), 15_000, 'the edit');
    expect(edit).toMatchObject({ interactionId: id, status: 200, data: { content: 'Thanks — you rated 2/5', components: [] } });
    expect(fake.message(ref!)).toMatchObject({ content: 'Thanks — you rated 2/5', components: [] });
    expect(queued).toEqual([
      expect.objectContaining({ channelId: 'dc', externalId: `ia:${id}`, threadKey: `dm:${ana.id}`, text: '2 ★', choice: { id: 'slow1', value: '2' }, sender: expect.objectContaining({ externalId: ana.id }) }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls).toHaveLength(1);
    expect(fake.answers.map((a) => [a.kind, a.status])).toEqual([
      ['callback', 204],
      ['edit-original', 200],
    ]);
  });
});
