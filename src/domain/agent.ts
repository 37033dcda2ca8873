import { z } from 'zod';

export const AgentRole = z.enum(['admin', 'agent']);
export type AgentRole = z.infer<typeof AgentRole>;

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
