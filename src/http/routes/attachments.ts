import express, { Router } from 'express';
import { agentUploadScope } from '../../domain/attachment.js';
import { toAttachment, agentAttachmentUrl } from '../../store/mappers.js';
import { getAttachmentRow, saveUpload } from '../../store/uploads.js';
import type { HttpDeps } from '../deps.js';
import { HttpError } from '../errors.js';
import { agentOf, requireAgent } from '../middleware/auth.js';
import { readUpload, sendAttachment } from '../uploads.js';

/** Agents upload files for replies, and download any attachment (authenticated URLs only). */
export function attachmentRoutes(deps: HttpDeps): Router {
  const router = Router();
  const auth = requireAgent(deps.db);
  const raw = express.raw({ type: () => true, limit: deps.attachmentMaxBytes });

  router.post('/api/attachments', auth, raw, async (req, res) => {
    const upload = readUpload(req);
    const row = await saveUpload(deps.db, deps.attachments, { ...upload, owner: agentUploadScope(agentOf(req).id) });
    res.status(201).json(toAttachment(row, agentAttachmentUrl));
  });

  router.get('/api/attachments/:id', auth, async (req, res) => {
    const row = await getAttachmentRow(deps.db, String(req.params.id));
    const agent = agentOf(req);
    // Unlinked uploads are visible only to their uploader; linked ones to every agent.
    if (!row || (row.message_id === null && row.owner !== agentUploadScope(agent.id))) throw new HttpError(404, 'not_found', 'attachment not found');
    await sendAttachment(res, deps.attachments, row);
  });
  return router;
}
