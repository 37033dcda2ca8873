import { z } from 'zod';
import { ConversationStatus, Label, Priority } from '../../domain/conversation.js';
import { request, response } from '../../api/schemas.js';
import { DurationText } from '../settings-types.js';
import { parseTemplate } from '../canned/template.js';

/**
 * Automation rules (issue 18): an event, conditions that must all hold (an `any` group holds
 * when one of its conditions does) and actions run in order. Pure schemas: the API validates a
 * rule with them (a 400 names the field) and the worker reads stored rules with them.
 */

export const RULE_EVENTS = ['message.created', 'conversation.created', 'conversation.updated', 'conversation.sla_breached', 'csat.received'] as const;
export const RuleEvent = z.enum(RULE_EVENTS);
export type RuleEvent = z.infer<typeof RuleEvent>;

/** Longest pattern a rule may hold; a longer one is refused when saved. */
export const MAX_PATTERN = 500;
const id = z.string().trim().min(1).max(64);
const words = z.array(z.string().trim().min(1).max(100)).min(1).max(50);

const leaves = [
  z.object({ kind: z.literal('channel'), in: z.array(z.string().trim().min(1).max(64)).min(1).max(50).describe('Channel ids or kinds (webchat, email, …).') }).strict(),
  z.object({ kind: z.literal('textContains'), words: words.describe('Any of them, ignoring case.') }).strict(),
  z
    .object({
      kind: z.literal('textMatches'),
      pattern: z.string().min(1).max(MAX_PATTERN, `at most ${MAX_PATTERN} characters`),
      ignoreCase: z.boolean().default(true),
    })
    .strict()
    .superRefine((value, ctx) => {
      try {
        new RegExp(value.pattern, value.ignoreCase ? 'iu' : 'u');
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['pattern'], message: `does not compile: ${(error as Error).message}` });
      }
    }),
  z.object({ kind: z.literal('priority'), in: z.array(Priority).min(1) }).strict(),
  z.object({ kind: z.literal('status'), in: z.array(ConversationStatus).min(1) }).strict(),
  z.object({ kind: z.literal('label'), op: z.enum(['has', 'hasNot']), label: Label }).strict(),
  z.object({ kind: z.literal('businessHours'), when: z.enum(['inside', 'outside']).describe("The desk's business hours (`desk:` timezone, businessHours, holidays).") }).strict(),
  z
    .object({
      kind: z.literal('contact'),
      field: z.enum(['email', 'name']),
      op: z.enum(['equals', 'contains', 'endsWith', 'present', 'absent']),
      value: z.string().trim().min(1).max(200).optional(),
    })
    .strict()
    .refine((c) => c.op === 'present' || c.op === 'absent' || c.value !== undefined, { message: 'required for this op', path: ['value'] }),
  z.object({ kind: z.literal('identified'), value: z.boolean().describe('The contact carries the app’s verified user id.') }).strict(),
  z.object({ kind: z.literal('identities'), min: z.number().int().min(0).max(100).default(0), max: z.number().int().min(0).max(100).optional() }).strict(),
  z.object({ kind: z.literal('author'), in: z.array(z.enum(['customer', 'agent', 'note'])).min(1).describe('message.created: who wrote it (`note`: an agent’s private note).') }).strict(),
  z.object({ kind: z.literal('rating'), op: z.enum(['lte', 'gte']), value: z.number().int().min(1).max(5) }).strict(),
] as const;

export const LeafCondition = z.discriminatedUnion('kind', leaves);
export type LeafCondition = z.infer<typeof LeafCondition>;
export const Condition = z.discriminatedUnion('kind', [...leaves, z.object({ kind: z.literal('any'), conditions: z.array(LeafCondition).min(1).max(20) }).strict()]);
export type Condition = z.infer<typeof Condition>;

const template = z
  .string()
  .trim()
  .min(1)
  .max(4000)
  .superRefine((text, ctx) => {
    const parsed = parseTemplate(text);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: `template: ${parsed.problem.kind}` });
  });

export const Action = z.discriminatedUnion('type', [
  z.object({ type: z.literal('assign'), agentId: id }).strict(),
  z.object({ type: z.literal('unassign') }).strict(),
  z.object({ type: z.literal('team'), teamId: id }).strict(),
  z.object({ type: z.literal('addLabel'), label: Label }).strict(),
  z.object({ type: z.literal('removeLabel'), label: Label }).strict(),
  z.object({ type: z.literal('priority'), priority: Priority }).strict(),
  z.object({ type: z.literal('reply'), cannedId: id.describe('A shared canned reply, filled in for the conversation and sent as a public reply.') }).strict(),
  z
    .object({ type: z.literal('note'), cannedId: id.optional(), text: template.optional().describe('A template with the canned replies’ variables.') })
    .strict()
    .refine((a) => (a.cannedId === undefined) !== (a.text === undefined), { message: 'exactly one of cannedId, text', path: ['text'] }),
  z.object({ type: z.literal('webhook'), endpointId: id }).strict(),
  z.object({ type: z.literal('resolve') }).strict(),
  z.object({ type: z.literal('snooze'), duration: DurationText.describe('90s, 15m, 4h, 2d') }).strict(),
]);
export type Action = z.infer<typeof Action>;

/** Conditions that need a message, or a rating: only the events that carry one. */
const NEEDS: Partial<Record<Condition['kind'], RuleEvent>> = { textContains: 'message.created', textMatches: 'message.created', author: 'message.created', rating: 'csat.received' };

export const RuleInput = request(
  'AutomationRuleInput',
  z
    .object({
      name: z.string().trim().min(1).max(100),
      enabled: z.boolean().default(true),
      event: RuleEvent,
      conditions: z.array(Condition).max(20).default([]),
      actions: z.array(Action).min(1).max(20),
    })
    .strict()
    .superRefine((rule, ctx) => {
      rule.conditions.forEach((condition, index) => {
        const inner = condition.kind === 'any' ? condition.conditions.map((c, i) => ({ c, path: ['conditions', index, 'conditions', i, 'kind'] })) : [{ c: condition, path: ['conditions', index, 'kind'] }];
        for (const { c, path } of inner) {
          const needs = NEEDS[c.kind];
          if (needs && needs !== rule.event) ctx.addIssue({ code: 'custom', path, message: `${c.kind} applies only to ${needs} rules` });
        }
      });
    }),
);
export type RuleInput = z.output<typeof RuleInput>;

/** An edit: any of the fields; what is left out stays. */
export const RulePatch = request(
  'AutomationRulePatch',
  z
    .object({
      name: z.string().trim().min(1).max(100).optional(),
      enabled: z.boolean().optional(),
      event: RuleEvent.optional(),
      conditions: z.array(Condition).max(20).optional(),
      actions: z.array(Action).min(1).max(20).optional(),
    })
    .strict(),
);

export const Rule = response(
  'AutomationRule',
  z.object({
    id: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    event: RuleEvent,
    conditions: z.array(Condition),
    actions: z.array(Action),
    position: z.number().int().describe('Order of evaluation: lower first.'),
    createdAt: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  }),
);
export type Rule = z.output<typeof Rule>;
