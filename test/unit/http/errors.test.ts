import { describe, expect, it } from 'vitest';
import { isUnavailable } from '../../../src/http/errors.js';

describe('which errors mean "the database is unavailable, retry" (503) rather than a bug (500)', () => {
  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001'])('%s is unavailable', (code) => {
    expect(isUnavailable(Object.assign(new Error('x'), { code }))).toBe(true);
  });

  it.each(['23505', '42P01', '22P02', undefined, 57])('%s is not', (code) => {
    expect(isUnavailable(Object.assign(new Error('x'), { code }))).toBe(false);
  });

  it('non-objects are not', () => {
    expect(isUnavailable(null)).toBe(false);
    expect(isUnavailable('ECONNREFUSED')).toBe(false);
  });
});
