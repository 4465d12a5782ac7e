import type { RolloutChange } from './changes';
import { noChange } from './changes';
import type { AttemptStatus, RolloutAggregate } from './records';
import { latestAttempt, updateAttempt } from './rollout-rules';
import { isActiveAttempt, isRunningLike } from './status';

/** The attempt the watchdog watches: the active latest attempt of a rollout that is preparing or running. */
function watched(agg: RolloutAggregate) {
  const attempt = latestAttempt(agg);
  if (!attempt || !isRunningLike(agg.rollout.status) || !isActiveAttempt(attempt.status)) return null;
  return attempt;
}

/**
 * The earliest time at which the watchdog could act on this rollout, or null if it never will in the
 * current state. Backends index this value so that a scan reads only rollouts that are due.
 */
export function watchDeadline(agg: RolloutAggregate): number | null {
  const attempt = watched(agg);
  if (!attempt) return null;
  const { timeoutSeconds, unresponsiveSeconds } = agg.rollout.config;
  const candidates: number[] = [];
  if (timeoutSeconds !== null) candidates.push(attempt.startTime + timeoutSeconds);
  if (unresponsiveSeconds !== null) candidates.push((attempt.lastHeartbeatTime ?? attempt.startTime) + unresponsiveSeconds);
  return candidates.length === 0 ? null : Math.min(...candidates);
}

/**
 * The watchdog's verdict at `now` (reference §4.3): TIMEOUT when the attempt has run longer than
 * timeout_seconds since it started; otherwise UNRESPONSIVE when it has been silent longer than
 * unresponsive_seconds since its last heartbeat (or its start, if it never sent one).
 */
export function watchdogVerdict(agg: RolloutAggregate, now: number): AttemptStatus | null {
  const attempt = watched(agg);
  if (!attempt) return null;
  const { timeoutSeconds, unresponsiveSeconds } = agg.rollout.config;
  if (timeoutSeconds !== null && now - attempt.startTime > timeoutSeconds) return 'timeout';
  if (unresponsiveSeconds !== null && now - (attempt.lastHeartbeatTime ?? attempt.startTime) > unresponsiveSeconds) {
    return 'unresponsive';
  }
  return null;
}

/** Applies the watchdog's verdict as an ordinary attempt update; no change when nothing is due. */
export function applyWatchdog(agg: RolloutAggregate, now: number): RolloutChange<AttemptStatus | null> {
  const verdict = watchdogVerdict(agg, now);
  if (verdict === null) return noChange(null);
  const change = updateAttempt(agg, 'latest', { status: verdict }, now);
  return { ...change, result: verdict };
}
