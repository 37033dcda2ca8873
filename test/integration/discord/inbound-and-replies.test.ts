import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../../fakes/discord/fake-discord.js';
import { CHANNEL_ID, connected, conversationByKey, messageState, reply, startDiscordGateway } from '../../fakes/discord/harness.js';
import { dmMessage, guildMessage, messageId } from '../../fakes/discord/messages.js';
import type { TestGateway } from '../../support/gateway.js';
import { eventually, loginAdmin } from '../../support/http.js';

describe('Discord DMs and support channels through a real gateway and discord.js', () => {
  let fake: FakeDiscord;
  let gateway: TestGateway;
  let token: string;
  const ana = { id: '1300000000000000001', username: 'ana', global_name: 'Ana P.' };
  const ben = { id: '1300000000000000002', username: 'ben' };

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    gateway = await startDiscordGateway(fake);
    token = await loginAdmin(gateway.url);
    await connected(fake);
  });
  afterAll(async () => {
    await gateway?.dispose();
    await fake?.stop();
  });

  it('identifies with Guilds | GuildMessages | DirectMessages | MessageContent through the configured gateway URL', () => {
    expect(fake.identifyIntents[0]).toBe(37377);
  });

  it('a DM becomes a conversation with that customer; the reply reaches their DM channel referencing their message', async () => {
    fake.post(dmMessage(fake, ana, 1, 'My withdrawal is stuck'));
    const conversation = await conversationByKey(gateway, `dm:${ana.id}`);
    const id = await reply(gateway, token, conversation.id, { text: 'Checking now.', replyToExternalId: messageId(fake, 1) });
    await eventually(async () => ((await messageState(gateway, id)).status === 'sent' ? true : undefined), 15_000);
    const [sent] = fake.sentTo(fake.dmChannelOf(ana.id));
    expect(sent).toMatchObject({ content: 'Checking now.', messageReference: { message_id: messageId(fake, 1) } });
    // The DM channel was opened through POST /users/@me/channels (outbound does not rely on the gateway's cache).
    expect(fake.requests.some((r) => r.method === 'POST' && r.path === '/api/v10/users/@me/channels')).toBe(true);
    const contact = await gateway.deps.db.selectFrom('contact_identities').select(['external_id']).where('channel_id', '=', CHANNEL_ID).execute();
    expect(contact.map((c) => c.external_id)).toContain(ana.id);
  });

  it('a message in the support channel opens a conversation for its author; the reply goes to that channel, answering it', async () => {
    fake.post(guildMessage(fake, fake.supportChannelId, ben, 2, 'hey <@1200000000000000001> my deposit', { mentions: [{ ...fake.bot }] }));
    const conversation = await conversationByKey(gateway, `channel:${fake.supportChannelId}:${ben.id}`);
    const stored = await gateway.deps.db.selectFrom('messages').select('text').where('conversation_id', '=', conversation.id).executeTakeFirstOrThrow();
    expect(stored.text).toBe('hey @SupportBot my deposit');
    const id = await reply(gateway, token, conversation.id, { text: 'Which network?', replyToExternalId: messageId(fake, 2) });
    await eventually(async () => ((await messageState(gateway, id)).status === 'sent' ? true : undefined), 15_000);
    expect(fake.sentTo(fake.supportChannelId).at(-1)).toMatchObject({ content: 'Which network?', messageReference: { message_id: messageId(fake, 2) } });
  });

  it('each thread under the support channel is one conversation, whoever writes in it; other channels are ignored', async () => {
    fake.post(guildMessage(fake, fake.supportThreadId, ana, 3, 'thread opener'));
    fake.post(guildMessage(fake, fake.supportThreadId, ben, 4, 'me too'));
    fake.post(guildMessage(fake, fake.otherChannelId, ben, 5, 'off-topic chatter'));
    const conversation = await conversationByKey(gateway, `thread:${fake.supportThreadId}`);
    await eventually(async () => {
      const rows = await gateway.deps.db.selectFrom('messages').select('text').where('conversation_id', '=', conversation.id).execute();
      return rows.length === 2 ? true : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const offTopic = await gateway.deps.db.selectFrom('messages').select('id').where('external_id', '=', messageId(fake, 5)).execute();
    expect(offTopic).toHaveLength(0);
  });

  it("bots' messages (ours included) are ignored", async () => {
    fake.post(dmMessage(fake, ana, 6, 'I am a bot', { author: { ...fake.bot, discriminator: '0' } }));
    fake.post(dmMessage(fake, ana, 7, 'after the bot'));
    await eventually(async () => ((await gateway.deps.db.selectFrom('messages').select('id').where('external_id', '=', messageId(fake, 7)).execute()).length === 1 ? true : undefined));
    expect(await gateway.deps.db.selectFrom('messages').select('id').where('external_id', '=', messageId(fake, 6)).execute()).toHaveLength(0);
  });

  it('a 2,500-character reply arrives as 2 messages in order, the first answering the customer', async () => {
    const conversation = await conversationByKey(gateway, `dm:${ana.id}`);
    const text = `${'a'.repeat(1500)}\n\n${'b'.repeat(999)}`;
    const before = fake.sentTo(fake.dmChannelOf(ana.id)).length;
    const id = await reply(gateway, token, conversation.id, { text, replyToExternalId: messageId(fake, 7) });
    await eventually(async () => ((await messageState(gateway, id)).status === 'sent' ? true : undefined), 15_000);
    const parts = fake.sentTo(fake.dmChannelOf(ana.id)).slice(before);
    expect(parts.map((p) => p.content)).toEqual(['a'.repeat(1500), 'b'.repeat(999)]);
    expect(parts[0]!.messageReference?.message_id).toBe(messageId(fake, 7));
    expect(parts[1]!.messageReference).toBeUndefined();
    expect((await messageState(gateway, id)).sent_parts).toEqual(parts.map((p) => p.id));
  });

  it('edits and deletes revise the stored message instead of adding one', async () => {
    const original = dmMessage(fake, ana, 8, 'typo teh');
    fake.post(original);
    await eventually(async () => ((await gateway.deps.db.selectFrom('messages').select('id').where('external_id', '=', messageId(fake, 8)).execute()).length === 1 ? true : undefined));
    fake.dispatch('MESSAGE_UPDATE', { ...original, content: 'typo the', edited_timestamp: '2026-01-01T12:05:00.000+00:00' });
    await eventually(async () => {
      const row = await gateway.deps.db.selectFrom('messages').select(['text', 'edited_at']).where('external_id', '=', messageId(fake, 8)).executeTakeFirst();
      return row?.text === 'typo the' && row.edited_at ? true : undefined;
    });
    fake.dispatch('MESSAGE_DELETE', { id: messageId(fake, 8), channel_id: original.channel_id });
    await eventually(async () => {
      const row = await gateway.deps.db.selectFrom('messages').select(['deleted_at']).where('external_id', '=', messageId(fake, 8)).executeTakeFirst();
      return row?.deleted_at ? true : undefined;
    });
    expect(await gateway.deps.db.selectFrom('messages').select('id').where('external_id', '=', messageId(fake, 8)).execute()).toHaveLength(1);
  });
});
