/**
 * The one backoff formula (DESIGN §4): retry `attempt` (1, 2, …) waits `baseMs · 2^(attempt-1)`,
 * capped, with equal jitter (half fixed, half random) so retries of many jobs or processes after
 * one outage do not arrive together. The queues' retries, local-dependency retries of the pull
 * channels and connector restarts all use it, with their own base and cap.
 */
export interface Backoff {
  readonly baseMs?: number;
  readonly capMs?: number;
}

export function backoffMs(attempt: number, { baseMs = 1_000, capMs = 60_000 }: Backoff = {}): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
