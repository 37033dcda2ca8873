import { sendAutomatic } from '../../../src/inbox/send-automatic.js';
import type { TestGateway } from '../../support/gateway.js';
import { request } from '../../support/http.js';
import type { Visitor } from '../../support/visitor.js';

/**
 * Web chat has no platform of its own to fake: the widget API is ours. These put a question with
 * options into a visitor's conversation the way the desk does (an automatic message with a stored
 * choice, delivered by the outbound worker through `sendChoice`), and post a tap as widget.js does.
 */

export const SCORES = ['1', '2', '3', '4', '5'] as const;

/** Five score options as the desk writes them (labels and texts are the desk's, not the widget's). */
export const scoreOptions = () => SCORES.map((value) => ({ value, label: `${value} ★`, answered: `Thanks — you rated ${value}/5` }));

export async function askQuestion(gateway: TestGateway, conversationId: string, choiceId: string, text = 'How would you rate our help? Tap a score.', channelId = 'web'): Promise<void> {
  const outcome = await sendAutomatic(
    gateway.deps,
    { conversationId, channelId, feature: 'test-question', authorName: 'Acme Support', text, key: `question-${choiceId}`, choice: { id: choiceId, options: scoreOptions() } },
    false,
  );
  if (outcome !== 'queued') throw new Error(`the question was not queued: ${outcome}`);
}

/** A tap on an option, posted like the widget posts it: the label as text, the choice's id and value. */
export function postPick(visitor: Visitor, clientMessageId: string, choice: unknown, text = '') {
  return request(visitor.base, 'POST', `/widget/${visitor.channelId}/messages`, { token: visitor.token, body: { clientMessageId, text, choice } });
}

/** The conversation a visitor's thread is on (the first message opened it). */
export async function conversationOf(gateway: TestGateway, visitorId: string, channelId = 'web'): Promise<string | undefined> {
  const row = await gateway.deps.db.selectFrom('conversations').select('id').where('channel_id', '=', channelId).where('thread_key', '=', visitorId).executeTakeFirst();
  return row?.id;
}
