import type { Updateable } from 'kysely';
import { z } from 'zod';
import type { Agent } from '../agents/agents.js';
import { ConversationStatus, Label, Priority, type Conversation } from '../domain/conversation.js';
import type { SystemNote } from '../domain/system-note.js';
import { activeAgentName } from '../store/agents.js';
import { changeConversation, getConversation } from '../store/conversations.js';
import type { Cause } from '../store/outbox.js';
import type { ConversationsTable } from '../store/schema.js';
import type { NoteInput } from '../store/system-notes.js';
import { botHolds } from './bot-access.js';
import type { InboxDeps } from './deps.js';
import { InboxError } from './errors.js';

export const ConversationPatch = z
  .object({
    status: ConversationStatus.optional(),
    assigneeId: z.string().max(64).nullable().optional(),
    priority: Priority.optional(),
    labels: z.array(Label).max(20).optional(),
    /** With status `snoozed`: when it wakes up (default: tomorrow). */
    snoozedUntil: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .strict();
export type ConversationPatch = z.infer<typeof ConversationPatch>;

/**
 * Changes status, assignee, priority or labels, and records each change as a system event in the
 * conversation (visible to agents only) so the history shows who resolved or assigned what.
 * `cause`: an automation rule's action (its events carry the rules' chain, issue 18).
 */
export async function updateConversation(deps: InboxDeps, agent: Agent, id: string, patch: ConversationPatch, cause?: Cause): Promise<Conversation> {
  if (agent.role === 'bot') {
    // A bot may label, prioritise or resolve its conversation; who works on it is for people.
    if (patch.assigneeId !== undefined) throw new InboxError(403, 'forbidden', 'assigneeId: a bot cannot assign conversations (hand off instead)');
    await botHolds(deps, agent, id);
  }
  const current = await getConversation(deps.db, id);
  if (!current) throw new InboxError(404, 'not_found', 'conversation not found');
  const notes: NoteInput[] = [];
  const note = (system: SystemNote, text: string): void => void notes.push({ note: system, text });
  const by = agent.name;
  const now = new Date();
  const set: Updateable<ConversationsTable> = {};

  if (patch.assigneeId !== undefined && patch.assigneeId !== current.assigneeId) {
    if (patch.assigneeId === null) {
      note({ type: 'unassigned', params: { by } }, `${by} unassigned the conversation`);
    } else {
      const assignee = await activeAgentName(deps.db, patch.assigneeId);
      if (assignee === undefined) throw new InboxError(400, 'validation', 'assigneeId: no active agent with this id');
      if (patch.assigneeId === agent.id) note({ type: 'took', params: { by } }, `${by} took the conversation`);
      else note({ type: 'assigned', params: { by, assignee } }, `${by} assigned the conversation to ${assignee}`);
    }
    set.assignee_id = patch.assigneeId;
  }
  const snoozeUntil = (value: string | null | undefined): Date => {
    const until = value ? new Date(value) : new Date(now.getTime() + 86_400_000);
    if (until.getTime() <= now.getTime()) throw new InboxError(400, 'validation', 'snoozedUntil: must be in the future');
    note({ type: 'snoozed', params: { by, until: until.toISOString() } }, `${by} snoozed the conversation until ${until.toISOString()}`);
    return until;
  };
  const reschedule = patch.status === 'snoozed' && current.status === 'snoozed' && patch.snoozedUntil && patch.snoozedUntil !== current.snoozedUntil;
  if (reschedule) {
    set.snoozed_until = snoozeUntil(patch.snoozedUntil);
  } else if (patch.status && patch.status !== current.status) {
    set.status = patch.status;
    set.resolved_at = patch.status === 'resolved' ? now : null;
    if (patch.status === 'snoozed') {
      set.snoozed_until = snoozeUntil(patch.snoozedUntil);
    } else {
      set.snoozed_until = null;
      if (patch.status === 'open' && current.status === 'resolved') note({ type: 'reopened', params: { by } }, `${by} reopened the conversation`);
      else if (patch.status === 'open') note({ type: 'opened', params: { by } }, `${by} opened the conversation`);
      else if (patch.status === 'pending') note({ type: 'pending', params: { by } }, `${by} marked the conversation pending`);
      else note({ type: 'resolved', params: { by } }, `${by} resolved the conversation`);
    }
  }
  if (patch.priority && patch.priority !== current.priority) {
    set.priority = patch.priority;
    // An agent lowering an escalated case's priority has dealt with it; a new report escalates again.
    if (patch.priority !== 'urgent') set.escalation = null;
    note({ type: 'priority', params: { by, priority: patch.priority } }, `${by} set priority to ${patch.priority}`);
  }
  if (patch.labels) {
    const labels = [...new Set(patch.labels)];
    if (labels.join('\u0000') !== current.labels.join('\u0000')) {
      set.labels = labels;
      if (labels.length > 0) note({ type: 'labels', params: { by, labels: labels.join(', ') } }, `${by} set labels: ${labels.join(', ')}`);
      else note({ type: 'labels-cleared', params: { by } }, `${by} removed all labels`);
    }
  }
  if (Object.keys(set).length === 0) return current;

  const batch = await changeConversation(deps.db, { conversationId: id, channelId: current.channelId }, set, { id: agent.id, name: agent.name }, notes, now, cause);
  const updated = (await getConversation(deps.db, id))!;
  await deps.dispatcher.dispatch([batch], { conversations: [updated] });
  return updated;
}
