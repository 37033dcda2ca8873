import { type Selectable, sql } from 'kysely';
import type { ConversationCsat, CsatVia } from '../domain/csat.js';
import type { DomainEvent } from '../domain/events.js';
import type { Db } from './database.js';
import { appendEvents, type OutboxBatch } from './outbox.js';
import type { CsatSurveysTable } from './schema.js';
import { insertSystemNotes, type NoteInput } from './system-notes.js';

/**
 * Satisfaction surveys (issue 15): one per resolution, the answer recorded on it once (the first
 * answer wins: a redelivered tap, a second link or a later typed number change nothing), and the
 * conversation's `csat` and `survey_until` kept with it in the same transaction.
 */

export type SurveyRow = Selectable<CsatSurveysTable>;

/** What deciding whether to survey a resolved conversation needs. */
export interface SurveyCandidate {
  id: string;
  channel_id: string;
  status: string;
  resolved_at: Date | null;
  first_response_at: Date | null;
  reply_window_ends_at: Date | null;
  unreachable_reason: string | null;
  team_id: string | null;
  /** The customer wrote something themselves (not only machine mail). */
  customer_wrote: boolean;
}

export async function surveyCandidate(db: Db, conversationId: string): Promise<SurveyCandidate | undefined> {
  return db
    .selectFrom('conversations as c')
    .select(['c.id', 'c.channel_id', 'c.status', 'c.resolved_at', 'c.first_response_at', 'c.reply_window_ends_at', 'c.unreachable_reason', 'c.team_id'])
    .select(sql<boolean>`c.last_inbound_at is not null`.as('customer_wrote'))
    .where('c.id', '=', conversationId)
    .executeTakeFirst();
}

export interface NewSurvey {
  id: string;
  conversationId: string;
  channelId: string;
  resolvedAt: Date;
  lang: string;
  /** Taps and links are taken until then. */
  answerUntil: Date;
  /** A bare typed answer is taken (and the conversation held resolved) until then. */
  textUntil: Date;
}

/**
 * The survey of this resolution: created once, with the conversation held for its typed answer
 * — unless the conversation was reopened or resolved again meanwhile (then undefined). A second
 * call for the same resolution returns the stored one.
 */
export async function openSurvey(db: Db, survey: NewSurvey): Promise<SurveyRow | undefined> {
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('csat_surveys').selectAll().where('conversation_id', '=', survey.conversationId).where('resolved_at', '=', survey.resolvedAt).executeTakeFirst();
    if (existing) return existing;
    // The row lock taken here orders two workers opening the same survey: the second finds it above after the first commits, or conflicts below.
    const held = await trx
      .updateTable('conversations')
      .set({ survey_until: sql`greatest(survey_until, ${survey.textUntil})` })
      .where('id', '=', survey.conversationId)
      .where('status', '=', 'resolved')
      .where('resolved_at', '=', survey.resolvedAt)
      .returning('id')
      .executeTakeFirst();
    if (!held) return undefined;
    const created = await trx
      .insertInto('csat_surveys')
      .values({
        id: survey.id,
        conversation_id: survey.conversationId,
        channel_id: survey.channelId,
        resolved_at: survey.resolvedAt,
        lang: survey.lang,
        answer_until: survey.answerUntil,
        text_until: survey.textUntil,
      })
      .onConflict((oc) => oc.columns(['conversation_id', 'resolved_at']).doNothing())
      .returningAll()
      .executeTakeFirst();
    return created ?? trx.selectFrom('csat_surveys').selectAll().where('conversation_id', '=', survey.conversationId).where('resolved_at', '=', survey.resolvedAt).executeTakeFirst();
  });
}

/** The survey's message, found by the key `sendAutomatic` saved it with. */
export async function setSurveyMessage(db: Db, surveyId: string, idempotencyKey: string): Promise<void> {
  await db
    .updateTable('csat_surveys')
    .set({ message_id: sql`(select id from messages where author_id = 'desk.csat' and idempotency_key = ${idempotencyKey} limit 1)` })
    .where('id', '=', surveyId)
    .where('message_id', 'is', null)
    .execute();
}

