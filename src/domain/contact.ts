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
  /** Additive (issue 17): the app's own id for this person, set only through a verified link. */
  userId: z.string().nullable(),
});
export type Contact = z.infer<typeof Contact>;
