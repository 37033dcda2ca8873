import { z } from 'zod';
import { ApiError } from '../../api/errors.js';
import type { Implementation } from '../../api/handler.js';
import type { ChannelKind } from '../../domain/channel.js';
import { newId } from '../../domain/ids.js';
import {
  contactTimeline,
  conversationsOfContact,
  csatHistory,
  type CustomerNoteRow,
  deleteCustomerNote,
  getContactRecord,
  getCustomerNote,
  insertCustomerNote,
  listCustomerNotes,
  type SearchCursor,
  searchContacts,
} from '../../store/customers.js';
import type { Db } from '../../store/database.js';
import { iso } from '../../store/mappers.js';
import { defineDeskFeature } from '../feature.js';
import { createReplyGuard, type ReplyGuard } from '../safety/guard.js';
import { safety, type SafetySettings } from '../safety/index.js';
import { builtInRules, rulesFor } from '../safety/rules.js';
import { customerRoutes } from './api.js';

const Cursor = z.object({ at: z.iso.datetime({ offset: true }), id: z.string().max(64) });

function decodeCursor(text: string | undefined): SearchCursor | undefined {
  if (!text) return undefined;
  try {
    return Cursor.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')));
  } catch {
    throw new ApiError(400, 'validation', 'cursor: not a cursor this API returned');
  }
}
const encodeCursor = (cursor: SearchCursor): string => Buffer.from(JSON.stringify(cursor)).toString('base64url');

const noteView = (row: CustomerNoteRow) => ({
  id: row.id,
  contactId: row.contact_id,
  text: row.text,
  author: { id: row.author_id, name: row.author_name },
  createdAt: iso(row.created_at),
});

const notFound = (): ApiError => new ApiError(404, 'not_found', 'contact not found');

/**
 * The customer page (issue 17): a customer is one contact with identities on several channels
 * (linked by the identity links, never guessed); agents search customers, see every
 * conversation of one on every channel, one timeline of all their messages, their survey
 * answers, and keep notes about them. Message text is as the ingest stored it — a recovery
 * phrase was removed before it was ever stored — and a note holding one is refused the same way
 * a reply is, so the notes never hold one either.
 */
export const customers = defineDeskFeature({
  name: 'customers',
  settings: z.object({}),
  contract: customerRoutes,
  create(context) {
    const db = (): Db => context.inbox().db;

    let guardFor: SafetySettings | undefined;
    let guard: ReplyGuard | undefined;
    const currentGuard = (): ReplyGuard | undefined => {
      const settings = context.settingsOf(safety).safety;
      if (!settings.enabled) return undefined;
      if (settings !== guardFor || !guard) {
        guard = createReplyGuard(builtInRules, settings.allowedPhrasings);
        guardFor = settings;
      }
      return guard;
    };

    const existing = async (id: string) => {
      const record = await getContactRecord(db(), id);
      if (!record) throw notFound();
      return record;
    };

    const api: Implementation<typeof customerRoutes> = {
      contract: customerRoutes,
      json: { limit: '64kb', beforeAuth: false },
      handlers: {
        async searchContacts({ query }) {
          const { items, next } = await searchContacts(db(), { q: query.q || undefined, limit: query.limit, cursor: decodeCursor(query.cursor) });
          return { items, nextCursor: next ? encodeCursor(next) : null };
        },
        async getContact({ params }) {
          // One snapshot: a merge or an undo committing between the queries would show half of it.
          const { record, conversations, answers } = await db()
            .transaction()
            .setIsolationLevel('repeatable read')
            .execute(async (trx) => {
              const found = await getContactRecord(trx, params.id);
              if (!found) throw notFound();
              return { record: found, conversations: await conversationsOfContact(trx, found.id), answers: await csatHistory(trx, found.id) };
            });
          return {
            ...record,
            conversations: conversations.map((c) => ({
              id: c.id,
              channelId: c.channel_id,
              channelKind: c.channel_kind as ChannelKind,
              status: c.status,
              priority: c.priority,
              assigneeId: c.assignee_id,
              subject: c.subject,
              createdAt: iso(c.created_at),
              lastMessageAt: iso(c.last_message_at),
              lastMessagePreview: c.last_message_preview,
              resolvedAt: c.resolved_at ? iso(c.resolved_at) : null,
              csat: c.csat ? { rating: c.csat.rating, comment: c.csat.comment, ratedAt: c.csat.ratedAt } : null,
            })),
            csat: answers.map((a) => ({
              surveyId: a.id,
              conversationId: a.conversation_id,
              channelId: a.channel_id,
              channelKind: a.channel_kind as ChannelKind,
              rating: a.rating!,
              comment: a.comment,
              ratedAt: iso(a.rated_at!),
              via: a.rated_via === 'tap' || a.rated_via === 'text' || a.rated_via === 'link' ? a.rated_via : null,
              resolvedAt: iso(a.resolved_at),
            })),
          };
        },
        async contactTimeline({ params, query }) {
          const record = await existing(params.id);
          const page = await contactTimeline(db(), record.id, query);
          if (!page) throw new ApiError(400, 'validation', 'before: no message with this id in this customer’s conversations');
          return {
            items: page.items.map((m) => ({ ...m, channelKind: m.channelKind as ChannelKind })),
            nextBefore: page.more && page.items[0] ? page.items[0].id : null,
          };
        },
        async listContactNotes({ params }) {
          const record = await existing(params.id);
          return { items: (await listCustomerNotes(db(), record.id)).map(noteView) };
        },
        async addContactNote({ params, body, agent }) {
          const record = await existing(params.id);
          if (currentGuard()?.check(body.text, { private: true })) throw new ApiError(422, 'unsafe_content', `text: ${rulesFor('en').messages['refusal.contains-secret']}`);
          return noteView(await insertCustomerNote(db(), { id: newId('cn'), contactId: record.id, authorId: agent.id, authorName: agent.name, text: body.text }));
        },
        async deleteContactNote({ params, agent }) {
          const note = await getCustomerNote(db(), params.id, params.noteId);
          if (!note) throw new ApiError(404, 'not_found', 'note not found');
          if (note.author_id !== agent.id && agent.role !== 'admin') throw new ApiError(403, 'forbidden', 'only its author or an admin deletes a note');
          if (!(await deleteCustomerNote(db(), note.id))) throw new ApiError(404, 'not_found', 'note not found');
        },
      },
    };

    return { api: { contract: customerRoutes, mount: (mounter) => mounter(api) } };
  },
});