export async function surveyById(db: Db, id: string): Promise<SurveyRow | undefined> {
  return db.selectFrom('csat_surveys').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The conversation's survey still waiting for a typed rating or comment at `at`, newest first. */
export async function awaitingSurvey(db: Db, conversationId: string, at: Date): Promise<SurveyRow | undefined> {
  return db
    .selectFrom('csat_surveys')
    .selectAll()
    .where('conversation_id', '=', conversationId)
    .where('stage', '!=', 'done')
    .where('text_until', '>=', at)
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export interface RatingInput {
  surveyId: string;
  rating: number;
  via: CsatVia;
  at: Date;
  /** The comment, when it came with the rating (the email link's form). */
  comment?: string;
  /** Until when the comment prompt's answer is taken (undefined: no prompt, the survey ends). */
  commentUntil?: Date;
  /** For a low score: who takes it over (the team's supervisor), else it is flagged with `flag`. */
  low?: { assignee: { id: string; name: string } | null; flag: string };
}

export type RatingOutcome = { kind: 'rated'; survey: SurveyRow; batch: OutboxBatch } | { kind: 'already'; survey: SurveyRow | undefined } | { kind: 'expired'; survey: SurveyRow };

const AUTHOR = { id: 'desk.csat', name: 'desk.csat' };

/**
 * Records a survey's rating, once: the first answer wins. The conversation shows it (`csat`); a
 * low score reopens it — assigned to the team's supervisor or flagged — without making the
 * customer "waiting" (a rating is not a question: no SLA clock starts).
 */
export async function recordRating(db: Db, input: RatingInput): Promise<RatingOutcome> {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('csat_surveys').selectAll().where('id', '=', input.surveyId).forUpdate().executeTakeFirst();
    if (!current || current.rating !== null) return { kind: 'already', survey: current };
    if (current.answer_until < input.at && input.via !== 'text') return { kind: 'expired', survey: current };
    const comment = input.comment?.trim() ? input.comment.trim() : null;
    const survey = await trx
      .updateTable('csat_surveys')
      .set({
        rating: input.rating,
        rated_at: input.at,
        rated_via: input.via,
        stage: input.commentUntil && !comment ? 'comment' : 'done',
        ...(input.commentUntil && !comment ? { text_until: input.commentUntil } : {}),
        ...(comment ? { comment, commented_at: input.at } : {}),
      })
      .where('id', '=', input.surveyId)
      .returningAll()
      .executeTakeFirstOrThrow();
    const csat: ConversationCsat = { rating: input.rating, comment, ratedAt: input.at.toISOString(), via: input.via };
    const low = input.low;
    const conversation = await trx
      .updateTable('conversations')
      .set({
        csat: JSON.stringify(csat),
        // Held for the comment's typed answer; released when there is nothing more to wait for.
        survey_until: survey.stage === 'comment' ? sql`greatest(survey_until, ${survey.text_until})` : null,
        ...(low
          ? {
              status: 'open' as const,
              resolved_at: null,
              snoozed_until: null,
              ...(low.assignee ? { assignee_id: low.assignee.id } : { labels: sql<string[]>`case when ${low.flag} = any(labels) then labels else labels || array[${low.flag}]::text[] end` }),
            }
          : {}),
      })
      .where('id', '=', current.conversation_id)
      .returning(['id', 'channel_id'])
      .executeTakeFirstOrThrow();
    const notes: NoteInput[] = [
      { note: { type: 'csat-rated', params: { by: AUTHOR.name, rating: String(input.rating), via: input.via } }, text: `The customer rated this conversation ${input.rating}/5 (${input.via})` },
      ...(comment ? [{ note: { type: 'csat-comment' as const, params: { by: AUTHOR.name } }, text: `The customer commented: ${comment}` }] : []),
      ...(low
        ? [
            {
              note: { type: 'csat-low' as const, params: { by: AUTHOR.name, rating: String(input.rating), ...(low.assignee ? { assignee: low.assignee.name } : {}) } },
              text: low.assignee
                ? `A low rating (${input.rating}/5) reopened the conversation for ${low.assignee.name}`
                : `A low rating (${input.rating}/5) reopened the conversation (labelled ${low.flag})`,
            },
          ]
        : []),
    ];
    const target = { conversationId: conversation.id, channelId: conversation.channel_id };
    const events: DomainEvent[] = [
      ...(await insertSystemNotes(trx, target, AUTHOR, notes, input.at)),
      { type: 'conversation.updated', conversationId: conversation.id },
      { type: 'csat.received', conversationId: conversation.id, rating: input.rating, ...(comment ? { comment: true } : {}) },
    ];
    return { kind: 'rated', survey, batch: (await appendEvents(trx, events))! };
  });
}

