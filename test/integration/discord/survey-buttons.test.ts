import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discordConfig } from '../../../adapters/discord/config.js';
import { createDiscordAdapter } from '../../../adapters/discord/index.js';
import type { ChannelAdapter, OutboundChoice, OutboundMessage } from '../../../src/channels/contract.js';
import { choiceToken } from '../../../src/domain/choice.js';
import { redisSharedState } from '../../../src/runtime/shared-state.js';
import { FakeDiscord, type FakeUser } from '../../fakes/discord/fake-discord.js';
import { buttonFor, CHANNEL_ID, connected, conversationByKey, startDiscordGateway } from '../../fakes/discord/harness.js';
import { dmMessage } from '../../fakes/discord/messages.js';
import { testAdapterContext } from '../../support/adapter-context.js';
import { TEST_REDIS_URL } from '../../support/env.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually } from '../../support/http.js';

/** A survey as the desk words it; the adapter only renders it. */
const survey = (id: string): OutboundChoice => ({
  id,
  options: ['1', '2', '3', '4', '5'].map((value) => ({ value, label: `${value} ★`, answered: `Thanks — you rated ${value}/5` })),
});
const question = (choice: OutboundChoice): OutboundMessage & { choice: OutboundChoice } => ({
  messageId: `m-${choice.id}`,
  text: 'How would you rate our help? Tap a score.',
  authorName: 'Support',
  attachments: [],
  alreadySent: [],
  automatic: true,
  choice,
});

