import { startTestGateway, type TestGateway, type TestGatewayOptions } from '../../support/gateway.js';
import { eventually, request } from '../../support/http.js';
import { parseChoiceToken } from '../../../src/domain/choice.js';
import type { ReceivedChoice } from '../../contract/channel-contract.js';
import { buttonsOf, type FakeDiscord, type FakeUser } from './fake-discord.js';

export const CHANNEL_ID = 'dc';

/** A gateway (ROLE=all, so it runs the connector) with one Discord bot pointed at the fake. */
export function startDiscordGateway(fake: FakeDiscord, options: Omit<TestGatewayOptions, 'channels'> = {}): Promise<TestGateway> {
  return startTestGateway({
    ...options,
    env: { ROLE: 'all', ...options.env },
    channels: [{ id: CHANNEL_ID, kind: 'discord', token: fake.token, apiBase: fake.apiBase, gatewayUrl: fake.gatewayUrl, channels: [fake.supportChannelId] }],
  });
}

export const reuseOf = (g: TestGateway) => ({ schema: g.schema, prefix: g.prefix, dataDir: g.dataDir });

/** Waits for the connector to hold a live, identified gateway session (`n` identifies so far). */
export function connected(fake: FakeDiscord, identifies = 1): Promise<true> {
  return eventually(async () => (fake.connected > 0 && fake.identifyIntents.length >= identifies ? true : undefined), 30_000, 'the bot to identify on the fake gateway');
}

export async function inboundExternalIds(gateway: TestGateway): Promise<string[]> {
  const rows = await gateway.deps.db.selectFrom('messages').select('external_id').where('channel_id', '=', CHANNEL_ID).where('direction', '=', 'inbound').orderBy('created_at').orderBy('external_id').execute();
  return rows.map((row) => row.external_id ?? '');
}

export interface ConversationRow {
  id: string;
  thread_key: string;
}

/** The conversation with this thread key, once the inbound worker created it. */
export function conversationByKey(gateway: TestGateway, threadKey: string): Promise<ConversationRow> {
  return eventually(
    async () => gateway.deps.db.selectFrom('conversations').select(['id', 'thread_key']).where('channel_id', '=', CHANNEL_ID).where('thread_key', '=', threadKey).executeTakeFirst(),
    15_000,
    `conversation ${threadKey}`,
  );
}

export async function reply(gateway: TestGateway, token: string, conversationId: string, body: { text: string; replyToExternalId?: string }): Promise<string> {
  const r = await request(gateway.url, 'POST', `/api/conversations/${conversationId}/messages`, { token, body });
  if (r.status !== 202) throw new Error(`reply answered ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id as string;
}

export async function messageState(gateway: TestGateway, id: string): Promise<{ status: string; error: { code: string; message: string } | null; sent_parts: string[] }> {
  const row = await gateway.deps.db.selectFrom('messages').select(['status', 'error', 'sent_parts']).where('id', '=', id).executeTakeFirstOrThrow();
  const error = typeof row.error === 'string' ? (JSON.parse(row.error) as { code: string; message: string }) : (row.error as { code: string; message: string } | null);
  return { status: row.status, error, sent_parts: row.sent_parts };
}

/** Our messages in this channel that carried choice buttons, oldest first, as the customer saw them. */
export function receivedChoices(fake: FakeDiscord, channelId: string): ReceivedChoice[] {
  return fake.sentTo(channelId).flatMap((m) => {
    const options = buttonsOf(m.components).flatMap((b) => {
      const picked = typeof b.custom_id === 'string' ? parseChoiceToken(b.custom_id) : undefined;
      return picked ? [picked.value] : [];
    });
    const labels = buttonsOf(m.components).flatMap((b) => (typeof b.custom_id === 'string' && parseChoiceToken(b.custom_id) ? [String(b.label ?? '')] : []));
    return options.length > 0 ? [{ ref: m.id, text: m.content, options, labels }] : [];
  });
}

/** The custom_id of the button for `value` on our message `ref`. */
export function buttonFor(fake: FakeDiscord, ref: string, value: string): string {
  const sent = fake.sent.find((m) => m.id === ref);
  const id = buttonsOf(sent?.components ?? [])
    .map((b) => String(b.custom_id))
    .find((customId) => parseChoiceToken(customId)?.value === value);
  if (!id) throw new Error(`no button for ${value} on message ${ref}`);
  return id;
}

/**
 * `user` picks: pick `n` clicks once, the same `n` again is Discord replaying that same
 * interaction (a resumed session).
 */
export function picker(fake: FakeDiscord, user: FakeUser): (n: number, ref: string, value: string) => string {
  const clicks = new Map<number, string>();
  return (n, ref, value) => {
    const known = clicks.get(n);
    if (known) {
      fake.redispatch(known);
      return known;
    }
    const id = fake.click(ref, buttonFor(fake, ref, value), user);
    clicks.set(n, id);
    return id;
  };
}
