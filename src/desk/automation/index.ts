import { z } from 'zod';
import { ApiError } from '../../api/errors.js';
import type { Implementation } from '../../api/handler.js';
import type { Agent } from '../../domain/agent.js';
import type { Conversation } from '../../domain/conversation.js';
import type { DispatchedEvent } from '../../domain/events.js';
import { newId } from '../../domain/ids.js';
import type { Message } from '../../domain/message.js';
import { InboxError } from '../../inbox/errors.js';
import { activeAgentName } from '../../store/agents.js';
import { recordAudit } from '../../store/audit.js';
import {
  claimRun,
  deleteRule,
  finishRun,
  getRule,
  insertRule,
  listRules,
  listRuns,
  noteActions,
  recordSkipped,
  releaseRun,
  reorderRules,
  type RuleRow,
  type RunKey,
  type RunRow,
  updateRule,
} from '../../store/automation.js';
import { getCanned } from '../../store/canned.js';
import { getConversation } from '../../store/conversations.js';
import { customerTexts, getMessage } from '../../store/messages.js';
import { listTeams } from '../../store/teams.js';
import { getEndpoint } from '../../store/webhooks.js';
import { agentActor } from '../audit/index.js';
import { defineDeskFeature } from '../feature.js';
import { serviceLevels } from '../sla/index.js';
import { calendarOf } from '../sla/policy.js';
import { describeAction, runAction } from './actions.js';
import { automationRoutes } from './api.js';
import { evaluate, type Facts } from './conditions.js';
import { createRegexRunner } from './regex.js';
import { Action, Condition, type Rule, RuleEvent, RuleInput } from './rule.js';

/** How long a process trusts its copy of the enabled rules (an edit here refreshes it at once). */
const RULES_TTL_MS = 5_000;
/** Events caused by this many rules in a row go no further: a chain of rules is stopped, and logged. */
export const MAX_CHAIN = 5;

interface LiveRule {
  readonly id: string;
  readonly name: string;
  readonly event: RuleEvent;
  readonly conditions: readonly Condition[];
  readonly actions: readonly Action[];
  readonly createdAt: string;
}

const Conditions = z.array(Condition);
const Actions = z.array(Action);

const ruleView = (row: RuleRow): Rule => ({
  id: row.id,
  name: row.name,
  enabled: row.enabled,
  event: RuleEvent.parse(row.event),
  conditions: Conditions.parse(row.conditions),
  actions: Actions.parse(row.actions),
  position: row.position,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  updatedBy: row.updated_by,
});

const runView = (row: RunRow) => ({
  id: String(row.id),
  ruleId: row.rule_id,
  eventId: row.event_id,
  eventType: row.event_type,
  conversationId: row.conversation_id,
  status: row.status,
  actionsDone: row.actions_done,
  error: row.error,
  chain: row.chain,
  at: row.at.toISOString(),
  finishedAt: row.finished_at?.toISOString() ?? null,
});

/** The events rules listen to, as the desk worker gets them: messages only from a customer or an agent. */
const ruleEventOf = (event: DispatchedEvent): RuleEvent | undefined => {
  if (event.type === 'message.created') return event.author === 'contact' || event.author === 'agent' ? 'message.created' : undefined;
  // Only its service-level clocks moved: nothing a rule decides on.
  if (event.type === 'conversation.updated' && event.only === 'sla') return undefined;
  return (RuleEvent.options as readonly string[]).includes(event.type) ? (event.type as RuleEvent) : undefined;
};

/** An error the rule cannot get past by trying again (a refusal, a missing agent): the run failed. */
const isFinal = (error: unknown): error is InboxError | ApiError => (error instanceof InboxError || error instanceof ApiError) && error.status < 500;

/**
 * Automation rules (issue 18): when an event happens (a message, a new or changed conversation, a
 * breached target, a rating) and a rule's conditions hold, its actions run in order through the
 * inbox's use cases, authored "Rule: <name>". They run in the desk-events worker, never in the
 * ingest; each rule runs once per event (a claimed row in `automation_runs`), however many
 * workers and redeliveries see it. Loops cannot happen: an event names the rules whose actions
 * caused it (`chain`), a rule never runs on an event naming it, and a chain of MAX_CHAIN rules
 * goes no further.
 */
