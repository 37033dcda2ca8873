import { escalateConversation, getConversation } from '../store/conversations.js';
import type { InboxDeps } from './deps.js';

export interface Escalation {
  /** A code the inbox translates: `secret-exposed`, `triage`. */
  readonly reason: string;
  readonly labels: readonly string[];
  /** The desk feature deciding it (`desk.safety`). */
  readonly by: string;
}

/**
 * Makes a stored conversation an urgent case, for what the desk learns after ingest (a secret in
 * a file downloaded later). What it sees at the door it decides inside the ingest transaction
 * instead (`InboundMessage.escalation`). Returns whether it changed anything.
 */
export async function escalate(deps: InboxDeps, conversationId: string, escalation: Escalation): Promise<boolean> {
  const current = await getConversation(deps.db, conversationId);
  if (!current || current.escalation) return false;
  const note = { note: { type: 'escalated' as const, params: { by: escalation.by, reason: escalation.reason } }, text: `${escalation.by} escalated the conversation: ${escalation.reason}` };
  const batch = await escalateConversation(deps.db, { conversationId, channelId: current.channelId }, escalation, note, new Date());
  if (!batch) return false;
  await deps.dispatcher.dispatch([batch]);
  return true;
}
