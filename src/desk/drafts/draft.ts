import type { Logger } from 'pino';
import { ApiError } from '../../api/errors.js';
import type { ChannelKind } from '../../domain/channel.js';
import type { ReplyDraft } from '../../inbox/deps.js';
import { InboxError } from '../../inbox/errors.js';
import type { Db } from '../../store/database.js';
import { getConversation } from '../../store/conversations.js';
import { customerTexts, listMessages } from '../../store/messages.js';
import type { ArticleHit } from '../kb/library.js';
import { type Lang, languageOf } from '../language.js';
import { chatCompletion, type LlmEndpoint, LlmError } from './client.js';
import { buildDraftRequest, MAX_LINES, type SourceArticle, type TranscriptLine } from './prompt.js';
import { type ContactFacts, restoreName } from './redact.js';

/** An article the search found, as much of it as a draft uses. */
export type FoundArticle = Pick<ArticleHit, keyof SourceArticle>;

export interface DraftDeps {
  readonly db: Db;
  readonly logger: Logger;
  /** The knowledge base's search (`context.library`), what the customer may read on their channel. */
  search(query: string, options: { lang: Lang; channelKind: ChannelKind; audience: 'customer'; limit: number }): Promise<readonly FoundArticle[]>;
  /** The desk's reply guard, as a reply gets it: throws InboxError 422 `unsafe_content`. */
  guardReply(draft: ReplyDraft): Promise<void>;
}

export interface DraftTarget {
  readonly endpoint: LlmEndpoint;
  readonly model: string;
}

export interface DraftResult {
  readonly text: string | null;
  readonly articles: readonly { id: string; title: string; url: string }[];
  readonly reason?: 'no_article';
}

/** Articles a draft is grounded in: the few best, so the model is not handed half the library. */
export const ARTICLES_PER_DRAFT = 3;
/** The customer's latest messages are what the search is asked about. */
const QUERY_MESSAGES = 3;
const MAX_QUERY_CHARS = 1_000;

/**
 * Drafts a reply for an agent who asked for one. Grounded only in matching articles: without a
 * match the model is not called. What leaves is the request `buildDraftRequest` built (masked);
 * what comes back is checked like a reply before the agent sees it. Nothing is saved.
 */
export async function draftReply(deps: DraftDeps, target: DraftTarget, conversationId: string, agent: ReplyDraft['agent']): Promise<DraftResult> {
  const conversation = await getConversation(deps.db, conversationId);
  if (!conversation) throw new ApiError(404, 'not_found', 'conversation not found');
  const latest = ((await customerTexts(deps.db, conversationId, QUERY_MESSAGES)) ?? []).map((t) => t.text.trim()).filter(Boolean);
  const query = latest.join('\n').slice(-MAX_QUERY_CHARS);
  const none: DraftResult = { text: null, articles: [], reason: 'no_article' };
  if (query === '') return none;
  const lang = languageOf(query);
  const hits = unique(await deps.search(query, { lang, channelKind: conversation.channelKind, audience: 'customer', limit: ARTICLES_PER_DRAFT }));
  if (hits.length === 0) {
    deps.logger.info({ conversation: conversationId }, 'no article matches: no draft asked for');
    return none;
  }

  const messages = (await listMessages(deps.db, conversationId, { limit: MAX_LINES * 2, includePrivate: false })) ?? [];
  const transcript: TranscriptLine[] = messages
    // What the customer took back (deleted on the platform) does not leave; system lines are the inbox's own.
    .filter((m) => m.deletedAt === null && m.text.trim() !== '' && m.author.type !== 'system')
    .map((m) => ({ from: m.author.type === 'contact' ? ('customer' as const) : ('support' as const), text: m.text }));
  const contact: ContactFacts = {
    name: conversation.contact.name,
    email: conversation.contact.email,
    handles: conversation.contact.identities.flatMap((i) => (i.handle ? [i.handle] : [])),
  };
  const request = buildDraftRequest({ model: target.model, lang, articles: hits, transcript, contact });
  const completion = await chatCompletion(target.endpoint, request);
  const text = restoreName(completion.text, contact);
  try {
    await deps.guardReply({ conversationId, channelId: conversation.channelId, text, private: false, agent });
  } catch (error) {
    if (error instanceof InboxError && error.status === 422) {
      // Logged without the text: it is what must not be shown.
      deps.logger.warn({ conversation: conversationId, code: error.code }, 'drafted reply withheld by the reply guard');
      throw new ApiError(422, 'unsafe_content', 'the drafted reply was withheld: it asks for or contains a secret; write this reply yourself');
    }
    throw error;
  }
  deps.logger.info({ conversation: conversationId, articles: hits.length, finishReason: completion.finishReason }, 'reply drafted');
  return { text, articles: hits.map(({ id, title, url }) => ({ id, title, url })) };
}

const unique = (hits: readonly FoundArticle[]): FoundArticle[] => hits.filter((hit, i) => hits.findIndex((h) => h.id === hit.id) === i).slice(0, ARTICLES_PER_DRAFT);

/** When the endpoint is rate limiting and did not say for how long. */
const DEFAULT_RETRY_AFTER_S = 20;

/**
 * An endpoint failure as the agent's HTTP answer: the endpoint's trouble is a bad gateway (502),
 * its rate limit a temporary unavailability (503 + Retry-After), its slowness a gateway timeout.
 */
export function httpErrorOf(error: LlmError, setHeader: (name: string, value: string) => void): ApiError {
  const status = error.details.status ? ` (HTTP ${error.details.status})` : '';
  switch (error.failure) {
    case 'unauthorized':
      return new ApiError(502, 'llm_unauthorized', `the LLM endpoint refused the API key${status}: check desk.llm.apiKey`);
    case 'rate_limited': {
      const seconds = error.details.retryAfterMs !== undefined ? Math.max(1, Math.ceil(error.details.retryAfterMs / 1000)) : DEFAULT_RETRY_AFTER_S;
      setHeader('Retry-After', String(seconds));
      return new ApiError(503, 'llm_rate_limited', `the LLM endpoint is rate limiting; try again in ${seconds} s`);
    }
    case 'timeout':
      return new ApiError(504, 'llm_timeout', `the LLM endpoint did not answer in time${status}`);
    case 'malformed':
      return new ApiError(502, 'llm_malformed', `the LLM endpoint's answer was not a usable chat completion: ${error.message}`);
    case 'refused':
      return new ApiError(502, 'llm_refused', 'the model declined to draft this reply');
    case 'unavailable':
      return new ApiError(502, 'llm_unavailable', `the LLM endpoint failed${status}; try again later`);
    case 'rejected':
      return new ApiError(502, 'llm_rejected', `the LLM endpoint rejected the request${status}: check desk.llm.model and baseUrl`);
    case 'unreachable':
      return new ApiError(502, 'llm_unreachable', `the LLM endpoint could not be reached: ${error.message}`);
  }
}
