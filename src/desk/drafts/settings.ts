import { z } from 'zod';
import { Duration } from '../settings-types.js';

/** A draft waits this long for the endpoint unless `desk.llm.timeout` says otherwise. */
export const DEFAULT_TIMEOUT = '20s';
const MAX_TIMEOUT_MS = 120_000;

/**
 * `desk.llm`: an OpenAI-compatible endpoint. Absent = reply drafts are off, and nothing is ever
 * called. `apiKey` is a secret: write `${LLM_API_KEY}` in the channels file; the settings API
 * shows it masked.
 */
export const LlmSettings = z
  .object({
    baseUrl: z
      .url({ protocol: /^https?$/, error: 'an http(s) URL such as https://api.openai.com/v1' })
      .max(500)
      .refine((url) => !/[?#]/.test(url), 'a base URL without query or fragment (/chat/completions is appended)'),
    model: z.string().trim().min(1).max(200),
    // Unset in the environment, `${LLM_API_KEY}` leaves the field out: say what to do about it.
    apiKey: z
      .string({ error: 'required: the API key (write ${LLM_API_KEY} and set the variable)' })
      .trim()
      .min(1, 'required: the API key (write ${LLM_API_KEY} and set the variable)')
      .max(4_000),
    /** How long an agent's click waits for the draft (a duration: `20s`, `1m`; at most 2m). */
    timeout: z
      .string()
      .default(DEFAULT_TIMEOUT)
      .superRefine((text, ctx) => {
        const parsed = Duration.safeParse(text);
        if (!parsed.success) ctx.addIssue({ code: 'custom', message: parsed.error.issues[0]!.message });
        else if (parsed.data > MAX_TIMEOUT_MS) ctx.addIssue({ code: 'custom', message: 'at most 2m: an agent is waiting' });
      }),
  })
  .strict();
export type LlmSettings = z.infer<typeof LlmSettings>;

export const DraftsSettings = z.object({ llm: LlmSettings.optional() });
