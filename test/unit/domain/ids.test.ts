import { afterEach, describe, expect, it, vi } from 'vitest';
import { newId } from '../../../src/domain/ids.js';

/** Crockford base32, lower case: digits and letters without i, l, o, u. */
const ID = /^[0-9abcdefghjkmnpqrstvwxyz]{26}$/;

afterEach(() => {
  vi.useRealTimers();
});

describe('newId', () => {
  it('is 26 characters of the Crockford base32 alphabet, without ":"', () => {
    for (let i = 0; i < 200; i++) {
      const id = newId();
      expect(id).toMatch(ID);
      expect(id).not.toContain(':');
    }
  });

  it('a prefix is joined with "_"', () => {
    expect(newId('msg')).toMatch(/^msg_[0-9abcdefghjkmnpqrstvwxyz]{26}$/);
  });

  it('an id from a later millisecond sorts after an earlier one', () => {
    vi.useFakeTimers();
    const times = [Date.UTC(2020, 0, 1), Date.UTC(2020, 0, 1) + 1, Date.UTC(2025, 5, 30, 12), Date.UTC(2099, 11, 31)];
    const ids = times.map((t) => {
      vi.setSystemTime(t);
      return newId();
    });
    expect([...ids].sort()).toEqual(ids);
  });

  it('10,000 ids are unique', () => {
    const ids = Array.from({ length: 10_000 }, () => newId());
    expect(new Set(ids).size).toBe(10_000);
  });

  it('ids made in the same millisecond still differ', () => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.UTC(2025, 0, 1));
    const ids = Array.from({ length: 1_000 }, () => newId());
    expect(new Set(ids).size).toBe(1_000);
  });
});
