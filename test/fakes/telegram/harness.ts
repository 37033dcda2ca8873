import type { ConversationAddress, OutboundChoice, OutboundMessage } from '../../../src/channels/contract.js';
import { startTestGateway, type TestGateway, type TestGatewayOptions } from '../../support/gateway.js';
import { eventually, request } from '../../support/http.js';
import type { FakeBotApi } from './bot-api.js';

export const CHANNEL_ID = 'tg';
export const WEBHOOK_SECRET = 'webhook-secret_0123456789';

/** A gateway with one Telegram bot pointed at the fake Bot API. */
export function startTelegramGateway(fake: FakeBotApi, fields: Record<string, unknown> = {}, options: Omit<TestGatewayOptions, 'channels'> = {}): Promise<TestGateway> {
  return startTestGateway({
    ...options,
    channels: [{ id: CHANNEL_ID, kind: 'telegram', token: fake.token, secretToken: WEBHOOK_SECRET, apiRoot: fake.url, ...fields }],
  });
}

/** Stored inbound rows of the Telegram channel with this external id (0 = nothing stored). */
export async function storedCount(gateway: TestGateway, externalId: string): Promise<number> {
  const rows = await gateway.deps.db.selectFrom('messages').select('id').where('channel_id', '=', CHANNEL_ID).where('external_id', '=', externalId).execute();
  return rows.length;
}

export async function inboundExternalIds(gateway: TestGateway): Promise<string[]> {
  const rows = await gateway.deps.db.selectFrom('messages').select('external_id').where('channel_id', '=', CHANNEL_ID).where('direction', '=', 'inbound').orderBy('created_at').orderBy('external_id').execute();
  return rows.map((row) => row.external_id ?? '');
}

/** The conversation of a Telegram chat, once the inbound worker created it. */
export function conversationOfChat(gateway: TestGateway, token: string, chatId: number): Promise<{ id: string }> {
  return eventually(async () => {
    const list = await request(gateway.url, 'GET', `/api/conversations?channel=${CHANNEL_ID}&limit=100`, { token });
    const found = list.body.items.find((c: { contact: { identities: { externalId: string }[] } }) => c.contact.identities.some((i) => i.externalId === String(chatId)));
    return found as { id: string } | undefined;
  }, 15_000, `conversation of chat ${chatId}`);
}

/**
 * A question as the desk's survey asks it (the desk writes every text; the adapter only renders):
 * five scores, each with its caption and what the message says once it was picked.
 */
export function surveyMessage(choiceId: string, fields: Partial<OutboundMessage> = {}): OutboundMessage & { choice: OutboundChoice } {
  return {
    messageId: `m-${choiceId}`,
    text: 'How would you rate our help? Tap a score.',
    authorName: 'Acme Support',
    attachments: [],
    alreadySent: [],
    automatic: true,
    ...fields,
    choice: {
      id: choiceId,
      options: [1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: `${n} ${'★'.repeat(n)}`, answered: `Thanks — you rated ${n}/5` })),
    },
  };
}

/** Where a Telegram conversation is answered: its chat. */
export const chatAddress = (chatId: number, conversationId = 'conversation-under-test'): ConversationAddress => ({
  conversationId,
  threadKey: String(chatId),
  contactExternalId: String(chatId),
});
