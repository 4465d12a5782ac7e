import { backoffDelayMs, DEFAULT_RETRY_POLICY, retryPolicy } from '../../src/client/retry';

describe('retry policy', () => {
  const policy = retryPolicy({ initialBackoffMs: 100, maxBackoffMs: 1000, backoffMultiplier: 2 });

  it('draws each backoff uniformly below a ceiling that doubles per retry up to the maximum', () => {
    const nearlyOne = (): number => 0.999999;
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffDelayMs(retry, policy, nearlyOne))).toEqual([99, 199, 399, 799, 999, 999]);
    expect([1, 3, 6].map((retry) => backoffDelayMs(retry, policy, () => 0))).toEqual([0, 0, 0]);
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(200);
  });

  it('fills defaults and refuses settings that cannot work', () => {
    expect(retryPolicy()).toEqual(DEFAULT_RETRY_POLICY);
    expect(retryPolicy({ maxAttempts: 2 })).toEqual({ ...DEFAULT_RETRY_POLICY, maxAttempts: 2 });
    expect(() => retryPolicy({ maxAttempts: 0 })).toThrow(RangeError);
    expect(() => retryPolicy({ maxAttempts: 1.5 })).toThrow(RangeError);
    expect(() => retryPolicy({ initialBackoffMs: 200, maxBackoffMs: 100 })).toThrow(RangeError);
    expect(() => retryPolicy({ backoffMultiplier: 0.5 })).toThrow(RangeError);
    expect(() => retryPolicy({ initialBackoffMs: -1 })).toThrow(RangeError);
  });
});