describe('Discord surveys: buttons under the question, a click stored once and answered in time', () => {
  let fake: FakeDiscord;
  let gateway: TestGateway;
  let adapter: ChannelAdapter;
  const ana: FakeUser = { id: '1300000000000000061', username: 'ana', global_name: 'Ana' };
  const ben: FakeUser = { id: '1300000000000000062', username: 'ben' };

  const ask = async (threadKey: string, contact: FakeUser, choice: OutboundChoice): Promise<string> => {
    const result = await adapter.sendChoice!({ conversationId: 'c', threadKey, contactExternalId: contact.id }, question(choice));
    expect(result.externalIds).toHaveLength(1);
    return result.externalIds[0]!;
  };
  const picks = (interactionId: string) =>
    gateway.deps.db.selectFrom('messages').select(['text', 'conversation_id', 'raw', 'choice']).where('channel_id', '=', CHANNEL_ID).where('external_id', '=', `ia:${interactionId}`).execute();
  const answersTo = (interactionId: string) => fake.answers.filter((a) => a.interactionId === interactionId);
  const answered = (interactionId: string, count = 1) => eventually(async () => (answersTo(interactionId).length >= count ? answersTo(interactionId) : undefined), 15_000, `answers to ${interactionId}`);

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    gateway = await startDiscordGateway(fake);
    await connected(fake);
    adapter = gateway.deps.adapters.get(CHANNEL_ID)!;
  });
  afterAll(async () => {
    await gateway?.dispose();
    await fake?.stop();
  });

  it('declares buttons, and a question arrives as one message whose row of 5 buttons each carries our choice token', async () => {
    expect(adapter.capabilities.buttons).toBe(true);
    const ref = await ask(`dm:${ana.id}`, ana, survey('s1'));
    const [sent] = fake.sentTo(fake.dmChannelOf(ana.id));
    expect(sent).toMatchObject({ id: ref, content: 'How would you rate our help? Tap a score.' });
    expect(sent!.components).toEqual([
      { type: 1, components: ['1', '2', '3', '4', '5'].map((v) => ({ type: 2, style: 2, label: `${v} ★`, custom_id: choiceToken({ id: 's1', value: v }) })) },
    ]);
  });

  it("a click is the customer's pick in their DM conversation, stored once though Discord replays it, and the message turns into the answered text in one UPDATE_MESSAGE", async () => {
    fake.post(dmMessage(fake, ana, 1, 'thanks, solved'));
    const conversation = await conversationByKey(gateway, `dm:${ana.id}`);
    const ref = fake.sentTo(fake.dmChannelOf(ana.id))[0]!.id;
    const id = fake.click(ref, buttonFor(fake, ref, '4'), ana);
    fake.redispatch(id);
    const rows = await eventually(async () => ((await picks(id)).length > 0 ? picks(id) : undefined), 15_000, 'the stored pick');
    expect(rows.map((r) => [r.text, r.conversation_id, r.choice])).toEqual([['4 ★', conversation.id, { id: 's1', picked: '4' }]]);
    // The interaction token answers for it for 15 minutes: it is not kept with the payload.
    expect(JSON.stringify(rows[0]!.raw)).not.toContain(fake.interaction(id)!.token);
    expect(JSON.stringify(rows[0]!.raw)).toContain(choiceToken({ id: 's1', value: '4' }));

    const [answer] = await answered(id);
    expect(answer).toMatchObject({ kind: 'callback', type: 7, status: 200, data: { content: 'Thanks — you rated 4/5', components: [] } });
    expect(fake.message(ref)).toMatchObject({ content: 'Thanks — you rated 4/5', components: [] });
    // The replay neither answered again (40060) nor stored again.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(answersTo(id)).toHaveLength(1);
    expect(await picks(id)).toHaveLength(1);
  });

  it('a button that is not one of our questions is only acknowledged (DEFERRED_UPDATE_MESSAGE) and stores nothing', async () => {
    const foreign = { id: fake.snowflake(), channel_id: fake.dmChannelOf(ana.id), author: { ...fake.bot, discriminator: '0' }, content: 'Other app', timestamp: new Date().toISOString(), type: 0, mentions: [], attachments: [], components: [{ type: 1, components: [{ type: 2, style: 1, label: 'Go', custom_id: 'ticket:open:42' }] }] };
    fake.post(foreign, { dispatch: false });
    const id = fake.click(foreign.id, 'ticket:open:42', ana);
    const [answer] = await answered(id);
    expect(answer).toMatchObject({ kind: 'callback', type: 6, status: 204 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await picks(id)).toHaveLength(0);
    expect(fake.message(foreign.id)).toMatchObject({ content: 'Other app' });
  });

  it('a value the question never offered (a forged button) stores nothing', async () => {
    const forged = { id: fake.snowflake(), channel_id: fake.dmChannelOf(ana.id), author: { ...fake.bot, discriminator: '0' }, content: 'x', timestamp: new Date().toISOString(), type: 0, mentions: [], attachments: [], components: [{ type: 1, components: [{ type: 2, style: 2, label: '9', custom_id: choiceToken({ id: 's1', value: '9' }) }] }] };
    fake.post(forged, { dispatch: false });
    const id = fake.click(forged.id, choiceToken({ id: 's1', value: '9' }), ana);
    expect((await answered(id))[0]).toMatchObject({ type: 6, status: 204 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await picks(id)).toHaveLength(0);
  });

  it("in a support channel only the customer asked can answer: a bystander's click stores nothing, the customer's counts in their conversation", async () => {
    const threadKey = `channel:${fake.supportChannelId}:${ben.id}`;
    const ref = await ask(threadKey, ben, survey('s2'));
    expect(fake.sentTo(fake.supportChannelId).at(-1)!.content).toBe(`<@${ben.id}> How would you rate our help? Tap a score.`);
    const bystander = fake.click(ref, buttonFor(fake, ref, '1'), ana);
    expect((await answered(bystander))[0]).toMatchObject({ type: 6, status: 204 });
    expect(fake.message(ref)!.components).toHaveLength(1);

    const id = fake.click(ref, buttonFor(fake, ref, '5'), ben);
    expect((await answered(id))[0]).toMatchObject({ type: 7, status: 200, data: { content: 'Thanks — you rated 5/5', components: [] } });
    const rows = await eventually(async () => ((await picks(id)).length > 0 ? picks(id) : undefined), 15_000, 'the stored pick');
    const conversation = await conversationByKey(gateway, threadKey);
    expect(rows.map((r) => [r.text, r.conversation_id, r.choice])).toEqual([['5 ★', conversation.id, { id: 's2', picked: '5' }]]);
    expect(await picks(bystander)).toHaveLength(0);
    expect(await conversationExists(`channel:${fake.supportChannelId}:${ana.id}`)).toBe(false);
  });

  it('a question this server has no record of: a DM click still counts and the message only loses its buttons; in a support channel it stores nothing', async () => {
    const stale = (channelId: string) => {
      const message = { id: fake.snowflake(), channel_id: channelId, author: { ...fake.bot, discriminator: '0' }, content: 'Rate us', timestamp: new Date().toISOString(), type: 0, mentions: [], attachments: [], components: [{ type: 1, components: [{ type: 2, style: 2, label: '3 ★', custom_id: choiceToken({ id: 'gone', value: '3' }) }] }] };
      fake.post(message, { dispatch: false });
      return message.id;
    };
    const inDm = stale(fake.dmChannelOf(ana.id));
    const dmClick = fake.click(inDm, choiceToken({ id: 'gone', value: '3' }), ana);
    expect((await answered(dmClick))[0]).toMatchObject({ type: 7, status: 200, data: { components: [] } });
    expect(fake.message(inDm)).toMatchObject({ content: 'Rate us', components: [] });
    await eventually(async () => ((await picks(dmClick)).length === 1 ? true : undefined), 15_000, 'the DM pick');

    const inChannel = stale(fake.supportChannelId);
    const channelClick = fake.click(inChannel, choiceToken({ id: 'gone', value: '3' }), ben);
    expect((await answered(channelClick))[0]).toMatchObject({ type: 6, status: 204 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await picks(channelClick)).toHaveLength(0);
  });

  it('the same click reaching two connections that share no memory (two processes on one bot token) is stored once; Discord takes one answer and refuses the other (40060)', async () => {
    const redis = new Redis(TEST_REDIS_URL);
    const stop = new AbortController();
    const context = { ...testAdapterContext(), shared: redisSharedState(redis, `${gateway.prefix}:channel:${CHANNEL_ID}`) };
    const twin = createDiscordAdapter(discordConfig.parse({ id: CHANNEL_ID, kind: 'discord', token: fake.token, apiBase: fake.apiBase, gatewayUrl: fake.gatewayUrl, channels: [fake.supportChannelId] }), context);
    const running = twin.start!(gateway.deps.sink, stop.signal);
    try {
      await connected(fake, fake.identifyIntents.length + 1);
      const ref = await ask(`dm:${ana.id}`, ana, survey('s3'));
      const id = fake.click(ref, buttonFor(fake, ref, '3'), ana);
      const answers = await answered(id, 2);
      expect(answers.map((a) => [a.type, a.status]).sort()).toEqual([
        [7, 200],
        [7, 400],
      ]);
      const rows = await eventually(async () => ((await picks(id)).length > 0 ? picks(id) : undefined), 15_000, 'the stored pick');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(rows).toHaveLength(1);
      expect(await picks(id)).toHaveLength(1);
      expect(fake.message(ref)).toMatchObject({ content: 'Thanks — you rated 3/5', components: [] });
    } finally {
      stop.abort();
      await running;
      redis.disconnect();
    }
  });

  async function conversationExists(threadKey: string): Promise<boolean> {
    const row = await gateway.deps.db.selectFrom('conversations').select('id').where('channel_id', '=', CHANNEL_ID).where('thread_key', '=', threadKey).executeTakeFirst();
    return row !== undefined;
  }
});
