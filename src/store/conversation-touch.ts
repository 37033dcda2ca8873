import { type OnConflictBuilder, type RawBuilder, type Selectable, sql, type Transaction } from 'kysely';
import { newId } from '../domain/ids.js';
import type { InboundMessage } from '../domain/message.js';
import { senderOf } from './contacts.js';
import type { ConversationsTable, Database } from './schema.js';

/**
 * How an inbound message moves its conversation: opened or reopened, its activity, preview and
 * reply window moved forward (never backwards: messages arrive out of order), and the customer
 * waiting. Both ingest paths use these; the reply side is `store/replies.ts`.
 */

export interface IngestContext {
  channelKind: string;
  /** Hours the channel allows replies after a customer message; null = no window. */
  replyWindowHours: number | null;
  /**
   * The service-level clocks a conversation opened now starts with (the desk's SLA policies), so
   * they are written with it and its `conversation.created` already shows them — no second write.
   */
  initialSla?: ((facts: NewConversationFacts) => InitialSla | null) | undefined;
  /**
   * Who answers a conversation opened now (the FAQ bot on its channels, issue 16); absent or
   * 'agent': the team. A bot's conversation starts without clocks (`initialSla` is not asked).
   */
  initialHandler?: ((facts: NewConversationFacts) => InitialHandler) | undefined;
}

/**
 * Who answers a new conversation: the team (`agent`), the FAQ bot (`bot`), or an agent bot
 * (issue 18: `{ botId }`, stored as `handled_by = 'bot'` with its `bot_id`).
 */
export type InitialHandler = 'bot' | 'agent' | { readonly botId: string };

export interface NewConversationFacts {
  readonly channelId: string;
  readonly channelKind: string;
  readonly priority: 'low' | 'normal' | 'high' | 'urgent';
  readonly labels: readonly string[];
  readonly createdAt: Date;
  readonly waitingSince: Date | null;
  /** It was opened by a machine (an out-of-office, a mailing list): nothing automatic answers it. */
  readonly automated: boolean;
}

export interface InitialSla {
  readonly state: unknown;
  readonly dueAt: Date | null;
  readonly breachedAt: Date | null;
  /** When a timer must look at them next (90 % or due). */
  readonly wakeAt: Date | null;
}

type ConversationRow = Selectable<ConversationsTable>;

export interface TouchedConversation {
  row: ConversationRow;
  created: boolean;
  /** Index of the thread's first message among the touched items (the one that "created" it). */
  firstMessage: number;
  /** This touch escalated it (it was not an urgent case before; DESIGN §10 `conversation.escalated`). */
  escalated: boolean;
}

/** The list's one-line summary of a message. */
export function previewOf(message: { text: string; attachments: readonly { kind: string; name?: string | undefined }[] }): string {
  const text = message.text.replace(/\s+/g, ' ').trim();
  if (text) return text.slice(0, 200);
  const first = message.attachments[0];
  return first ? `[${first.kind}${first.name ? `: ${first.name}` : ''}]` : '';
}

const windowEnd = (context: IngestContext, at: Date): Date | null =>
  context.replyWindowHours === null ? null : new Date(at.getTime() + context.replyWindowHours * 3_600_000);

export const threadOf = (m: InboundMessage): string => `${m.channelId}\u0000${m.threadKey}`;

/** What the desk decided at the door (DESIGN §10): the escalation a conversation takes on with this message. */
function escalationOf(message: InboundMessage, at: Date): { escalation: string; labels: string[] } | undefined {
  const e = message.escalation;
  return e ? { escalation: JSON.stringify({ level: 1, reason: e.reason, at: at.toISOString(), by: e.by }), labels: e.labels } : undefined;
}

/** Whether the escalation a row holds is the one this touch wrote at `at`. */
const escalatedNow = (row: ConversationRow, at: Date): boolean => row.escalation !== null && row.escalation.at === at.toISOString();

/**
 * An escalated message makes its conversation urgent, adds the desk's labels (keeping the agents')
 * and records why; other messages leave all three as they are.
 */
function escalate(escalation: RawBuilder<unknown>, labels: RawBuilder<unknown>) {
  return {
    priority: sql<'urgent'>`case when ${escalation} is not null then 'urgent' else conversations.priority end`,
    labels: sql<string[]>`case when ${escalation} is null then conversations.labels
      else conversations.labels || array(select l from unnest(${labels}::text[]) as l where not (l = any(conversations.labels))) end`,
    // The first escalation stays (an agent lowering the priority clears it), so the inbox is told once.
    escalation: sql<string>`coalesce(conversations.escalation, ${escalation})`,
  };
}

/**
 * The conflict clause of a conversation insert for a thread that already exists: reopen it and
 * move its activity forward. Mail from a machine (out-of-office, list) is kept but does not wake
 * a closed case.
 */
