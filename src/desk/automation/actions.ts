import type { Agent } from '../../domain/agent.js';
import type { Conversation } from '../../domain/conversation.js';
import type { Message } from '../../domain/message.js';
import type { InboxDeps } from '../../inbox/deps.js';
import { InboxError } from '../../inbox/errors.js';
import { sendReply } from '../../inbox/send-reply.js';
import { type ConversationPatch, updateConversation } from '../../inbox/update-conversation.js';
import { getCanned, renderFacts } from '../../store/canned.js';
import type { Cause } from '../../store/outbox.js';
import { listTeams, setConversationTeam } from '../../store/teams.js';
import { customerLanguage } from '../customer-language.js';
import type { Lang } from '../language.js';
import { renderTemplate, templateValues } from '../canned/template.js';
import { enqueueDelivery } from '../webhooks/deliveries.js';
import { msOf } from '../settings-types.js';
import type { Action } from './rule.js';

/** The rule as the author of what it does: system lines read "Rule: Theft assigned the conversation to Ana". */
export const ruleActor = (rule: { id: string; name: string; createdAt: string }): Agent => ({
  id: `rule.${rule.id}`,
  email: '',
  name: `Rule: ${rule.name}`,
  role: 'agent',
  active: true,
  createdAt: rule.createdAt,
});

/** What one action would do to the conversation as it is, in English (the dry run and the run log). */
export function describeAction(action: Action, conversation: Conversation): { description: string; changes: boolean } {
  switch (action.type) {
    case 'assign':
      return { description: `assign to agent ${action.agentId}`, changes: conversation.assigneeId !== action.agentId };
    case 'unassign':
      return { description: 'unassign', changes: conversation.assigneeId !== null };
    case 'team':
      return { description: `move to team ${action.teamId}`, changes: conversation.teamId !== action.teamId };
    case 'addLabel':
      return { description: `add label ${action.label}`, changes: !conversation.labels.includes(action.label) };
    case 'removeLabel':
      return { description: `remove label ${action.label}`, changes: conversation.labels.includes(action.label) };
    case 'priority':
      return { description: `set priority ${action.priority}`, changes: conversation.priority !== action.priority };
    case 'reply':
      return { description: `reply with canned reply ${action.cannedId}`, changes: true };
    case 'note':
      return { description: action.cannedId ? `private note from canned reply ${action.cannedId}` : 'private note', changes: true };
    case 'webhook':
      return { description: `send to webhook ${action.endpointId}`, changes: true };
    case 'resolve':
      return { description: 'resolve', changes: conversation.status !== 'resolved' };
    case 'snooze':
      return { description: `snooze for ${action.duration}`, changes: conversation.status !== 'snoozed' };
  }
}

/** The event a rule runs on, as its actions need it. */
export interface Trigger {
  readonly eventId: string;
  readonly eventType: string;
  /** A machine's message (an auto-reply): never answered automatically (DESIGN §10). */
  readonly automated: boolean;
  readonly message?: Message | undefined;
}

export interface ActionContext {
  readonly deps: InboxDeps;
  readonly rule: { id: string; name: string; createdAt: string };
  readonly trigger: Trigger;
  readonly cause: Cause;
}

/** A canned reply filled in for the conversation, as the composer's canned replies are: the customer's language, their name. */
async function rendered(deps: InboxDeps, cannedId: string, conversationId: string, authorName: string): Promise<string> {
  const row = await getCanned(deps.db, cannedId);
  if (!row || row.owner_id !== null) throw new InboxError(400, 'validation', `cannedId: no shared canned reply ${cannedId}`);
  const facts = await renderFacts(deps.db, conversationId);
  if (!facts) throw new InboxError(404, 'not_found', 'conversation not found');
  const wanted: Lang = await customerLanguage(deps.db, conversationId, facts.subject);
  const lang: Lang = (wanted === 'zh' ? row.text_zh : row.text_en) !== null ? wanted : wanted === 'zh' ? 'en' : 'zh';
  const text = (lang === 'zh' ? row.text_zh : row.text_en) ?? '';
  return renderTemplate(text, templateValues({ contact: { name: facts.contactName, email: facts.contactEmail }, agent: { name: authorName } }), lang);
}