/** The comment the customer typed after rating; undefined when the survey no longer waits for one. */
export async function recordComment(db: Db, surveyId: string, comment: string, at: Date): Promise<OutboxBatch | undefined> {
  return db.transaction().execute(async (trx) => {
    const survey = await trx
      .updateTable('csat_surveys')
      .set({ comment, commented_at: at, stage: 'done' })
      .where('id', '=', surveyId)
      .where('stage', '=', 'comment')
      .where('rating', 'is not', null)
      .returningAll()
      .executeTakeFirst();
    if (!survey) return undefined;
    const conversation = await trx
      .updateTable('conversations')
      .set({ csat: sql`jsonb_set(csat, '{comment}', to_jsonb(${comment}::text))`, survey_until: null })
      .where('id', '=', survey.conversation_id)
      .where('csat', 'is not', null)
      .returning(['id', 'channel_id'])
      .executeTakeFirst();
    if (!conversation) return undefined;
    const events: DomainEvent[] = [
      ...(await insertSystemNotes(trx, { conversationId: conversation.id, channelId: conversation.channel_id }, AUTHOR, [{ note: { type: 'csat-comment', params: { by: AUTHOR.name } }, text: `The customer commented: ${comment}` }], at)),
      { type: 'conversation.updated', conversationId: conversation.id },
      { type: 'csat.received', conversationId: conversation.id, rating: survey.rating!, comment: true },
    ];
    return appendEvents(trx, events);
  });
}

/**
 * The survey ends without (more of) an answer: the customer wrote something else — a new question.
 * With `reopenFor`, the conversation is reopened with the customer waiting since that message
 * (the ingest held it resolved while the survey waited).
 */
export async function endSurvey(db: Db, surveyId: string, reopenFor?: Date): Promise<OutboxBatch | undefined> {
  return db.transaction().execute(async (trx) => {
    const survey = await trx.updateTable('csat_surveys').set({ stage: 'done' }).where('id', '=', surveyId).where('stage', '!=', 'done').returningAll().executeTakeFirst();
    if (!survey) return undefined;
    const reopened = await trx
      .updateTable('conversations')
      .set({
        survey_until: null,
        ...(reopenFor ? { status: sql<'open'>`case when status = 'resolved' then 'open' else status end`, resolved_at: null, waiting_since: sql`coalesce(waiting_since, ${reopenFor})` } : {}),
      })
      .where('id', '=', survey.conversation_id)
      .returning('id')
      .executeTakeFirst();
    if (!reopened || !reopenFor) return undefined;
    return appendEvents(trx, [{ type: 'conversation.updated', conversationId: reopened.id }]);
  });
}

/** Who takes over a low score: the supervisor of the conversation's team (an active agent). */
export async function supervisorOf(db: Db, teamId: string | null): Promise<{ id: string; name: string } | null> {
  if (!teamId) return null;
  const row = await db
    .selectFrom('teams as t')
    .innerJoin('agents as a', 'a.id', 't.supervisor_id')
    .select(['a.id', 'a.name'])
    .where('t.id', '=', teamId)
    .where('a.active', '=', true)
    .executeTakeFirst();
  return row ?? null;
}
