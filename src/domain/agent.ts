import { z } from 'zod';

/** Additive (issue 18): `bot` is an agent bot — a team's own service answering through the API with its token. */
export const AgentRole = z.enum(['admin', 'agent', 'bot']);
export type AgentRole = z.infer<typeof AgentRole>;
/** The roles a person can have (a bot is created through `/api/agent-bots`, never with a password). */
export const HumanRole = z.enum(['admin', 'agent']);
export type HumanRole = z.infer<typeof HumanRole>;

/** A person (or admin) who answers customers, as the API shows them: never a password hash. */
export const Agent = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: AgentRole,
  active: z.boolean(),
  createdAt: z.string(),
});
export type Agent = z.infer<typeof Agent>;
