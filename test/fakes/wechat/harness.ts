import { startTestGateway, type TestGateway, type TestGatewayOptions } from '../../support/gateway.js';
import { eventually, request } from '../../support/http.js';
import type { FakeWechatApi } from './api.js';
import { FakeWechatPusher, type PushMode } from './pusher.js';

export const CHANNEL_ID = 'wx';
/** 服务器配置 values of the test account. */
export const TOKEN = 'switchboardToken42';
export const AES_KEY = 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR';
export const PREVIOUS_AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

/** A gateway with one Official Account pointed at the fake API (plain mode unless fields say otherwise). */
export function startWechatGateway(fake: FakeWechatApi, fields: Record<string, unknown> = {}, options: Omit<TestGatewayOptions, 'channels'> = {}): Promise<TestGateway> {
  return startTestGateway({
    ...options,
    channels: [{ id: CHANNEL_ID, kind: 'wechat', appId: fake.appId, appSecret: fake.appSecret, token: TOKEN, apiBase: fake.url, ...fields }],
  });
}

/** WeChat's push side aimed at this gateway's webhook. */
export function pusherFor(gateway: TestGateway, fake: FakeWechatApi, mode: PushMode = 'plain', encodingAESKey = AES_KEY): FakeWechatPusher {
  return new FakeWechatPusher({ url: `${gateway.url}/webhooks/${CHANNEL_ID}`, token: TOKEN, appId: fake.appId, mode, ...(mode === 'plain' ? {} : { encodingAESKey }) });
}

/** Stored rows of the channel with this external id (0 = nothing stored). */
export async function storedCount(gateway: TestGateway, externalId: string): Promise<number> {
  const rows = await gateway.deps.db.selectFrom('messages').select('id').where('channel_id', '=', CHANNEL_ID).where('external_id', '=', externalId).execute();
  return rows.length;
}

/** Waits until the message with this external id is stored. */
export function stored(gateway: TestGateway, externalId: string): Promise<true> {
  return eventually(async () => ((await storedCount(gateway, externalId)) === 1 ? true : undefined), 15_000, `message ${externalId} stored`);
}

export async function channelMessageCount(gateway: TestGateway): Promise<number> {
  const rows = await gateway.deps.db.selectFrom('messages').select('id').where('channel_id', '=', CHANNEL_ID).execute();
  return rows.length;
}

export interface ApiConversation {
  id: string;
  replyWindowEndsAt: string | null;
  lastMessageAt: string;
  status: string;
  customerUnreachable: { reason: string; since: string } | null;
  contact: { identities: { externalId: string }[] };
}

export interface ApiMessage {
  id: string;
  text: string;
  status: string;
  private: boolean;
  externalId: string | null;
  createdAt: string;
  author: { type: string };
  error?: { code: string; message: string; retryable: boolean };
  attachments: { id: string; kind: string; name?: string; mimeType?: string; size?: number; url: string; pending?: boolean; error?: string }[];
}

/** The conversation of an OpenID, once the inbound worker created it. */
export function conversationOf(gateway: TestGateway, token: string, openId: string): Promise<ApiConversation> {
  return eventually(async () => {
    const list = await request<{ items: ApiConversation[] }>(gateway.url, 'GET', `/api/conversations?channel=${CHANNEL_ID}&limit=100`, { token });
    return list.body.items.find((c) => c.contact.identities.some((i) => i.externalId === openId));
  }, 15_000, `conversation of ${openId}`);
}

export async function messagesOf(gateway: TestGateway, token: string, conversationId: string): Promise<ApiMessage[]> {
  const response = await request<{ items: ApiMessage[] }>(gateway.url, 'GET', `/api/conversations/${conversationId}/messages?limit=200`, { token });
  return response.body.items;
}