export const automation = defineDeskFeature({
  name: 'automation',
  settings: z.object({}),
  contract: automationRoutes,
  create(context) {
    const db = () => context.inbox().db;
    const regex = createRegexRunner(50);
    const log = context.logger.child({ feature: 'automation' });

    let cached: { at: number; rules: LiveRule[] } | undefined;
    const enabledRules = async (): Promise<LiveRule[]> => {
      if (cached && Date.now() - cached.at <= RULES_TTL_MS) return cached.rules;
      const rules: LiveRule[] = [];
      for (const row of await listRules(db(), true)) {
        try {
          const rule = ruleView(row);
          rules.push({ id: rule.id, name: rule.name, event: rule.event, conditions: rule.conditions, actions: rule.actions, createdAt: rule.createdAt });
        } catch (error) {
          // Saved by a version whose rules no longer parse: it stays off rather than half-run.
          log.error({ err: error, rule: row.id }, 'stored automation rule no longer valid; skipped');
        }
      }
      cached = { at: Date.now(), rules };
      return rules;
    };
    const forget = (): void => {
      cached = undefined;
    };

    const businessHoursAt = (at: Date): boolean => {
      try {
        return calendarOf(context.settingsOf(serviceLevels)).isOpen(at);
      } catch {
        return false;
      }
    };

    /** References a rule's actions make must exist when it is saved (400 naming the action's field). */
    const checkReferences = async (input: RuleInput): Promise<void> => {
      let teams: Set<string> | undefined;
      for (const [index, action] of input.actions.entries()) {
        const at = `actions.${index}`;
        if (action.type === 'assign' && (await activeAgentName(db(), action.agentId)) === undefined) throw new ApiError(400, 'validation', `${at}.agentId: no active agent ${action.agentId}`);
        if (action.type === 'team') {
          teams ??= new Set((await listTeams(db())).map((t) => t.id));
          if (!teams.has(action.teamId)) throw new ApiError(400, 'validation', `${at}.teamId: no team ${action.teamId}`);
        }
        if ((action.type === 'reply' || action.type === 'note') && action.cannedId !== undefined) {
          const row = await getCanned(db(), action.cannedId);
          if (!row || row.owner_id !== null) throw new ApiError(400, 'validation', `${at}.cannedId: no shared canned reply ${action.cannedId}`);
        }
        if (action.type === 'webhook' && !(await getEndpoint(db(), action.endpointId))) throw new ApiError(400, 'validation', `${at}.endpointId: no webhook endpoint ${action.endpointId}`);
      }
    };

    const parsedInput = (value: unknown): RuleInput => {
      const result = RuleInput.safeParse(value);
      if (result.success) return result.data;
      const issue = result.error.issues[0]!;
      throw new ApiError(400, 'validation', `${issue.path.join('.') || 'body'}: ${issue.message}`);
    };

    const audit = (agent: Agent, action: string, id: string, details: Record<string, unknown> = {}) =>
      recordAudit(db(), { actor: agentActor(agent), action, target: { type: 'automation-rule', id }, details });

    /** One rule on one event: evaluate, claim, act, log. Throws only what the job should retry for. */
    const runRule = async (rule: LiveRule, event: DispatchedEvent, ruleEvent: RuleEvent, conversation: Conversation, message: Message | undefined): Promise<boolean> => {
      const chain = event.chain ?? [];
      const facts: Facts = {
        conversation,
        message,
        rating: event.type === 'csat.received' ? event.rating : undefined,
        businessHours: businessHoursAt(message ? new Date(message.createdAt) : new Date()),
      };
      const evaluation = evaluate(rule.conditions, facts, regex);
      const key: RunKey = { ruleId: rule.id, eventId: event.id, eventType: ruleEvent, conversationId: conversation.id, chain };
      if (!evaluation.matched) {
        if (evaluation.timedOut) {
          log.warn({ rule: rule.id, event: event.id }, 'automation rule pattern timed out');
          await recordSkipped(db(), key, 'regex timed out');
        }
        return false;
      }
      if (chain.length >= MAX_CHAIN) {
        log.warn({ rule: rule.id, event: event.id, chain }, 'automation chain too long; stopped');
        await recordSkipped(db(), key, 'stopped: chain too long');
        return false;
      }
      if (!(await claimRun(db(), key))) return false;
      const done: string[] = [];
      const cause = { chain: [...chain, rule.id] };
      const trigger = { eventId: event.id, eventType: ruleEvent, automated: event.type === 'message.created' && event.automated === true, message };
      let current = conversation;
      try {
        for (const [index, action] of rule.actions.entries()) {
          done.push(await runAction({ deps: context.inbox(), rule, trigger, cause }, action, index, current));
          await noteActions(db(), key, done);
          current = (await getConversation(db(), conversation.id)) ?? current;
        }
      } catch (error) {
        if (isFinal(error)) {
          log.info({ rule: rule.id, event: event.id, code: error.code }, 'automation rule failed');
          await finishRun(db(), key, 'failed', done, `${error.code}: ${error.message}`);
          return done.length > 0;
        }
        await releaseRun(db(), key, done, (error as Error).message ?? 'error').catch(() => undefined);
        throw error;
      }
      await finishRun(db(), key, 'done', done, null);
      return true;
    };

    const api: Implementation<typeof automationRoutes> = {
      contract: automationRoutes,
      json: { limit: '64kb', beforeAuth: false },
      handlers: {
        listAutomationRules: async () => ({ items: (await listRules(db())).map(ruleView) }),
        async getAutomationRule({ params }) {
          const row = await getRule(db(), params.id);
          if (!row) throw new ApiError(404, 'not_found', 'rule not found');
          return ruleView(row);
        },
        async createAutomationRule({ body, agent }) {
          await checkReferences(body);
          const row = await insertRule(db(), newId('rule'), { ...body, updatedBy: agent.name });
          await audit(agent, 'automation.rule.create', row.id, { name: row.name, event: row.event });
          forget();
          return ruleView(row);
        },
        async updateAutomationRule({ params, body, agent }) {
          const existing = await getRule(db(), params.id);
          if (!existing) throw new ApiError(404, 'not_found', 'rule not found');
          const before = ruleView(existing);
          const next = parsedInput({ name: before.name, enabled: before.enabled, event: before.event, conditions: before.conditions, actions: before.actions, ...body });
          await checkReferences(next);
          const row = await updateRule(db(), params.id, { ...next, updatedBy: agent.name });
          if (!row) throw new ApiError(404, 'not_found', 'rule not found');
          await audit(agent, 'automation.rule.update', row.id, { keys: Object.keys(body).sort() });
          forget();
          return ruleView(row);
        },
        async deleteAutomationRule({ params, agent }) {
          if (!(await deleteRule(db(), params.id))) throw new ApiError(404, 'not_found', 'rule not found');
          await audit(agent, 'automation.rule.delete', params.id);
          forget();
        },
        async reorderAutomationRules({ body, agent }) {
          await reorderRules(db(), body.ids, agent.name);
          await audit(agent, 'automation.rule.reorder', 'order', { count: body.ids.length });
          forget();
          return { items: (await listRules(db())).map(ruleView) };
        },
        async testAutomationRule({ body }) {
          // Reads only: no run row, no audit row, no change.
          const { rule, conversationId } = body;
          await checkReferences(rule);
          const conversation = await getConversation(db(), conversationId);
          if (!conversation) throw new ApiError(404, 'not_found', 'conversation not found');
          let message: Message | undefined;
          let note: string | null = null;
          if (rule.event === 'message.created') {
            const latest = (await customerTexts(db(), conversationId, 1))?.[0];
            message = latest ? await getMessage(db(), latest.id) : undefined;
            if (!message) note = 'the conversation has no customer message';
          }
          const rating = conversation.csat?.rating;
          if (rule.event === 'csat.received' && rating === undefined) note = 'the conversation has no rating';
          const evaluation = evaluate(rule.conditions, { conversation, message, rating, businessHours: businessHoursAt(message ? new Date(message.createdAt) : new Date()) }, regex, true);
          const matched = evaluation.matched && note === null;
          return {
            event: { type: rule.event, messageId: message?.id ?? null },
            matched,
            conditions: rule.conditions.map((condition, index) => ({ index, kind: condition.kind, outcome: evaluation.outcomes[index] ?? false })),
            actions: matched ? rule.actions.map((action) => ({ type: action.type, ...describeAction(action, conversation) })) : [],
            note,
          };
        },
        async listAutomationRuns({ query }) {
          const rows = await listRuns(db(), { ruleId: query.ruleId, conversationId: query.conversationId, limit: query.limit + 1, before: query.before });
          const page = rows.slice(0, query.limit);
          return { items: page.map(runView), nextCursor: rows.length > query.limit ? String(page[page.length - 1]!.id) : null };
        },
      },
    };

    return {
      api: { contract: automationRoutes, mount: (mounter) => mounter(api) },
      async onEvents(batches, view) {
        const events = batches.flatMap((b) => b.events).flatMap((event) => {
          const type = ruleEventOf(event);
          return type ? [{ event, type }] : [];
        });
        if (events.length === 0) return;
        const rules = await enabledRules();
        if (rules.length === 0) return;
        // What a rule changed is what the next rule sees.
        const fresh = new Map<string, Conversation>();
        for (const { event, type } of events) {
          const listening = rules.filter((r) => r.event === type && !(event.chain ?? []).includes(r.id));
          for (const rule of listening) {
            const conversation = fresh.get(event.conversationId) ?? view.conversation(event.conversationId);
            if (!conversation) continue;
            const message = event.type === 'message.created' ? view.message(event.messageId) : undefined;
            if (event.type === 'message.created' && !message) continue;
            if (await runRule(rule, event, type, conversation, message)) {
              const updated = await getConversation(db(), conversation.id);
              if (updated) fresh.set(updated.id, updated);
            }
          }
        }
      },
    };
  },
});
