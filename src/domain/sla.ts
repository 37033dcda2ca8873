import { z } from 'zod';

/** Service levels (DESIGN §10, issue 14): what a conversation is held to and how it is doing. */

export const SlaMetric = z.enum(['firstResponse', 'nextResponse', 'resolution']);
export type SlaMetric = z.infer<typeof SlaMetric>;

/** One target's clock, as stored by the desk (`src/desk/sla/clock.ts` runs them). */
export interface SlaClock {
  /** What it started from: the conversation's start, or the customer message a next response answers. */
  readonly startedAt: string;
  readonly targetMs: number;
  /** Business time used before `runningSince` (the spans it ran and was paused since). */
  readonly usedMs: number;
  /** Running since (null: paused, or stopped). */
  readonly runningSince: string | null;
  /** When the target runs out, while running. */
  readonly dueAt: string | null;
  /** When 90 % of the target is used, while running and not yet warned. */
  readonly warnAt: string | null;
  readonly warnedAt: string | null;
  readonly breachedAt: string | null;
  /** Met or ended (first reply): kept to show, never running again. */
  readonly stoppedAt: string | null;
}

/** A conversation's stored clocks (the `sla` column). */
export interface SlaState {
  readonly policy: string;
  readonly always: boolean;
  readonly clocks: Partial<Record<SlaMetric, SlaClock>>;
  /** Every breach so far, oldest first. */
  readonly breaches: readonly { readonly metric: SlaMetric; readonly at: string }[];
}

export const SlaClockView = z.object({
  metric: SlaMetric,
  targetMs: z.number().int(),
  state: z.enum(['running', 'paused', 'met']),
  /** While running: when the target runs out (past when breached). */
  dueAt: z.string().nullable(),
  /** Business time left (negative once breached; at pause time while paused). */
  leftMs: z.number().int(),
  breachedAt: z.string().nullable(),
  metAt: z.string().nullable(),
  /** While running and not yet warned: when 90 % of the target will be used (business time), the "due in 10 %" moment. */
  warnAt: z.string().nullable(),
  /** When 90 % was used, if it was. */
  warnedAt: z.string().nullable(),
});

/** `Conversation.sla` (DESIGN §10); `clocks` and `always` are additive. */
export const ConversationSla = z.object({
  policy: z.string(),
  firstResponseDueAt: z.string().nullable(),
  nextResponseDueAt: z.string().nullable(),
  resolutionDueAt: z.string().nullable(),
  breaches: z.array(z.object({ metric: SlaMetric, at: z.string() })),
  /** Business time unless true (every hour counts). */
  always: z.boolean(),
  clocks: z.array(SlaClockView),
});
export type ConversationSla = z.infer<typeof ConversationSla>;

/** The stored clocks as the API shows them. */
export function slaView(state: SlaState | null | undefined): ConversationSla | null {
  if (!state) return null;
  const clocks = SlaMetric.options.flatMap((metric) => {
    const clock = state.clocks[metric];
    if (!clock) return [];
    const status = clock.stoppedAt !== null ? 'met' : clock.runningSince !== null ? 'running' : 'paused';
    return [
      {
        metric,
        targetMs: clock.targetMs,
        state: status,
        dueAt: clock.dueAt,
        leftMs: Math.round(clock.targetMs - clock.usedMs),
        breachedAt: clock.breachedAt,
        metAt: clock.stoppedAt,
        warnAt: clock.warnAt,
        warnedAt: clock.warnedAt,
      } as const,
    ];
  });
  const dueOf = (metric: SlaMetric) => state.clocks[metric]?.dueAt ?? null;
  return {
    policy: state.policy,
    firstResponseDueAt: dueOf('firstResponse'),
    nextResponseDueAt: dueOf('nextResponse'),
    resolutionDueAt: dueOf('resolution'),
    breaches: [...state.breaches],
    always: state.always,
    clocks,
  };
}
