import { z } from 'zod';
import { ApiError } from '../../api/errors.js';
import type { Implementation } from '../../api/handler.js';
import type { ChannelAdapter, OutboundAttachment } from '../../channels/contract.js';
import { PermanentChannelError } from '../../channels/errors.js';
import { agentUploadScope } from '../../domain/attachment.js';
import type { Agent } from '../../domain/agent.js';
import type { Conversation } from '../../domain/conversation.js';
import { newId } from '../../domain/ids.js';
import type { InboxDeps } from '../../inbox/deps.js';
import { sendReply } from '../../inbox/send-reply.js';
import { getConversation } from '../../store/conversations.js';
import { isUniqueViolation } from '../../store/database.js';
import { claimUploads } from '../../store/message-rows.js';
import { getMessage, listMessages } from '../../store/messages.js';
import { insertReply } from '../../store/replies.js';
import { getAttachmentRow, saveUpload } from '../../store/uploads.js';
import { defineDeskFeature } from '../feature.js';
import { type Lang } from '../language.js';
import { transcriptRoutes } from './api.js';
import { renderHtml } from './html.js';
import { MissingFontError, renderPdf } from './pdf.js';
import { customerVisible, type Transcript } from './transcript.js';
import { words } from './wording.js';
import { customerLanguage } from '../customer-language.js';

/** The longest conversation a transcript holds: its newest messages beyond that are what a customer asks about. */
const MAX_MESSAGES = 5_000;
const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;

/** A transcript emailed through a mailbox other than the conversation's channel, sent by the worker. */
const EmailJob = z.object({
  messageId: z.string(),
  conversationId: z.string(),
  attachmentId: z.string(),
  emailChannelId: z.string(),
  to: z.string(),
  format: z.enum(['pdf', 'html']),
  lang: z.enum(['en', 'zh']),
  agent: z.object({ id: z.string(), name: z.string() }),
});
type EmailJob = z.infer<typeof EmailJob>;

export interface RenderedTranscript {
  readonly name: string;
  readonly mimeType: string;
  readonly bytes: Buffer;
}

/** The conversation as its customer saw it, rendered; pure apart from reading the conversation. */
export async function buildTranscript(deps: Pick<InboxDeps, 'db' | 'adapters'>, conversation: Conversation, lang: Lang, now = new Date()): Promise<Transcript> {
  const messages = (await listMessages(deps.db, conversation.id, { limit: MAX_MESSAGES, includePrivate: false })) ?? [];
  return {
    lang,
    conversationId: conversation.id,
    subject: conversation.subject,
    channel: { kind: conversation.channelKind, name: deps.adapters.get(conversation.channelId)?.name ?? conversation.channelId },
    customerName: conversation.contact.name,
    startedAt: conversation.createdAt,
    generatedAt: now.toISOString(),
    entries: customerVisible(messages),
  };
}

export async function renderTranscript(transcript: Transcript, format: 'pdf' | 'html'): Promise<RenderedTranscript> {
  const day = transcript.generatedAt.slice(0, 10);
  const name = `${transcript.lang === 'zh' ? '对话记录' : 'transcript'}-${day}-${transcript.conversationId.slice(-8)}.${format}`;
  if (format === 'html') return { name, mimeType: 'text/html', bytes: Buffer.from(renderHtml(transcript), 'utf8') };
  return { name, mimeType: 'application/pdf', bytes: await renderPdf(transcript) };
}

const sameAddress = (a: string | undefined, b: string): boolean => a !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Transcripts for the customer (issue 17): what support told them, as a file they keep. On the
 * conversation's own channel (and by email for an email conversation) it is an agent's reply with
 * a file — the same path, guards, retries and delivery status as any reply. By email for a
 * conversation elsewhere it goes out through the email channel from a desk timer (the worker; a
 * retryable SMTP failure is tried again), and the conversation records it as the agent's message
 * once the mail server took it — never as a queued reply, which the outbound worker would send on
 * the conversation's own channel.
 */
