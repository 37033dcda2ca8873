import type { OutboundMessage } from '../contract.js';
import { splitText } from './split-text.js';

/** A reply's text in parts of at most `limit` characters; none for a reply that is only files. */
export const textParts = (text: string, limit: number): string[] => (text.trim() === '' ? [] : splitText(text, limit));

/**
 * Split-and-resume sending (`OutboundMessage.alreadySent`): sends the parts an earlier attempt did
 * not deliver, in order, one platform call each (`sendOne` gets the part's index in the whole
 * reply and returns the platform id), and returns the ids delivered now. A failure goes through
 * `toChannelError` together with the ids delivered in this attempt, so the outbound worker records
 * them and the retry starts after them: no part reaches the customer twice, none is skipped.
 */
export async function sendParts<Part>(
  parts: readonly Part[],
  message: Pick<OutboundMessage, 'alreadySent'>,
  sendOne: (part: Part, index: number) => Promise<string>,
  toChannelError: (error: unknown, sentExternalIds: readonly string[]) => Error,
): Promise<string[]> {
  const sent: string[] = [];
  for (let index = message.alreadySent.length; index < parts.length; index += 1) {
    try {
      sent.push(await sendOne(parts[index] as Part, index));
    } catch (error) {
      throw toChannelError(error, sent);
    }
  }
  return sent;
}
