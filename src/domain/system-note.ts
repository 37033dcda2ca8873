import { z } from 'zod';

const by = z.string().describe('Name of the agent (or feature) that made the change.');

/**
 * What a system line in a conversation records, as data: the inbox translates `type` and fills
 * in `params`, so a line reads in the agent's language rather than in the English of `text`
 * (which stays, for API clients and search). Desk features add their own types here.
 */
export const SystemNote = z.discriminatedUnion('type', [
  z.object({ type: z.literal('assigned'), params: z.object({ by, assignee: z.string() }) }),
  z.object({ type: z.literal('took'), params: z.object({ by }) }),
  z.object({ type: z.literal('unassigned'), params: z.object({ by }) }),
  z.object({ type: z.literal('snoozed'), params: z.object({ by, until: z.string().describe('ISO-8601 time it wakes up.') }) }),
  z.object({ type: z.literal('opened'), params: z.object({ by }) }),
  z.object({ type: z.literal('reopened'), params: z.object({ by }) }),
  z.object({ type: z.literal('pending'), params: z.object({ by }) }),
  z.object({ type: z.literal('resolved'), params: z.object({ by }) }),
  z.object({ type: z.literal('priority'), params: z.object({ by, priority: z.string() }) }),
  z.object({ type: z.literal('labels'), params: z.object({ by, labels: z.string().describe('Comma-separated.') }) }),
  z.object({ type: z.literal('labels-cleared'), params: z.object({ by }) }),
  /** The desk made it an urgent case after it was stored (a secret found in a file downloaded later). */
  z.object({
    type: z.literal('escalated'),
    params: z.object({
      by,
      reason: z.string().describe('Why, as a code: `secret-exposed`, `triage` (wallet safety); `complaint`, `security`, `refund`, `other` (an agent); `sla-breach`.'),
      assignee: z.string().optional().describe('Additive: the supervisor it went to.'),
      level: z.string().optional().describe('Additive: the escalation level now (1 = the team’s supervisor).'),
    }),
  }),
  /** Moved to a team's queue, or out of any. */
  z.object({ type: z.literal('team'), params: z.object({ by, team: z.string() }) }),
  z.object({ type: z.literal('team-cleared'), params: z.object({ by }) }),
  /** A service-level target ran out (`metric`: firstResponse, nextResponse, resolution). */
  z.object({ type: z.literal('sla-breached'), params: z.object({ by, metric: z.string(), policy: z.string() }) }),
  /** The customer answered a satisfaction survey (`via`: tap, text, link). */
  z.object({ type: z.literal('csat-rated'), params: z.object({ by, rating: z.string(), via: z.string() }) }),
  /** The customer added a comment to their rating. */
  z.object({ type: z.literal('csat-comment'), params: z.object({ by }) }),
  /** A low score reopened the conversation, for the team's supervisor (`assignee`) or flagged `low-rating`. */
  z.object({ type: z.literal('csat-low'), params: z.object({ by, rating: z.string(), assignee: z.string().optional() }) }),
  /** The FAQ bot answered with a help-center article (issue 16). */
  z.object({ type: z.literal('bot-answered'), params: z.object({ by, article: z.string().describe('The article’s title.') }) }),
  /** The customer confirmed the bot's answer solved it: resolved without a person. */
  z.object({ type: z.literal('bot-solved'), params: z.object({ by, article: z.string() }) }),
  /** The bot handed the conversation to the team (`reason`: asked, no-answer, urgent, taken-over, unsolved). */
  z.object({ type: z.literal('handed-off'), params: z.object({ by, reason: z.string() }) }),
  /** Issue 17: another contact became this one (`merge`: the merge's id, for its undo; `other`: its name then). */
  z.object({ type: z.literal('contact-merged'), params: z.object({ by, merge: z.string(), other: z.string() }) }),
  /** Issue 17: a merge was undone; `other` is the contact restored. */
  z.object({ type: z.literal('contact-unmerged'), params: z.object({ by, merge: z.string(), other: z.string() }) }),
  /** Issue 17: the customer linked this contact to the app's user id (a code, or the widget's signed session). */
  z.object({ type: z.literal('contact-linked'), params: z.object({ by, userId: z.string() }) }),
  /** Something the platform reported (blocked the bot, unsubscribed, a menu click); `text` has the platform's detail. */
  z.object({
    type: z.literal('channel-event'),
    params: z.object({ event: z.enum(['blocked', 'unblocked', 'subscribed', 'unsubscribed', 'menu', 'other']), detail: z.string().optional() }),
  }),
]);
export type SystemNote = z.infer<typeof SystemNote>;
export type SystemNoteType = SystemNote['type'];
