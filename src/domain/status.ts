import type { AttemptStatus, RolloutConfig, RolloutStatus } from './records';

/** Rollouts waiting in the queue. */
export function isQueuingLike(status: RolloutStatus): boolean {
  return status === 'queuing' || status === 'requeuing';
}

/** Rollouts held by an attempt; the only ones the watchdog looks at. */
export function isRunningLike(status: RolloutStatus): boolean {
  return status === 'preparing' || status === 'running';
}

/** Finished rollouts: they stay finished unless explicitly re-queued. */
export function isTerminalRollout(status: RolloutStatus): boolean {
  return status === 'failed' || status === 'succeeded' || status === 'cancelled';
}

/** Attempts that are executing; the watchdog checks these. */
export function isActiveAttempt(status: AttemptStatus): boolean {
  return status === 'preparing' || status === 'running';
}

/** Attempt statuses that stamp end_time (all but the active ones). */
export function isEndedAttempt(status: AttemptStatus): boolean {
  return !isActiveAttempt(status);
}

/**
 * Attempt transitions an update may make. Succeeded and failed are final; a timed-out attempt may still
 * report its late verdict; an unresponsive attempt may come back to running.
 */
const ATTEMPT_TRANSITIONS: Readonly<Record<AttemptStatus, readonly AttemptStatus[]>> = {
  preparing: ['running', 'failed', 'succeeded', 'unresponsive', 'timeout'],
  running: ['failed', 'succeeded', 'unresponsive', 'timeout'],
  unresponsive: ['running', 'failed', 'succeeded', 'timeout'],
  timeout: ['failed', 'succeeded'],
  failed: [],
  succeeded: [],
};

/** True when an attempt may move from `from` to `to` (a different status). */
export function canMoveAttempt(from: AttemptStatus, to: AttemptStatus): boolean {
  return ATTEMPT_TRANSITIONS[from].includes(to);
}

/**
 * The rollout status implied by its latest attempt's status (reference §2.3, COMPAT): a failure,
 * timeout or silence retries while the status is in `retry_condition` and the attempt's sequence id is
 * below `max_attempts`; otherwise the rollout fails.
 */
export function rolloutStatusFromAttempt(
  status: AttemptStatus,
  sequenceId: number,
  config: RolloutConfig,
): RolloutStatus {
  switch (status) {
    case 'preparing':
    case 'running':
    case 'succeeded':
      return status;
    case 'failed':
    case 'timeout':
    case 'unresponsive':
      return config.retryCondition.includes(status) && sequenceId < config.maxAttempts ? 'requeuing' : 'failed';
  }
}
