import { attachmentFor, uploadForReply } from '../../inbox/queries.js';
import type { HttpDeps } from '../deps.js';
import { storedFile } from '../uploads.js';
import type { CoreHandlers } from './handlers.js';

/** Agents upload files for replies, and download any attachment (authenticated URLs only). */
export function attachmentHandlers(deps: HttpDeps): Pick<CoreHandlers, 'uploadAttachment' | 'downloadAttachment'> {
  return {
    uploadAttachment: ({ agent, body }) => uploadForReply(deps, agent, body),
    downloadAttachment: async ({ agent, params }) => storedFile(deps.attachments, await attachmentFor(deps, agent, params.id)),
  };
}