function reopenThread(automated: boolean) {
  // Held (issue 15): a thread whose messages are all survey picks (inserted without a waiting
  // time), or any message while a survey of the resolved conversation waits for a typed answer.
  // The survey decides afterwards whether it was an answer or a new question.
  // An urgent case (theft reported) is never held.
  const held = sql<boolean>`(excluded.waiting_since is null or (excluded.escalation is null and conversations.status = 'resolved' and conversations.survey_until >= excluded.last_message_at))`;
  return (oc: OnConflictBuilder<Database, 'conversations'>) =>
    oc.columns(['channel_id', 'thread_key']).doUpdateSet({
      ...(automated
        ? {}
        : {
            status: sql<'open'>`case when ${held} then conversations.status else 'open' end`,
            resolved_at: sql<Date | null>`case when ${held} then conversations.resolved_at end`,
            snoozed_until: sql<Date | null>`case when ${held} then conversations.snoozed_until end`,
            waiting_since: sql<Date | null>`case when ${held} then conversations.waiting_since else coalesce(conversations.waiting_since, excluded.waiting_since) end`,
          }),
      ...escalate(sql`excluded.escalation`, sql`excluded.labels`),
      last_message_preview: sql`case when excluded.last_message_at >= conversations.last_message_at then excluded.last_message_preview else conversations.last_message_preview end`,
      last_message_at: sql`greatest(conversations.last_message_at, excluded.last_message_at)`,
      last_inbound_at: sql`greatest(conversations.last_inbound_at, excluded.last_inbound_at)`,
      reply_window_ends_at: sql`greatest(conversations.reply_window_ends_at, excluded.reply_window_ends_at)`,
      subject: sql`coalesce(conversations.subject, excluded.subject)`,
    });
}

/**
 * Opens or reopens the conversation of every thread the messages write to, one row per thread
 * (Postgres refuses to update a row twice in one INSERT … ON CONFLICT), in a fixed order so two
 * concurrent batches lock rows in the same order and cannot deadlock. `automated`: the messages
 * come from a machine (one-message path only; a batch holds customer messages).
 */
