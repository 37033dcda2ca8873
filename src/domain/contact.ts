import { z } from 'zod';

export const ContactIdentity = z.object({
  channelId: z.string(),
  externalId: z.string(),
  handle: z.string().nullable().optional(),
});

export const Contact = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().optional(),
  avatarUrl: z.string().optional(),
  identities: z.array(ContactIdentity),
});
export type Contact = z.infer<typeof Contact>;
