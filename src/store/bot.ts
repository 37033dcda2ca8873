import { type Selectable, sql } from 'kysely';
import type { HandoffReason } from '../domain/conversation.js';
import type { DomainEvent } from '../domain/events.js';
import type { Db } from './database.js';
import { appendEvents, type OutboxBatch } from './outbox.js';
import type { BotAnswersTable } from './schema.js';
import { insertSystemNotes, type NoteInput } from './system-notes.js';

/**
 * The FAQ bot's bookkeeping (issue 16): which conversations it still answers, the answers it gave
 * (one per customer message), and the two ways out — the customer confirms an answer solved it,
 * or the conversation goes to the team. Each write is conditional on the bot still holding the
 * conversation, so two workers (or a redelivered event) decide it once.
 */

export type BotAnswerRow = Selectable<BotAnswersTable>;

/** What the bot looks at before it answers: is it still its conversation, and may it speak. */
export interface BotSubject {
  readonly id: string;
  readonly channelId: string;
  readonly status: 'open' | 'pending' | 'snoozed' | 'resolved';
  readonly priority: 'low' | 'normal' | 'high' | 'urgent';
  readonly handledBy: 'bot' | 'agent';
  /** The agent bot it was opened for (issue 18); null = the FAQ bot's. */
  readonly botId: string | null;
  readonly urgent: boolean;
  readonly unreachable: boolean;
  /** Answers it gave here, and those the customer has not settled yet. */
  readonly answers: number;
  readonly openAnswers: number;
}

const BOT = { id: 'desk.bot', name: 'desk.bot' } as const;

export async function botSubject(db: Db, conversationId: string): Promise<BotSubject | undefined> {
  const row = await db
    .selectFrom('conversations as c')
    .select(['c.id', 'c.channel_id', 'c.status', 'c.priority', 'c.handled_by', 'c.bot_id', 'c.escalation', 'c.unreachable_reason'])
    .select([
      sql<string>`(select count(*) from bot_answers b where b.conversation_id = c.id)`.as('answers'),
      sql<string>`(select count(*) from bot_answers b where b.conversation_id = c.id and b.outcome is null)`.as('open_answers'),
    ])
    .where('c.id', '=', conversationId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    channelId: row.channel_id,
    status: row.status,
    priority: row.priority,
    handledBy: row.handled_by,
    botId: row.bot_id,
    urgent: row.priority === 'urgent' || row.escalation !== null,
    unreachable: row.unreachable_reason !== null,
    answers: Number(row.answers),
    openAnswers: Number(row.open_answers),
  };
}

export interface NewBotAnswer {
  readonly id: string;
  readonly conversationId: string;
  readonly channelId: string;
  readonly questionMessageId: string;
  readonly articleId: string;
  readonly articleTitle: string;
  readonly lang: string;
  readonly at: Date;
}

/**
 * Records the answer to one customer message, with its system line; undefined when that message
 * was answered already (a redelivered event) or the bot no longer holds the conversation.
 */
export async function recordAnswer(db: Db, answer: NewBotAnswer): Promise<{ answer: BotAnswerRow; batch: OutboxBatch | undefined } | undefined> {
  return db.transaction().execute(async (trx) => {
    const held = await trx.selectFrom('conversations').select('id').where('id', '=', answer.conversationId).where('handled_by', '=', 'bot').where('bot_id', 'is', null).forUpdate().executeTakeFirst();
    if (!held) return undefined;
    const row = await trx
      .insertInto('bot_answers')
      .values({
        id: answer.id,
        conversation_id: answer.conversationId,
        channel_id: answer.channelId,
        question_message_id: answer.questionMessageId,
        article_id: answer.articleId,
        article_title: answer.articleTitle,
        lang: answer.lang,
        answered_at: answer.at,
      })
      .onConflict((oc) => oc.column('question_message_id').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) return undefined;
    const note: NoteInput = { note: { type: 'bot-answered', params: { by: BOT.name, article: answer.articleTitle } }, text: `The FAQ bot answered with the article "${answer.articleTitle}"` };
    const events = await insertSystemNotes(trx, { conversationId: answer.conversationId, channelId: answer.channelId }, BOT, [note], answer.at);
    return { answer: row, batch: await appendEvents(trx, events) };
  });
}

