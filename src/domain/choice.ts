import { z } from 'zod';

/**
 * A question with a few tappable answers (a satisfaction survey, later the FAQ bot's "this solved
 * it / talk to a person"), as the desk asks it and as the customer's pick comes back. The desk
 * decides the options and their wording; a channel only presents them in its native form (DESIGN §3).
 */

/** What the customer picked: `value` of one option of the choice `id` (our id: short, no `|`). */
export const PickedChoice = z.object({
  id: z.string().regex(/^[0-9a-z]{1,32}$/),
  value: z.string().regex(/^[a-z0-9_-]{1,16}$/),
});
export type PickedChoice = z.infer<typeof PickedChoice>;

/**
 * How a pick travels through a platform that echoes an opaque string back (Telegram
 * `callback_data`, at most 64 bytes; Discord `custom_id`, at most 100; WeChat `menu id`):
 * `c|<choice id>|<value>`. Anything else is not ours and parses to undefined.
 */
export function choiceToken(choice: PickedChoice): string {
  return `c|${choice.id}|${choice.value}`;
}

export function parseChoiceToken(token: string): PickedChoice | undefined {
  const match = /^c\|([^|]+)\|([^|]+)$/.exec(token);
  if (!match) return undefined;
  const parsed = PickedChoice.safeParse({ id: match[1], value: match[2] });
  return parsed.success ? parsed.data : undefined;
}

/** A question's options as stored on its message and shown in the inbox. */
export const MessageChoice = z.object({
  id: z.string(),
  options: z.array(z.object({ value: z.string(), label: z.string() })).describe('The options the customer was offered (empty on the message that carries a pick).'),
  picked: z.string().nullable().describe('On an inbound message: the value the customer picked.'),
});
export type MessageChoice = z.infer<typeof MessageChoice>;
