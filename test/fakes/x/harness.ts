import { startTestGateway, type TestGateway, type TestGatewayOptions } from '../../support/gateway.js';
import { eventually, request } from '../../support/http.js';
import { CONSUMER, type FakeXApi } from './api.js';

export const CHANNEL_ID = 'xdm';

/** The channel entry of one X account pointed at the fake (polling tuned to test speed by `fields`). */
export function xChannel(fake: FakeXApi, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: CHANNEL_ID, kind: 'x', ...CONSUMER, userId: fake.me.id, mode: 'webhook', apiBase: fake.url, uploadBase: fake.url, caFile: fake.caFile, ...fields };
}

/** A gateway with one X channel pointed at the fake X API. */
export function startXGateway(fake: FakeXApi, fields: Record<string, unknown> = {}, options: Omit<TestGatewayOptions, 'channels'> = {}): Promise<TestGateway> {
  return startTestGateway({ ...options, channels: [xChannel(fake, fields)] });
}

export const webhookUrl = (gateway: TestGateway): string => `${gateway.url}/webhooks/${CHANNEL_ID}`;

export async function inboundExternalIds(gateway: TestGateway): Promise<string[]> {
  const rows = await gateway.deps.db.selectFrom('messages').select('external_id').where('channel_id', '=', CHANNEL_ID).where('direction', '=', 'inbound').orderBy('created_at').orderBy('external_id').execute();
  return rows.map((row) => row.external_id ?? '');
}

/** The conversation of a customer (by X user id), once the inbound worker created it. */
export function conversationOf(gateway: TestGateway, token: string, userId: string): Promise<{ id: string; contact: { name: string; identities: { externalId: string; handle?: string }[] } }> {
  return eventually(async () => {
    const list = await request(gateway.url, 'GET', `/api/conversations?channel=${CHANNEL_ID}&limit=100`, { token });
    return list.body.items.find((c: { contact: { identities: { externalId: string }[] } }) => c.contact.identities.some((i) => i.externalId === userId));
  }, 15_000, `conversation of X user ${userId}`);
}

const SCORES = ['1', '2', '3', '4', '5'];

/**
 * X DMs have no quick replies in API v2, so a question arrives as text that spells its options out:
 * one line per score ("1 ★" … "5 ★★★★★"), a list ("1, 2, 3, 4, 5", or 5 down to 1) or a range
 * ("Reply with a number from 1 to 5", "请回复数字 1 到 5"). Those are the shapes recognised here; "you rated 4/5" is none of them.
 */
export function spelledScores(text: string): string[] | undefined {
  const lineStarts = new Set(text.split('\n').flatMap((line) => /^\s*[([]?([1-5])(?![0-9])/.exec(line)?.[1] ?? []));
  if (SCORES.every((score) => lineStarts.has(score))) return [...SCORES];
  const numbers = [...text.matchAll(/(?<![0-9])[0-9]+(?![0-9])/g)].map((match) => match[0]);
  const runs = [SCORES, [...SCORES].reverse()];
  if (numbers.some((_, i) => runs.some((run) => run.every((score, k) => numbers[i + k] === score)))) return [...SCORES];
  if (/(?<![0-9])1\s*(?:–|—|-|~|～|…|\.\.|to|到|至)\s*5(?![0-9])/.test(text)) return [...SCORES];
  return undefined;
}
