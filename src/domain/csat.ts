import { z } from 'zod';

/** A satisfaction score: 1 (poor) to 5 (excellent). */
export const CsatRating = z.number().int().min(1).max(5);
export type CsatRating = z.infer<typeof CsatRating>;

/** How the customer answered: a tap on the channel's buttons or menu, a typed number, a signed link. */
export const CsatVia = z.enum(['tap', 'text', 'link']);
export type CsatVia = z.infer<typeof CsatVia>;

/** The newest survey answer of a conversation (DESIGN §10 `csat`). */
export const ConversationCsat = z.object({
  rating: CsatRating,
  comment: z.string().nullable(),
  ratedAt: z.string(),
  /** Additive: how the customer answered. */
  via: CsatVia.optional(),
});
export type ConversationCsat = z.infer<typeof ConversationCsat>;

/** Scores that reopen the conversation for a supervisor's look (issue 15: 1–2). */
export const isLowRating = (rating: number): boolean => rating <= 2;