async function renderedText(deps: InboxDeps, template: string, conversationId: string, authorName: string): Promise<string> {
  const facts = await renderFacts(deps.db, conversationId);
  if (!facts) throw new InboxError(404, 'not_found', 'conversation not found');
  const lang = await customerLanguage(deps.db, conversationId, facts.subject);
  return renderTemplate(template, templateValues({ contact: { name: facts.contactName, email: facts.contactEmail }, agent: { name: authorName } }), lang);
}

/**
 * Runs one action through the inbox's use cases, so it leaves the system lines, events and
 * realtime updates a person's action does; its events carry the rules' chain. Each is idempotent:
 * a change already made is a no-op, a reply or note has an Idempotency-Key of the rule, the event
 * and the action's place, a webhook delivery a key of the rule and the event. Returns what the
 * run log shows for it.
 */
export async function runAction(ctx: ActionContext, action: Action, index: number, conversation: Conversation): Promise<string> {
  const { deps, rule, trigger, cause } = ctx;
  const actor = ruleActor(rule);
  const key = `rule.${rule.id}.${trigger.eventId}`;
  const patch = async (change: ConversationPatch): Promise<string> => {
    await updateConversation(deps, actor, conversation.id, change, cause);
    return action.type;
  };
  switch (action.type) {
    case 'assign':
      return conversation.assigneeId === action.agentId ? `${action.type} (already)` : patch({ assigneeId: action.agentId });
    case 'unassign':
      return conversation.assigneeId === null ? `${action.type} (already)` : patch({ assigneeId: null });
    case 'addLabel':
      return conversation.labels.includes(action.label) ? `${action.type} (already)` : patch({ labels: [...conversation.labels, action.label] });
    case 'removeLabel':
      return conversation.labels.includes(action.label) ? patch({ labels: conversation.labels.filter((l) => l !== action.label) }) : `${action.type} (already)`;
    case 'priority':
      return conversation.priority === action.priority ? `${action.type} (already)` : patch({ priority: action.priority });
    case 'resolve':
      return conversation.status === 'resolved' ? `${action.type} (already)` : patch({ status: 'resolved' });
    case 'snooze':
      return conversation.status === 'snoozed' ? `${action.type} (already)` : patch({ status: 'snoozed', snoozedUntil: new Date(Date.now() + msOf(action.duration)).toISOString() });
    case 'team': {
      const team = (await listTeams(deps.db)).find((t) => t.id === action.teamId);
      if (!team) throw new InboxError(400, 'validation', `teamId: no team ${action.teamId}`);
      if (conversation.teamId === team.id) return `${action.type} (already)`;
      const note = { note: { type: 'team' as const, params: { by: actor.name, team: team.name } }, text: `${actor.name} moved the conversation to the team ${team.name}` };
      const batch = await setConversationTeam(deps.db, { conversationId: conversation.id, channelId: conversation.channelId }, team.id, note, { id: actor.id, name: actor.name }, new Date(), cause);
      await deps.dispatcher.dispatch([batch]);
      return action.type;
    }
    case 'reply': {
      // Nothing automatic answers machine mail or a customer the channel cannot reach (DESIGN §10).
      if (trigger.automated) return `${action.type} (skipped: automated message)`;
      if (conversation.customerUnreachable) return `${action.type} (skipped: customer unreachable)`;
      const text = await rendered(deps, action.cannedId, conversation.id, actor.name);
      const { created } = await sendReply(deps, actor, conversation.id, { text, private: false, attachments: [] }, `${key}.${index}`, cause);
      return created ? action.type : `${action.type} (already)`;
    }
    case 'note': {
      const text = action.cannedId ? await rendered(deps, action.cannedId, conversation.id, actor.name) : await renderedText(deps, action.text ?? '', conversation.id, actor.name);
      const { created } = await sendReply(deps, actor, conversation.id, { text, private: true, attachments: [] }, `${key}.${index}`, cause);
      return created ? action.type : `${action.type} (already)`;
    }
    case 'webhook': {
      const payload = {
        rule: { id: rule.id, name: rule.name },
        event: { type: trigger.eventType, id: trigger.eventId },
        conversation,
        ...(trigger.message ? { message: trigger.message } : {}),
      };
      const result = await enqueueDelivery({ db: deps.db, queues: deps.queues }, { endpointId: action.endpointId, eventType: 'automation.rule', payload, key, conversationId: conversation.id });
      if (result.skipped) return `${action.type} (skipped: ${result.skipped})`;
      return result.created ? action.type : `${action.type} (already)`;
    }
  }
}