export async function answerById(db: Db, id: string): Promise<BotAnswerRow | undefined> {
  return db.selectFrom('bot_answers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The newest answer not settled yet (a typed "yes" on a channel without buttons settles it). */
export async function openAnswer(db: Db, conversationId: string): Promise<BotAnswerRow | undefined> {
  return db.selectFrom('bot_answers').selectAll().where('conversation_id', '=', conversationId).where('outcome', 'is', null).orderBy('answered_at', 'desc').limit(1).executeTakeFirst();
}

/**
 * The customer confirmed the answer solved it: the answer counts as a deflection and the
 * conversation is resolved without a person. Undefined when it was settled already or the team
 * has the conversation now (a late tap after a handoff resolves nothing).
 */
export async function resolveByBot(db: Db, answer: BotAnswerRow, at: Date): Promise<OutboxBatch | undefined> {
  return db.transaction().execute(async (trx) => {
    const conversation = await trx
      .updateTable('conversations')
      .set({ status: 'resolved', resolved_at: at, snoozed_until: null, waiting_since: null })
      .where('id', '=', answer.conversation_id)
      .where('handled_by', '=', 'bot')
      .where('bot_id', 'is', null)
      .returning(['id', 'channel_id', 'status'])
      .executeTakeFirst();
    if (!conversation) return undefined;
    const settled = await trx.updateTable('bot_answers').set({ outcome: 'solved', outcome_at: at }).where('id', '=', answer.id).where('outcome', 'is', null).returning('id').executeTakeFirst();
    if (!settled) return undefined;
    const note: NoteInput = { note: { type: 'bot-solved', params: { by: BOT.name, article: answer.article_title } }, text: `The customer confirmed the article "${answer.article_title}" solved it; the FAQ bot resolved the conversation` };
    const events: DomainEvent[] = [
      { type: 'conversation.updated', conversationId: conversation.id },
      ...(await insertSystemNotes(trx, { conversationId: conversation.id, channelId: conversation.channel_id }, BOT, [note], at)),
    ];
    return appendEvents(trx, events);
  });
}

/**
 * Hands the conversation to the team for good: `handledBy` agent, the handoff's time and reason
 * (its service-level clocks start there), reopened if the bot had resolved it, the customer
 * waiting, the bot's unsettled answers counted as not solving it. Undefined when someone else
 * handed it over first. The FAQ bot's and an agent bot's (issue 18) alike; `onlyBot` makes it
 * conditional on that agent bot holding it.
 */
export async function handOff(
  db: Db,
  conversationId: string,
  reason: HandoffReason,
  by: { id: string; name: string },
  at: Date,
  options: { onlyBot?: string } = {},
): Promise<OutboxBatch | undefined> {
  return db.transaction().execute(async (trx) => {
    let held = trx
      .updateTable('conversations')
      .set({
        handled_by: 'agent',
        handoff: JSON.stringify({ at: at.toISOString(), reason }),
        status: sql<'open'>`case when status = 'resolved' then 'open' else status end`,
        resolved_at: sql<Date | null>`case when status = 'resolved' then null else resolved_at end`,
        waiting_since: sql<Date>`coalesce(waiting_since, ${at})`,
      })
      .where('id', '=', conversationId)
      .where('handled_by', '=', 'bot');
    if (options.onlyBot !== undefined) held = held.where('bot_id', '=', options.onlyBot);
    const conversation = await held.returning(['id', 'channel_id', 'bot_id']).executeTakeFirst();
    if (!conversation) return undefined;
    await trx.updateTable('bot_answers').set({ outcome: 'handoff', outcome_at: at }).where('conversation_id', '=', conversationId).where('outcome', 'is', null).execute();
    const who = conversation.bot_id === null ? 'The FAQ bot' : reason === 'bot-requested' ? by.name : 'The agent bot';
    const note: NoteInput = { note: { type: 'handed-off', params: { by: by.name, reason } }, text: `${who} handed the conversation to the team (${reason})` };
    const events: DomainEvent[] = [
      { type: 'conversation.updated', conversationId: conversation.id },
      ...(await insertSystemNotes(trx, { conversationId: conversation.id, channelId: conversation.channel_id }, by, [note], at)),
    ];
    return appendEvents(trx, events);
  });
}

export interface SelfServiceCounts {
  /** Customer questions the bot answered with an article. */
  readonly answered: number;
  /** Answers the customer confirmed solved it (the conversation was resolved without a person). */
  readonly solved: number;
  /** Answers followed by a handoff to the team. */
  readonly handedOff: number;
  /** Answers the customer neither confirmed nor escaped. */
  readonly unsettled: number;
  /** Conversations the bot handed to the team in the period, by reason. */
  readonly handoffs: Readonly<Record<string, number>>;
  /** The articles that answered most, with how often each solved it. */
  readonly articles: readonly { articleId: string; title: string; answered: number; solved: number }[];
}

/** The bot's work in [from, to): answers by outcome, handoffs by reason, the articles behind them. */
export async function selfServiceCounts(db: Db, from: Date, to: Date): Promise<SelfServiceCounts> {
  const [totals, byArticle, handoffs] = await Promise.all([
    db
      .selectFrom('bot_answers')
      .select((eb) => [
        eb.fn.countAll<string>().as('answered'),
        eb.fn.count<string>('id').filterWhere('outcome', '=', 'solved').as('solved'),
        eb.fn.count<string>('id').filterWhere('outcome', '=', 'handoff').as('handed_off'),
        eb.fn.count<string>('id').filterWhere('outcome', 'is', null).as('unsettled'),
      ])
      .where('answered_at', '>=', from)
      .where('answered_at', '<', to)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('bot_answers')
      .select((eb) => ['article_id', eb.fn.max('article_title').as('title'), eb.fn.countAll<string>().as('answered'), eb.fn.count<string>('id').filterWhere('outcome', '=', 'solved').as('solved')])
      .where('answered_at', '>=', from)
      .where('answered_at', '<', to)
      .groupBy('article_id')
      .orderBy('answered', 'desc')
      .limit(20)
      .execute(),
    db
      .selectFrom('conversations')
      .select((eb) => [sql<string>`handoff->>'reason'`.as('reason'), eb.fn.countAll<string>().as('n')])
      .where('handoff', 'is not', null)
      .where(sql<Date>`(handoff->>'at')::timestamptz`, '>=', from)
      .where(sql<Date>`(handoff->>'at')::timestamptz`, '<', to)
      .groupBy(sql`handoff->>'reason'`)
      .execute(),
  ]);
  return {
    answered: Number(totals.answered),
    solved: Number(totals.solved),
    handedOff: Number(totals.handed_off),
    unsettled: Number(totals.unsettled),
    handoffs: Object.fromEntries(handoffs.map((h) => [h.reason, Number(h.n)])),
    articles: byArticle.map((a) => ({ articleId: a.article_id, title: String(a.title), answered: Number(a.answered), solved: Number(a.solved) })),
  };
}
