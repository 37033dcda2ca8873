import { z } from 'zod';
import { defineContract } from '../../api/route.js';
import { request, response } from '../../api/schemas.js';

/** Transcripts for the customer (issue 17, part 3). */

export const TranscriptRequest = request(
  'TranscriptRequest',
  z
    .object({
      via: z.enum(['email', 'channel']).describe("`channel`: a file on the conversation's own channel; `email`: through the configured email channel."),
      to: z.email().max(320).optional().describe("For `email`: where to send it. Default: the customer's email address."),
      format: z.enum(['pdf', 'html']).default('pdf'),
      lang: z.enum(['en', 'zh']).optional().describe("Default: the customer's language, from what they wrote."),
    })
    .strict(),
);

export const TranscriptAccepted = response(
  'TranscriptAccepted',
  z.object({
    messageId: z.string().describe('The message that carries (or records) the transcript in the conversation.'),
    via: z.enum(['email', 'channel']),
    channelId: z.string().describe('The channel that delivers it.'),
  }),
);

export const transcriptRoutes = defineContract({
  sendTranscript: {
    method: 'post',
    path: '/api/conversations/:id/transcript',
    tags: ['conversations'],
    summary: 'Send the customer a transcript of the conversation',
    description:
      "Additive (issue 17). Renders what the customer saw — no internal notes, no system lines; secrets were never stored and each place one was removed shows a marker — in the customer's language, as a PDF (CJK font embedded) or a self-contained HTML file. `channel`: sent like an agent's reply with a file (409 when the channel cannot send files). `email`: an email conversation's own mailbox answers in its thread; other conversations go through the configured email channel (409 when there is none), and the conversation records the sending as the agent's message. 400 `to` when the customer has no email address.",
    auth: 'agent',
    params: z.object({ id: z.string().max(64) }),
    body: TranscriptRequest,
    response: { kind: 'json', status: 202, schema: TranscriptAccepted, description: 'Queued for sending.' },
    errors: [400, 401, 404, 409, 413, 422, 503],
  },
});