export const transcripts = defineDeskFeature({
  name: 'transcripts',
  settings: z.object({}),
  contract: transcriptRoutes,
  create(context) {
    const deps = (): InboxDeps => context.inbox();

    const customerLang = (conversation: Conversation): Promise<Lang> => customerLanguage(deps().db, conversation.id, conversation.subject);

    const rendered = async (conversation: Conversation, lang: Lang, format: 'pdf' | 'html'): Promise<RenderedTranscript> => {
      try {
        return await renderTranscript(await buildTranscript(deps(), conversation, lang), format);
      } catch (error) {
        if (error instanceof MissingFontError) throw new ApiError(503, 'font_missing', error.message);
        throw error;
      }
    };

    /** As an agent's reply with the file: on the conversation's channel (or an email conversation's mailbox). */
    const asReply = async (agent: Agent, conversation: Conversation, adapter: ChannelAdapter, lang: Lang, format: 'pdf' | 'html') => {
      if (!adapter.capabilities.attachments) {
        throw new ApiError(409, 'channel_cannot_send_files', `channel ${adapter.id} (${adapter.kind}) cannot send files; send the transcript by email instead`);
      }
      const file = await rendered(conversation, lang, format);
      const upload = await saveUpload(deps().db, deps().attachments, { owner: agentUploadScope(agent.id), name: file.name, mimeType: file.mimeType, bytes: file.bytes });
      const { message } = await sendReply(deps(), agent, conversation.id, { text: words[lang].covering(format), private: false, attachments: [upload.id] });
      return { messageId: message.id, via: 'channel' as const, channelId: adapter.id };
    };

    const emailChannel = (conversation: Conversation): ChannelAdapter | undefined => {
      const own = deps().adapters.get(conversation.channelId);
      if (own?.kind === 'email') return own;
      return [...deps().adapters.values()].find((a) => a.kind === 'email');
    };

    const api: Implementation<typeof transcriptRoutes> = {
      contract: transcriptRoutes,
      json: { limit: '16kb', beforeAuth: false },
      handlers: {
        async sendTranscript({ params, body, agent }) {
          const conversation = await getConversation(deps().db, params.id);
          if (!conversation) throw new ApiError(404, 'not_found', 'conversation not found');
          const lang = body.lang ?? (await customerLang(conversation));
          if (body.via === 'channel') {
            const adapter = deps().adapters.get(conversation.channelId);
            if (!adapter) throw new ApiError(409, 'channel_unavailable', `channel ${conversation.channelId} is not configured`);
            return { ...(await asReply(agent, conversation, adapter, lang, body.format)), via: 'channel' as const };
          }
          const to = body.to ?? conversation.contact.email;
          if (!to || !EMAIL.test(to)) throw new ApiError(400, 'validation', 'to: the customer has no email address; give one');
          const mailbox = emailChannel(conversation);
          if (!mailbox) throw new ApiError(409, 'no_email_channel', 'no email channel is configured to send the transcript from; send it on the conversation\'s channel instead');
          // The customer's own thread: an ordinary reply in it (In-Reply-To, retries, the retry button).
          if (mailbox.id === conversation.channelId && sameAddress(conversation.contact.email, to)) {
            return { ...(await asReply(agent, conversation, mailbox, lang, body.format)), via: 'email' as const };
          }
          const messageId = newId();
          const file = await rendered(conversation, lang, body.format);
          // Owned by the message-to-be: no agent can attach it to a reply of their own meanwhile.
          const upload = await saveUpload(deps().db, deps().attachments, { owner: `transcript:${messageId}`, name: file.name, mimeType: file.mimeType, bytes: file.bytes });
          const job: EmailJob = {
            messageId,
            conversationId: conversation.id,
            attachmentId: upload.id,
            emailChannelId: mailbox.id,
            to,
            format: body.format,
            lang,
            agent: { id: agent.id, name: agent.name },
          };
          await context.timers.schedule(`email.${messageId}`, new Date(), job);
          return { messageId, via: 'email' as const, channelId: mailbox.id };
        },
      },
    };

    /** The worker's half of an emailed transcript: send, then record it in the conversation. */
    async function sendEmail(job: EmailJob): Promise<void> {
      const inbox = deps();
      // Run again after a crash between the mail and the record: the record is the proof, and a
      // second mail would carry the same Message-ID (derived from the message id) anyway.
      if (await getMessage(inbox.db, job.messageId)) return;
      const adapter = inbox.adapters.get(job.emailChannelId);
      const row = await getAttachmentRow(inbox.db, job.attachmentId);
      if (!row?.storage_key) {
        context.logger.warn({ message: job.messageId }, 'transcript file gone before it was emailed');
        return;
      }
      const storageKey = row.storage_key;
      const w = words[job.lang];
      const file: OutboundAttachment = { id: row.id, name: row.name ?? 'transcript', mimeType: row.mime_type ?? 'application/octet-stream', size: row.size ?? 0, read: () => inbox.attachments.read(storageKey) };
      let externalId: string | null = null;
      let failure: string | undefined;
      if (!adapter) failure = `channel ${job.emailChannelId} is no longer configured`;
      else {
        try {
          const sent = await adapter.send(
            { conversationId: job.conversationId, threadKey: `transcript-${job.messageId}`, contactExternalId: job.to, contactEmail: job.to, subject: w.mailSubject },
            { messageId: job.messageId, text: w.covering(job.format), authorName: job.agent.name, attachments: [file], alreadySent: [] },
          );
          externalId = sent.externalIds[0] ?? null;
        } catch (error) {
          // Retryable errors (a deferred mail, the server unreachable) run the timer again.
          if (!(error instanceof PermanentChannelError)) throw error;
          failure = error.message;
        }
      }
      const conversation = await getConversation(inbox.db, job.conversationId);
      if (!conversation) return;
      const at = new Date();
      const text = failure === undefined ? w.emailed(job.to, job.format) : `Transcript not emailed to ${job.to}: ${failure} / 对话记录未能发送至 ${job.to}：${failure}`;
      try {
        const saved = await inbox.db.transaction().execute(async (trx) => {
          const reply = await insertReply(trx, {
            id: job.messageId,
            conversationId: job.conversationId,
            channelId: conversation.channelId,
            author: { type: 'agent', id: job.agent.id, name: job.agent.name },
            text,
            // A refusal is the agents' to see, never a line that looks sent to the customer.
            private: failure !== undefined,
            // It answers no question of the customer's: first response and waiting time stay.
            automatic: true,
            replyToExternalId: null,
            idempotencyKey: null,
            preview: text.slice(0, 200),
            at,
          });
          if (!reply) return undefined;
          if (failure === undefined) {
            await claimUploads(trx, job.messageId, `transcript:${job.messageId}`, [job.attachmentId]);
            await trx
              .updateTable('messages')
              .set({ status: 'sent', sent_at: at, updated_at: at, external_id: externalId, sent_parts: externalId ? [externalId] : [] })
              .where('id', '=', job.messageId)
              .execute();
          }
          return reply;
        });
        if (saved) await inbox.dispatcher.dispatch([saved.batch]);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
    }

    return {
      api: { contract: transcriptRoutes, mount: (mounter) => mounter(api) },
      async onTimer(key, data) {
        if (!key.startsWith('email.')) return;
        await sendEmail(EmailJob.parse(data));
      },
    };
  },
});