export async function touchThreads(
  trx: Transaction<Database>,
  items: readonly { message: InboundMessage; context: IngestContext }[],
  contacts: ReadonlyMap<string, string>,
  automated = false,
): Promise<Map<string, TouchedConversation>> {
  const threads = new Map<
    string,
    { first: number; newest: InboundMessage; oldestAt: Date; newestAt: Date; subject: string | null; context: IngestContext; escalated?: InboundMessage; picksOnly: boolean }
  >();
  items.forEach(({ message, context }, index) => {
    const at = new Date(message.sentAt);
    const thread = threads.get(threadOf(message));
    if (!thread) {
      threads.set(threadOf(message), {
        first: index,
        newest: message,
        oldestAt: at,
        newestAt: at,
        subject: message.subject ?? null,
        context,
        picksOnly: message.choice !== undefined,
        ...(message.escalation ? { escalated: message } : {}),
      });
      return;
    }
    thread.picksOnly &&= message.choice !== undefined;
    thread.escalated ??= message.escalation ? message : undefined;
    if (at >= thread.newestAt) {
      thread.newest = message;
      thread.newestAt = at;
    }
    if (at < thread.oldestAt) thread.oldestAt = at;
    thread.subject ??= message.subject ?? null;
  });
  const ordered = [...threads.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const now = new Date();
  const values = ordered.map(([, t]) => {
    const first = items[t.first]!.message;
    const escalated = t.escalated ? escalationOf(t.escalated, now) : undefined;
    const priority = escalated ? ('urgent' as const) : ('normal' as const);
    const labels = escalated?.labels ?? [];
    // A survey pick answers us: nobody waits for a reply to it (ratings never start an SLA clock).
    const waitingSince = automated || t.picksOnly ? null : t.oldestAt;
    // Used only if the row is created (a conflict keeps the stored conversation's handler and clocks).
    const facts = { channelId: first.channelId, channelKind: t.context.channelKind, priority, labels, createdAt: now, waitingSince, automated: automated || t.picksOnly };
    const handler = t.context.initialHandler?.(facts) ?? 'agent';
    const handledBy = typeof handler === 'object' ? 'bot' : handler;
    const sla = handledBy === 'bot' ? null : (t.context.initialSla?.(facts) ?? null);
    return {
      id: newId(),
      channel_id: first.channelId,
      channel_kind: t.context.channelKind,
      thread_key: first.threadKey,
      contact_id: contacts.get(senderOf(first))!,
      subject: t.subject,
      created_at: now,
      last_message_at: t.newestAt,
      last_inbound_at: t.newestAt,
      last_message_preview: previewOf(t.newest),
      reply_window_ends_at: automated ? null : windowEnd(t.context, t.newestAt),
      waiting_since: waitingSince,
      priority,
      labels,
      escalation: escalated?.escalation ?? null,
      sla: sla ? JSON.stringify(sla.state) : null,
      sla_due_at: sla?.dueAt ?? null,
      sla_breached_at: sla?.breachedAt ?? null,
      sla_wake_at: sla?.wakeAt ?? null,
      handled_by: handledBy,
      bot_id: typeof handler === 'object' ? handler.botId : null,
    };
  });
  const rows = await trx
    .insertInto('conversations')
    .values(values)
    .onConflict(reopenThread(automated))
    .returningAll()
    .returning(sql<boolean>`(xmax = 0)`.as('created'))
    .execute();
  const result = new Map<string, TouchedConversation>();
  for (const { created, ...row } of rows) {
    const key = `${row.channel_id}\u0000${row.thread_key}`;
    result.set(key, { row, created: Boolean(created), firstMessage: threads.get(key)!.first, escalated: threads.get(key)!.escalated !== undefined && escalatedNow(row, now) });
  }
  return result;
}

/**
 * The conversation a reply belongs to, found through the messages it references (ours or the
 * customer's): the newest referenced message we stored decides.
 */
export async function conversationOfRefs(trx: Transaction<Database>, channelId: string, refs: readonly string[]): Promise<string | undefined> {
  const row = await trx
    .selectFrom('messages')
    .select('conversation_id')
    .where('channel_id', '=', channelId)
    .where('external_id', 'in', refs)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.conversation_id;
}

/** `touchById`'s reopening, held like `reopenThread`'s for a survey pick and while a survey waits for a typed answer. */
function holdOrReopen(message: InboundMessage, sentAt: Date) {
  const held = message.choice !== undefined ? sql<boolean>`true` : message.escalation ? sql<boolean>`false` : sql<boolean>`(status = 'resolved' and survey_until >= ${sentAt})`;
  return {
    status: sql<'open'>`case when ${held} then status else 'open' end`,
    resolved_at: sql<Date | null>`case when ${held} then resolved_at end`,
    snoozed_until: sql<Date | null>`case when ${held} then snoozed_until end`,
    waiting_since: sql<Date | null>`case when ${held} then waiting_since else coalesce(waiting_since, ${sentAt}) end`,
  };
}

/** A reply found its conversation through its references: the same touch as a thread's, by id. */
export async function touchById(trx: Transaction<Database>, conversationId: string, message: InboundMessage, context: IngestContext): Promise<TouchedConversation> {
  const sentAt = new Date(message.sentAt);
  const windowEnds = windowEnd(context, sentAt);
  const preview = previewOf(message);
  const now = new Date();
  const escalated = escalationOf(message, now);
  const row = await trx
    .updateTable('conversations')
    .set({
      ...(message.automated ? {} : holdOrReopen(message, sentAt)),
      ...(escalated ? escalate(sql`${escalated.escalation}::jsonb`, sql`${escalated.labels}`) : {}),
      last_message_preview: sql`case when ${sentAt} >= last_message_at then ${preview} else last_message_preview end`,
      last_message_at: sql`greatest(last_message_at, ${sentAt})`,
      last_inbound_at: sql`greatest(last_inbound_at, ${sentAt})`,
      ...(windowEnds && !message.automated ? { reply_window_ends_at: sql`greatest(reply_window_ends_at, ${windowEnds})` } : {}),
      subject: sql`coalesce(subject, ${message.subject ?? null})`,
    })
    .where('id', '=', conversationId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { row, created: false, firstMessage: 0, escalated: escalated !== undefined && escalatedNow(row, now) };
}

/**
 * A channel event records reachability and never reopens anything. With no conversation yet, a
 * "left" event creates it resolved (nothing to answer), any other event open.
 */
export async function touchForEvent(trx: Transaction<Database>, message: InboundMessage, contactId: string, context: IngestContext): Promise<TouchedConversation> {
  const sentAt = new Date(message.sentAt);
  const type = message.event!.type;
  const gone = type === 'blocked' || type === 'unsubscribed';
  const back = type === 'unblocked' || type === 'subscribed';
  const reachability = gone ? { unreachable_reason: message.text, unreachable_since: sentAt } : back ? { unreachable_reason: null, unreachable_since: null } : {};
  const { created, ...row } = await trx
    .insertInto('conversations')
    .values({
      id: newId(),
      channel_id: message.channelId,
      channel_kind: context.channelKind,
      thread_key: message.threadKey,
      contact_id: contactId,
      status: gone ? 'resolved' : 'open',
      resolved_at: gone ? sentAt : null,
      last_message_at: sentAt,
      last_message_preview: previewOf(message),
      ...reachability,
    })
    .onConflict((oc) =>
      oc.columns(['channel_id', 'thread_key']).doUpdateSet(
        gone || back
          ? { unreachable_reason: sql`excluded.unreachable_reason`, unreachable_since: sql`excluded.unreachable_since` }
          : { thread_key: sql`excluded.thread_key` },
      ),
    )
    .returningAll()
    .returning(sql<boolean>`(xmax = 0)`.as('created'))
    .executeTakeFirstOrThrow();
  return { row, created: Boolean(created), firstMessage: 0, escalated: false };
}
