import { ApiError } from './api.js';
import { deskName, escalationReasonText, type Translate } from './i18n.js';
import type { Agent, Conversation, Escalation } from './types.js';
import { errorText } from './util.js';

/**
 * Escalations as the inbox shows them. Two kinds share `Conversation.escalation`: wallet safety's
 * urgent cases (a theft report, an exposed secret), which reach no one in particular, and
 * escalations to a supervisor — by an agent, or by the desk when a service level was missed —
 * which carry `assignedTo` and a level (src/desk/teams/escalation.ts).
 */

/** Wallet safety's urgent case: nobody in particular was given it. */
export function isUrgentCase(escalation: Escalation): boolean {
  return !escalation.assignedTo;
}

/** An agent's name from the agents list; an id the list does not know (yet) as such. */
export function agentName(id: string, agents: readonly Agent[], t: Translate): string {
  return agents.find((agent) => agent.id === id)?.name ?? t('teams.unknownAgent', { id });
}

/** "to Sue Park by Ana: a complaint" — whom it went to, who (or which desk feature) sent it, and why. */
export function escalationDetail(escalation: Escalation, agents: readonly Agent[], t: Translate): string {
  return t('escalation.detail', {
    assignee: escalation.assignedTo ? agentName(escalation.assignedTo, agents, t) : t('common.none'),
    name: deskName(escalation.by, t),
    reason: escalationReasonText(escalation.reason, t),
  });
}

/**
 * Why an escalation was refused, in the agent's words: nobody above (with no team at all, the fix
 * is to give it one), or someone else escalated it first; anything else as any API error.
 */
export function escalateErrorText(error: unknown, conversation: Pick<Conversation, 'teamId'>, t: Translate): string {
  if (error instanceof ApiError && error.code === 'no_supervisor') return conversation.teamId === null ? t('escalate.noTeam') : t('escalate.noSupervisor');
  if (error instanceof ApiError && error.status === 409) return t('escalate.meanwhile');
  return errorText(error, t);
}
