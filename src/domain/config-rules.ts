import { invalidArgument } from './errors';
import type { AttemptStatus, RolloutConfig } from './records';

/** The policy of a rollout created without one: no timeouts, one attempt, no retries. */
export const DEFAULT_CONFIG: RolloutConfig = {
  timeoutSeconds: null,
  unresponsiveSeconds: null,
  maxAttempts: 1,
  retryCondition: [],
};

function checkSeconds(value: number | null, field: string): number | null {
  if (value === null) return null;
  if (!Number.isFinite(value) || value < 0) throw invalidArgument(`${field} must be a finite number >= 0, got ${value}`);
  return value;
}

/** Validates a rollout policy; duplicate retry conditions are dropped. Throws INVALID_ARGUMENT. */
export function checkConfig(config: RolloutConfig): RolloutConfig {
  if (!Number.isInteger(config.maxAttempts) || config.maxAttempts < 1) {
    throw invalidArgument(`config.max_attempts must be an integer >= 1, got ${config.maxAttempts}`);
  }
  const retryCondition: AttemptStatus[] = [];
  for (const status of config.retryCondition) if (!retryCondition.includes(status)) retryCondition.push(status);
  return {
    timeoutSeconds: checkSeconds(config.timeoutSeconds, 'config.timeout_seconds'),
    unresponsiveSeconds: checkSeconds(config.unresponsiveSeconds, 'config.unresponsive_seconds'),
    maxAttempts: config.maxAttempts,
    retryCondition,
  };
}
