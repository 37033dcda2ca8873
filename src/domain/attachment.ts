import { z } from 'zod';

export const AttachmentKind = z.enum(['image', 'audio', 'video', 'file', 'location', 'sticker']);
export type AttachmentKind = z.infer<typeof AttachmentKind>;

/** An attachment as the API shows it (DESIGN §5); `url` is an authenticated download link. */
export const Attachment = z.object({
  id: z.string(),
  kind: AttachmentKind,
  name: z.string().optional(),
  mimeType: z.string().optional(),
  size: z.number().int().nonnegative().optional(),
  url: z.string(),
  /** Additive: still being downloaded from the platform. */
  pending: z.boolean().optional(),
  /** Additive: why the file could not be fetched (e.g. over the platform's download limit). */
  error: z.string().optional(),
});
export type Attachment = z.infer<typeof Attachment>;

/** Attachment reference carried by an InboundMessage before the file is in our store. */
export const InboundAttachment = z.object({
  kind: AttachmentKind,
  name: z.string().max(255).optional(),
  mimeType: z.string().max(255).optional(),
  size: z.number().int().nonnegative().optional(),
  /** Already in our attachment store (webchat uploads). */
  storedId: z.string().optional(),
  /** Platform reference to fetch later in a worker (Telegram file_id, WeChat MediaId, URL, …). */
  remote: z.string().max(4096).optional(),
  /** For locations. */
  latitude: z.number().optional(),
  longitude: z.number().optional(),
});
export type InboundAttachment = z.infer<typeof InboundAttachment>;

export function kindFromMime(mime: string | undefined): AttachmentKind {
  if (!mime) return 'file';
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('audio/')) return 'audio';
  if (mime.startsWith('video/')) return 'video';
  return 'file';
}

/** Owner of files a customer uploaded before sending them: only that sender can attach them. */
export const senderUploadScope = (channelId: string, senderExternalId: string): string => `sender:${channelId}:${senderExternalId}`;
export const agentUploadScope = (agentId: string): string => `agent:${agentId}`;
