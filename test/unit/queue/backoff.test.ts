import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffMs } from '../../../src/channels/kit/backoff.js';

afterEach(() => {
  vi.restoreAllMocks();
});

const ceiling = (attempts: number, base: number, cap: number): number => Math.min(cap, base * 2 ** Math.max(0, attempts - 1));

describe('backoffMs', () => {
  it.each([
    [1, 1_000, 60_000],
    [2, 1_000, 60_000],
    [5, 1_000, 60_000],
    [7, 1_000, 60_000],
    [10, 1_000, 60_000],
    [3, 250, 5_000],
    [50, 1_000, 60_000],
  ])('attempt %i (base %i, cap %i) stays within [ceiling/2, ceiling] over 2000 samples', (attempts, base, cap) => {
    const top = ceiling(attempts, base, cap);
    const samples = Array.from({ length: 2_000 }, () => backoffMs(attempts, { baseMs: base, capMs: cap }));
    expect(samples.filter((d) => d < top / 2 || d > top)).toEqual([]);
  });

  it('grows with the attempt number until the cap', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    expect([1, 2, 3, 4, 7, 8, 50].map((a) => backoffMs(a, { baseMs: 1_000, capMs: 60_000 }))).toEqual([500, 1_000, 2_000, 4_000, 30_000, 30_000, 30_000]);
  });

  it('attempt 50 never exceeds the cap, even at the top of the jitter', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999_999_999);
    expect(backoffMs(50, { baseMs: 1_000, capMs: 60_000 })).toBeLessThanOrEqual(60_000);
    expect(backoffMs(50, { baseMs: 1_000, capMs: 60_000 })).toBeGreaterThan(59_000);
  });

  it('is jittered: samples for one attempt are not all equal', () => {
    const samples = new Set(Array.from({ length: 100 }, () => backoffMs(6, { baseMs: 1_000, capMs: 60_000 })));
    expect(samples.size).toBeGreaterThan(1);
  });
});
