import { z } from 'zod';

/** Value types of `desk:` settings, shared by the features (DESIGN §10). */

/** `true`/`false`, also as the strings a `${VAR}` from the environment yields. */
export const flag = z.union([z.boolean(), z.stringbool()]);


const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * DESIGN §10's durations: `90s`, `15m`, `4h`, `2d` (whole numbers, one unit), as milliseconds.
 * At most a year, at least a second.
 */
export const Duration = z
  .string()
  .trim()
  .regex(/^\d{1,6}[smhd]$/, 'a duration such as 90s, 15m, 4h or 2d')
  .transform((text) => Number(text.slice(0, -1)) * UNIT_MS[text.slice(-1) as keyof typeof UNIT_MS])
  .refine((ms) => ms >= 1_000 && ms <= 366 * UNIT_MS.d, 'between 1s and 366d');

/** Checks a duration string without turning it into milliseconds (for settings stored as typed). */
export const DurationText = z.string().superRefine((text, ctx) => {
  const result = Duration.safeParse(text);
  if (!result.success) ctx.addIssue({ code: 'custom', message: result.error.issues[0]!.message });
});

const parsedDurations = new Map<string, number>();

/**
 * Milliseconds of a duration string already checked by `DurationText`. Asked for every new
 * conversation's targets (in the ingest), so each distinct string is parsed once.
 */
export function msOf(text: string): number {
  let ms = parsedDurations.get(text);
  if (ms === undefined) {
    ms = Duration.parse(text);
    if (parsedDurations.size < 1_000) parsedDurations.set(text, ms);
  }
  return ms;
}
