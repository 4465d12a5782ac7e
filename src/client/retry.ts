/** When and how often the client resends a retry-safe call that failed with UNAVAILABLE. */
export interface RetryPolicy {
  /** Most times a call is sent, the first included; 1 disables retries; default 5. */
  readonly maxAttempts: number;
  /** Upper bound of the first backoff in milliseconds; default 100. */
  readonly initialBackoffMs: number;
  /** Largest upper bound of a backoff in milliseconds; default 5000. */
  readonly maxBackoffMs: number;
  /** Growth of the upper bound per retry; default 2. */
  readonly backoffMultiplier: number;
}

/** The default retry policy. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  initialBackoffMs: 100,
  maxBackoffMs: 5000,
  backoffMultiplier: 2,
};

/** The default policy with `overrides`; throws RangeError on a value that cannot work. */
export function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const policy = { ...DEFAULT_RETRY_POLICY, ...overrides };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1) {
    throw new RangeError(`retry maxAttempts must be an integer >= 1, got ${policy.maxAttempts}`);
  }
  if (!(policy.initialBackoffMs >= 0) || !(policy.maxBackoffMs >= policy.initialBackoffMs) || !(policy.backoffMultiplier >= 1)) {
    throw new RangeError('retry backoff needs 0 <= initialBackoffMs <= maxBackoffMs and backoffMultiplier >= 1');
  }
  return policy;
}

/**
 * The pause before retry number `retry` (1 for the first resend): exponential backoff with full jitter,
 * a uniform draw from [0, min(maxBackoffMs, initialBackoffMs * backoffMultiplier^(retry-1))). `random`
 * returns a number in [0, 1).
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * policy.backoffMultiplier ** (retry - 1));
  return Math.floor(random() * ceiling);
}
