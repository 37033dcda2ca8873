import { z } from 'zod';
import { ConversationStatus, Label, Priority, type Conversation } from '../domain/conversation.js';
import { newId } from '../domain/ids.js';
import { getConversation } from '../store/conversations.js';
import { getMessage } from '../store/messages.js';
import type { Agent } from './agents.js';
import { announce, type InboxDeps } from './deps.js';
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
 */
export async function updateConversation(deps: InboxDeps, agent: Agent, id: string, patch: ConversationPatch): Promise<Conversation> {
  const current = await getConversation(deps.db, id);
  if (!current) throw new InboxError(404, 'not_found', 'conversation not found');
  const notes: string[] = [];
  const now = new Date();
  const set: Record<string, unknown> = {};

  if (patch.assigneeId !== undefined && patch.assigneeId !== current.assigneeId) {
    if (patch.assigneeId === null) {
      notes.push(`${agent.name} unassigned the conversation`);
    } else {
      const assignee = await deps.db.selectFrom('agents').select(['id', 'name', 'active']).where('id', '=', patch.assigneeId).executeTakeFirst();
      if (!assignee || !assignee.active) throw new InboxError(400, 'validation', 'assigneeId: no active agent with this id');
      notes.push(assignee.id === agent.id ? `${agent.name} took the conversation` : `${agent.name} assigned the conversation to ${assignee.name}`);
    }
    set.assignee_id = patch.assigneeId;
  }
  const reschedule = patch.status === 'snoozed' && current.status === 'snoozed' && patch.snoozedUntil && patch.snoozedUntil !== current.snoozedUntil;
  if (reschedule) {
    const until = new Date(patch.snoozedUntil!);
    if (until.getTime() <= now.getTime()) throw new InboxError(400, 'validation', 'snoozedUntil: must be in the future');
    set.snoozed_until = until;
    notes.push(`${agent.name} snoozed the conversation until ${until.toISOString()}`);
  } else if (patch.status && patch.status !== current.status) {
    set.status = patch.status;
    set.resolved_at = patch.status === 'resolved' ? now : null;
    if (patch.status === 'snoozed') {
      const until = patch.snoozedUntil ? new Date(patch.snoozedUntil) : new Date(now.getTime() + 86_400_000);
      if (until.getTime() <= now.getTime()) throw new InboxError(400, 'validation', 'snoozedUntil: must be in the future');
      set.snoozed_until = until;
      notes.push(`${agent.name} snoozed the conversation until ${until.toISOString()}`);
    } else {
      set.snoozed_until = null;
      const action = {
        open: current.status === 'resolved' ? 'reopened the conversation' : 'opened the conversation',
        pending: 'marked the conversation pending',
        resolved: 'resolved the conversation',
      }[patch.status];
      notes.push(`${agent.name} ${action}`);
    }
  }
  if (patch.priority && patch.priority !== current.priority) {
    set.priority = patch.priority;
    notes.push(`${agent.name} set priority to ${patch.priority}`);
  }
  if (patch.labels) {
    const labels = [...new Set(patch.labels)];
    if (labels.join('\u0000') !== current.labels.join('\u0000')) {
      set.labels = labels;
      notes.push(labels.length > 0 ? `${agent.name} set labels: ${labels.join(', ')}` : `${agent.name} removed all labels`);
    }
  }
  if (Object.keys(set).length === 0) return current;

  const eventIds = notes.map(() => newId());
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('conversations').set(set).where('id', '=', id).execute();
    if (notes.length > 0) {
      await trx
        .insertInto('messages')
        .values(
          notes.map((text, index) => ({
            id: eventIds[index]!,
            conversation_id: id,
            channel_id: current.channelId,
            direction: 'outbound' as const,
            author_type: 'system' as const,
            author_id: agent.id,
            author_name: agent.name,
            text,
            html: null,
            private: true,
            status: 'sent' as const,
            error: null,
            external_id: null,
            reply_to_external_id: null,
            client_message_id: null,
            idempotency_key: null,
            raw: null,
            created_at: new Date(now.getTime() + index),
            sent_at: now,
            updated_at: now,
          })),
        )
        .execute();
    }
  });
  const updated = (await getConversation(deps.db, id))!;
  await announce(deps, async () => {
    await deps.bus.publish({ type: 'conversation.updated', data: updated });
    for (const eventId of eventIds) {
      const message = await getMessage(deps.db, eventId);
      if (message) await deps.bus.publish({ type: 'message.created', data: message });
    }
  });
  return updated;
}
