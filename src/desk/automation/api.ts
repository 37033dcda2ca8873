import { z } from 'zod';
import { defineContract } from '../../api/route.js';
import { request, response } from '../../api/schemas.js';
import { Rule, RuleInput, RulePatch } from './rule.js';

/** Automation rules routes (issue 18), admins only. */

export const RuleList = response('AutomationRuleList', z.object({ items: z.array(Rule) }));

export const RuleOrder = request('AutomationRuleOrder', z.object({ ids: z.array(z.string().max(64)).min(1).max(500).describe('Rule ids in their new order of evaluation.') }).strict());

export const RuleTestInput = request(
  'AutomationRuleTest',
  z
    .object({
      rule: RuleInput,
      conversationId: z.string().min(1).max(64),
    })
    .strict(),
);

const Outcome = z.union([z.boolean(), z.literal('timeout')]);

export const RuleTestResult = response(
  'AutomationRuleTestResult',
  z.object({
    event: z.object({ type: z.string(), messageId: z.string().nullable().describe('message.created: the latest customer message it was tried on.') }),
    matched: z.boolean(),
    conditions: z.array(z.object({ index: z.number().int(), kind: z.string(), outcome: Outcome.describe('`timeout`: the pattern ran out of time (no match).') })),
    actions: z.array(z.object({ type: z.string(), description: z.string().describe('What it would do, in English.'), changes: z.boolean().describe('False when it would change nothing (the label is there already, …).') })),
    note: z.string().nullable().describe('Why nothing would run, when that is not a condition (no customer message, no rating).'),
  }),
);

export const Run = response(
  'AutomationRun',
  z.object({
    id: z.string(),
    ruleId: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    conversationId: z.string().nullable(),
    status: z.enum(['running', 'done', 'failed', 'skipped']),
    actionsDone: z.array(z.string()),
    error: z.string().nullable().describe('Failed: why (`unsafe_content: …`); skipped: `regex timed out`, `stopped: chain too long`.'),
    chain: z.array(z.string()).describe('The rules whose actions led to the event, oldest first.'),
    at: z.string(),
    finishedAt: z.string().nullable(),
  }),
);
export const RunList = response('AutomationRunList', z.object({ items: z.array(Run), nextCursor: z.string().nullable() }));

const id = z.object({ id: z.string().max(64) });
const errors = [400, 401, 403] as const;

export const automationRoutes = defineContract({
  listAutomationRules: {
    method: 'get',
    path: '/api/automation/rules',
    tags: ['automation'],
    summary: 'Automation rules, in their order of evaluation (admin)',
    description: 'Additive (issue 18).',
    auth: 'admin',
    response: { kind: 'json', status: 200, schema: RuleList, description: 'The rules.' },
    errors: [401, 403],
  },
  createAutomationRule: {
    method: 'post',
    path: '/api/automation/rules',
    tags: ['automation'],
    summary: 'Create an automation rule (admin)',
    description:
      'Additive (issue 18). It goes last in the order. 400 names the field: a pattern that does not compile or is longer than 500 characters, an agent that does not exist or is inactive, an unknown team, a canned reply that is not shared, a condition its event cannot have.',
    auth: 'admin',
    body: RuleInput,
    response: { kind: 'json', status: 201, schema: Rule, description: 'The rule.' },
    errors: [...errors, 413],
  },
  getAutomationRule: {
    method: 'get',
    path: '/api/automation/rules/:id',
    tags: ['automation'],
    summary: 'One automation rule (admin)',
    auth: 'admin',
    params: id,
    response: { kind: 'json', status: 200, schema: Rule, description: 'The rule.' },
    errors: [401, 403, 404],
  },
  updateAutomationRule: {
    method: 'patch',
    path: '/api/automation/rules/:id',
    tags: ['automation'],
    summary: 'Change an automation rule (admin)',
    description: 'Additive (issue 18). Fields left out stay; the result is checked as a whole, as when creating one.',
    auth: 'admin',
    params: id,
    body: RulePatch,
    response: { kind: 'json', status: 200, schema: Rule, description: 'The rule.' },
    errors: [...errors, 404, 413],
  },
  deleteAutomationRule: {
    method: 'delete',
    path: '/api/automation/rules/:id',
    tags: ['automation'],
    summary: 'Delete an automation rule (admin)',
    description: 'Additive (issue 18). Its runs stay in the log.',
    auth: 'admin',
    params: id,
    response: { kind: 'empty', description: 'Deleted.' },
    errors: [401, 403, 404],
  },
  reorderAutomationRules: {
    method: 'post',
    path: '/api/automation/rules/reorder',
    tags: ['automation'],
    summary: 'Set the order of evaluation (admin)',
    description: 'Additive (issue 18). Rules left out keep their order after the ones named.',
    auth: 'admin',
    body: RuleOrder,
    response: { kind: 'json', status: 200, schema: RuleList, description: 'The rules in their new order.' },
    errors: [...errors, 413],
  },
  testAutomationRule: {
    method: 'post',
    path: '/api/automation/rules/test',
    tags: ['automation'],
    summary: 'Dry run of a rule against a past conversation (admin)',
    description:
      'Additive (issue 18). Nothing changes: each condition’s outcome and the actions that would run, against the conversation as it is now (message.created: its latest customer message; csat.received: its rating).',
    auth: 'admin',
    body: RuleTestInput,
    response: { kind: 'json', status: 200, schema: RuleTestResult, description: 'The outcome.' },
    errors: [...errors, 404, 413],
  },
  listAutomationRuns: {
    method: 'get',
    path: '/api/automation/runs',
    tags: ['automation'],
    summary: 'The run log, newest first (admin)',
    description: 'Additive (issue 18). One line per rule and event it ran on (or was stopped on).',
    auth: 'admin',
    query: z.object({
      ruleId: z.string().max(64).optional(),
      conversationId: z.string().max(64).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      before: z.string().regex(/^\d{1,19}$/).optional().describe('The previous page’s `nextCursor`.'),
    }),
    response: { kind: 'json', status: 200, schema: RunList, description: 'A page of runs.' },
    errors,
  },
});
