import { z } from 'zod';
import { ChannelId } from '../domain/channel.js';

/** Fields every channel entry has (DESIGN §6); kinds extend this. */
export const baseChannelConfig = z.object({
  id: ChannelId,
  name: z.string().min(1).max(100).optional(),
  /**
   * Acknowledgement sent automatically when a customer opens a new conversation ("we got your
   * message, reference …"). Never sent in answer to automated messages (auto-replies, lists).
   */
  autoReply: z.string().min(1).max(4000).optional(),
});
export type BaseChannelConfig = z.infer<typeof baseChannelConfig>;
