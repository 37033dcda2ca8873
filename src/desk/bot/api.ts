import { z } from 'zod';
import { defineContract } from '../../api/route.js';
import { response } from '../../api/schemas.js';
import { Conversation } from '../../domain/conversation.js';

/** The FAQ bot's routes (issue 16): an agent taking a conversation over, and what the bot deflected. */

export const SelfServiceReport = response(
  'SelfServiceReport',
  z.object({
    from: z.string(),
    to: z.string(),
    answered: z.number().int().describe('Customer questions the bot answered with an article.'),
    solved: z.number().int().describe('Answers the customer confirmed solved it ("This solved it"): resolved without a person.'),
    handedOff: z.number().int().describe('Answers followed by a handoff to the team.'),
    unsettled: z.number().int().describe('Answers the customer neither confirmed nor escaped from.'),
    deflectionRate: z.number().nullable().describe('solved / answered; null when the bot answered nothing in the period.'),
    handoffs: z.record(z.string(), z.number().int()).describe('Conversations handed to the team in the period, by reason (asked, no-answer, urgent, taken-over, unsolved).'),
    articles: z.array(z.object({ articleId: z.string(), title: z.string(), answered: z.number().int(), solved: z.number().int() })).describe('The articles that answered most.'),
  }),
);

export const ReportQuery = z
  .object({
    from: z.iso.datetime({ offset: true }).optional().describe('Start (inclusive); default 7 days before `to`.'),
    to: z.iso.datetime({ offset: true }).optional().describe('End (exclusive); default now.'),
  })
  .strict();

export const botRoutes = defineContract({
  takeOverConversation: {
    method: 'post',
    path: '/api/conversations/:id/handoff',
    tags: ['self-service'],
    summary: 'Take a conversation over from the FAQ bot',
    description:
      'Additive (issue 16). The bot stops answering it for good (`handledBy: agent`, `handoff.reason: taken-over`); its service-level clocks start and routing assigns it. 409 when the bot does not hold it.',
    auth: 'agent',
    params: z.object({ id: z.string().max(64) }),
    response: { kind: 'json', status: 200, schema: Conversation, description: 'The conversation, now the team’s.' },
    errors: [401, 404, 409],
  },
  selfServiceReport: {
    method: 'get',
    path: '/api/reports/self-service',
    tags: ['reports'],
    summary: "The FAQ bot's deflection rate",
    description: 'Additive (issue 16). Answers the bot gave in the period and what the customers did with them.',
    auth: 'agent',
    query: ReportQuery,
    response: { kind: 'json', status: 200, schema: SelfServiceReport, description: 'The counts.' },
    errors: [400, 401],
  },
});
