import { z } from 'zod';
import { ChannelId } from '../domain/channel.js';

/** Fields every channel entry has (DESIGN §6); kinds extend this. */
export const baseChannelConfig = z.object({
  id: ChannelId,
  name: z.string().min(1).max(100).optional(),
});
