import type { Implementation } from '../../api/handler.js';
import { ApiError } from '../../api/errors.js';
import { defineDeskFeature } from '../feature.js';
import { msOf } from '../settings-types.js';
import { draftRoutes } from './api.js';
import { LlmError } from './client.js';
import { type DraftDeps, draftReply, httpErrorOf } from './draft.js';
import { DraftsSettings } from './settings.js';

/**
 * Reply drafts (issue 16): an agent asks, an OpenAI-compatible endpoint (`desk.llm`) drafts a
 * reply grounded only in the matching help-center articles, and the agent edits it in the
 * composer. Off unless configured; then nothing is ever called. Only when an agent asks — never at
 * ingest — and only redacted text leaves (`prompt.ts`); the draft passes the reply guard.
 */
export const drafts = defineDeskFeature({
  name: 'drafts',
  settings: DraftsSettings,
  secrets: ['llm.apiKey'],
  contract: draftRoutes,
  create(context, settings) {
    const deps = (): DraftDeps => ({
      db: context.inbox().db,
      logger: context.logger.child({ feature: 'drafts' }),
      search: (query, options) => context.library.search(query, options),
      guardReply: (draft) => context.inbox().desk.guardReply(draft),
    });

    const api: Implementation<typeof draftRoutes> = {
      contract: draftRoutes,
      json: { limit: '1kb', beforeAuth: false },
      handlers: {
        draftsStatus: () => ({ enabled: settings().llm !== undefined }),
        async draftReply({ params, agent, setHeader }) {
          // Read at the click: an admin may have turned drafts on or off a moment ago.
          const llm = settings().llm;
          if (!llm) throw new ApiError(409, 'drafts_disabled', 'reply drafts are off: configure desk.llm (an OpenAI-compatible endpoint)');
          const target = { model: llm.model, endpoint: { baseUrl: llm.baseUrl, apiKey: llm.apiKey, timeoutMs: msOf(llm.timeout) } };
          const d = deps();
          try {
            return await draftReply(d, target, params.id, { id: agent.id, role: agent.role });
          } catch (error) {
            if (!(error instanceof LlmError)) throw error;
            // Identifiers only (status, type, code): never the key, the prompt or the endpoint's words.
            d.logger.warn({ conversation: params.id, failure: error.failure, ...error.details }, 'reply draft failed at the LLM endpoint');
            throw httpErrorOf(error, setHeader);
          }
        },
      },
    };
    return { api: { contract: draftRoutes, mount: (mounter) => mounter(api) } };
  },
});
