import type { RolloutChange, WorkerChange } from './changes';
import { noChange } from './changes';
import { DEFAULT_CONFIG } from './config-rules';
import { failedPrecondition } from './errors';
import { attemptNotFound, noAttempts } from './messages';
import { EMPTY_OBJECT, JSON_NULL } from './json';
import type {
  Attempt,
  AttemptStatus,
  AttemptedRollout,
  JsonText,
  Rollout,
  RolloutAggregate,
  RolloutConfig,
  RolloutMode,
  RolloutSpec,
  RolloutStatus,
} from './records';
import {
  canMoveAttempt,
  isActiveAttempt,
  isEndedAttempt,
  isQueuingLike,
  isRunningLike,
  isTerminalRollout,
  rolloutStatusFromAttempt,
} from './status';
import { workerBusy, workerReleased } from './worker-rules';

/** The latest attempt (highest sequence id) of an aggregate, or null. */
export function latestAttempt(agg: RolloutAggregate): Attempt | null {
  return agg.attempts[agg.attempts.length - 1] ?? null;
}

/** A rollout with its latest attempt. */
export function toAttemptedRollout(agg: RolloutAggregate): AttemptedRollout {
  return { rollout: agg.rollout, attempt: latestAttempt(agg) };
}

function newAttempt(rolloutId: string, attemptId: string, sequenceId: number, workerId: string | null, now: number): Attempt {
  return {
    rolloutId,
    attemptId,
    sequenceId,
    startTime: now,
    endTime: null,
    status: 'preparing',
    workerId,
    lastHeartbeatTime: null,
    metadata: JSON_NULL,
  };
}

/**
 * A new rollout from a validated spec. Queued rollouts start as `queuing`; a started one is `preparing`
 * with attempt #1 (same start time) held by `workerId`.
 */
export function createRollout(
  spec: RolloutSpec,
  rolloutId: string,
  now: number,
  start: { attemptId: string; workerId: string | null } | null,
): RolloutAggregate {
  const rollout: Rollout = {
    rolloutId,
    input: spec.input,
    startTime: now,
    endTime: null,
    mode: spec.mode,
    resourcesId: spec.resourcesId,
    status: start ? 'preparing' : 'queuing',
    config: spec.config ?? DEFAULT_CONFIG,
    metadata: spec.metadata ?? EMPTY_OBJECT,
  };
  const attempts = start ? [newAttempt(rolloutId, start.attemptId, 1, start.workerId, now)] : [];
  return { rollout, attempts };
}

/** Worker changes for a new active attempt. */
function busyChanges(attempt: Attempt, now: number, viaDequeue: boolean): WorkerChange[] {
  return attempt.workerId ? [workerBusy(attempt.workerId, attempt.rolloutId, attempt.attemptId, now, viaDequeue)] : [];
}

/** Adds a new `preparing` attempt and moves the rollout to `preparing`. */
function addAttempt(
  agg: RolloutAggregate,
  attemptId: string,
  workerId: string | null,
  now: number,
  viaDequeue: boolean,
): RolloutChange<AttemptedRollout> {
  const sequenceId = (latestAttempt(agg)?.sequenceId ?? 0) + 1;
  const attempt = newAttempt(agg.rollout.rolloutId, attemptId, sequenceId, workerId, now);
  const rollout: Rollout = { ...agg.rollout, status: 'preparing' };
  return {
    next: { rollout, attempts: [...agg.attempts, attempt] },
    enqueue: false,
    workers: busyChanges(attempt, now, viaDequeue),
    result: { rollout, attempt },
  };
}

/** Dequeue: claims a queued rollout by creating its next attempt. The caller picks a queued rollout. */
export function claimRollout(
  agg: RolloutAggregate,
  attemptId: string,
  workerId: string | null,
  now: number,
): RolloutChange<AttemptedRollout> {
  if (!isQueuingLike(agg.rollout.status)) {
    throw failedPrecondition(`Rollout ${agg.rollout.rolloutId} is ${agg.rollout.status}, not queued`);
  }
  return addAttempt(agg, attemptId, workerId, now, true);
}

/** start_attempt: a new attempt for a rollout that is not finished; max_attempts does not apply. */
export function startAttempt(
  agg: RolloutAggregate,
  attemptId: string,
  workerId: string | null,
  now: number,
): RolloutChange<AttemptedRollout> {
  if (isTerminalRollout(agg.rollout.status)) {
    throw failedPrecondition(
      `Rollout ${agg.rollout.rolloutId} is ${agg.rollout.status}; a finished rollout takes no new attempt (re-queue it first)`,
    );
  }
  return addAttempt(agg, attemptId, workerId, now, false);
}

/** Fields of update_rollout; a present key is written (null clears), an absent key is left alone. */
export interface RolloutUpdate {
  readonly input?: JsonText;
  readonly mode?: RolloutMode | null;
  readonly resourcesId?: string | null;
  readonly status?: RolloutStatus;
  readonly config?: RolloutConfig;
  readonly metadata?: JsonText;
}

/** The status part of a rollout update: what the state machine allows, with end time and queueing. */
function moveRollout(
  agg: RolloutAggregate,
  to: RolloutStatus,
  now: number,
): { status: RolloutStatus; endTime: number | null; enqueue: boolean } {
  const { rollout } = agg;
  const from = rollout.status;
  if (to === from) return { status: from, endTime: rollout.endTime, enqueue: false };
  if (isTerminalRollout(from) && !isQueuingLike(to)) {
    throw failedPrecondition(`Rollout ${rollout.rolloutId} is ${from}; a finished rollout can only be re-queued, not set to ${to}`);
  }
  if (isRunningLike(to) && agg.attempts.length === 0) {
    throw failedPrecondition(`Rollout ${rollout.rolloutId} has no attempt and cannot be ${to}`);
  }
  return {
    status: to,
    endTime: isTerminalRollout(to) ? now : null,
    enqueue: isQueuingLike(to) && !isQueuingLike(from),
  };
}

/** update_rollout: writes the given fields; status changes follow the rollout state machine. */
export function updateRollout(agg: RolloutAggregate, update: RolloutUpdate, now: number): RolloutChange<Rollout> {
  const moved = update.status === undefined ? null : moveRollout(agg, update.status, now);
  const rollout: Rollout = {
    ...agg.rollout,
    ...(update.input !== undefined ? { input: update.input } : {}),
    ...(update.mode !== undefined ? { mode: update.mode } : {}),
    ...(update.resourcesId !== undefined ? { resourcesId: update.resourcesId } : {}),
    ...(update.config !== undefined ? { config: update.config } : {}),
    ...(update.metadata !== undefined ? { metadata: update.metadata } : {}),
    ...(moved ? { status: moved.status, endTime: moved.endTime } : {}),
  };
  return { next: { rollout, attempts: agg.attempts }, enqueue: moved?.enqueue ?? false, workers: [], result: rollout };
}

/** Fields of update_attempt; a present key is written (null clears), an absent key is left alone. */
export interface AttemptUpdate {
  readonly status?: AttemptStatus;
  readonly workerId?: string | null;
  readonly lastHeartbeatTime?: number | null;
  readonly metadata?: JsonText;
}

/** Finds the attempt named by `attemptRef` ("latest" or an id). Throws NOT_FOUND. */
export function findAttempt(agg: RolloutAggregate, attemptRef: string): Attempt {
  const { rolloutId } = agg.rollout;
  if (agg.attempts.length === 0) throw noAttempts(rolloutId);
  const found = attemptRef === 'latest' ? latestAttempt(agg) : agg.attempts.find((a) => a.attemptId === attemptRef);
  if (!found) throw attemptNotFound(rolloutId, attemptRef);
  return found;
}

function attemptStatusChange(attempt: Attempt, to: AttemptStatus, now: number): Partial<Attempt> {
  if (to === attempt.status) return {};
  if (!canMoveAttempt(attempt.status, to)) {
    throw failedPrecondition(
      `Attempt ${attempt.attemptId} of rollout ${attempt.rolloutId} is ${attempt.status} and cannot become ${to}`,
    );
  }
  return { status: to, endTime: isEndedAttempt(to) ? now : null };
}

/** The rollout after its latest attempt moved to `attempt.status` (unchanged once finished). */
function propagate(rollout: Rollout, attempt: Attempt, now: number): { rollout: Rollout; enqueue: boolean } {
  if (isTerminalRollout(rollout.status)) return { rollout, enqueue: false };
  const status = rolloutStatusFromAttempt(attempt.status, attempt.sequenceId, rollout.config);
  if (status === rollout.status) return { rollout, enqueue: false };
  return {
    rollout: { ...rollout, status, endTime: isTerminalRollout(status) ? now : null },
    enqueue: isQueuingLike(status) && !isQueuingLike(rollout.status),
  };
}

/** Worker changes after an attempt update (reference §3.8 sync rule, plus release on hand-over). */
function attemptWorkerChanges(before: Attempt, after: Attempt, update: AttemptUpdate, now: number): WorkerChange[] {
  const changes: WorkerChange[] = [];
  const { rolloutId, attemptId } = after;
  if (before.workerId && before.workerId !== after.workerId) {
    changes.push(workerReleased(before.workerId, rolloutId, attemptId, 'unknown', now));
  }
  const named = typeof update.workerId === 'string' && update.workerId !== '';
  if (!after.workerId || !(named || update.status !== undefined)) return changes;
  if (isActiveAttempt(after.status)) changes.push(workerBusy(after.workerId, rolloutId, attemptId, now, false));
  else {
    const verdict = after.status === 'succeeded' || after.status === 'failed';
    changes.push(workerReleased(after.workerId, rolloutId, attemptId, verdict ? 'idle' : 'unknown', now));
  }
  return changes;
}

/**
 * update_attempt: writes the given fields; a status change follows the attempt state machine and, on
 * the latest attempt of an unfinished rollout, propagates to the rollout (reference §2.3).
 */
export function updateAttempt(
  agg: RolloutAggregate,
  attemptRef: string,
  update: AttemptUpdate,
  now: number,
): RolloutChange<Attempt> {
  const before = findAttempt(agg, attemptRef);
  const after: Attempt = {
    ...before,
    // "" is kept as given, as in the reference (null, not "", is how a caller clears the worker).
    ...(update.workerId !== undefined ? { workerId: update.workerId } : {}),
    ...(update.lastHeartbeatTime !== undefined ? { lastHeartbeatTime: update.lastHeartbeatTime } : {}),
    ...(update.metadata !== undefined ? { metadata: update.metadata } : {}),
    ...(update.status !== undefined ? attemptStatusChange(before, update.status, now) : {}),
  };
  const isLatest = latestAttempt(agg)?.attemptId === after.attemptId;
  const { rollout, enqueue } =
    isLatest && after.status !== before.status ? propagate(agg.rollout, after, now) : { rollout: agg.rollout, enqueue: false };
  const attempts = agg.attempts.map((a) => (a.attemptId === after.attemptId ? after : a));
  return {
    next: { rollout, attempts },
    enqueue,
    workers: attemptWorkerChanges(before, after, update, now),
    result: after,
  };
}

/**
 * Spans arrived for an attempt (reference §4.2): its heartbeat moves to `now`, a preparing or
 * unresponsive attempt becomes running, and when it is the latest attempt the rollout becomes running if
 * it was preparing, or queued after that attempt went unresponsive. Finished rollouts and timed-out
 * attempts keep their status. Returns no change if the attempt does not exist.
 */
export function heartbeatAttempt(agg: RolloutAggregate, attemptId: string, now: number): RolloutChange<void> {
  const before = agg.attempts.find((a) => a.attemptId === attemptId);
  if (!before) return noChange(undefined);
  const revive = before.status === 'preparing' || before.status === 'unresponsive';
  const after: Attempt = {
    ...before,
    lastHeartbeatTime: now,
    ...(revive ? { status: 'running', endTime: null } : {}),
  };
  const { rollout } = agg;
  // A queued rollout is taken back only by the revival of its unresponsive latest attempt (reference
  // §2.7 quirk 3); a rollout someone re-queued explicitly is not grabbed by a stale attempt's spans.
  const promote =
    after.status === 'running' &&
    latestAttempt(agg)?.attemptId === attemptId &&
    (rollout.status === 'preparing' || (isQueuingLike(rollout.status) && before.status === 'unresponsive'));
  return {
    next: {
      rollout: promote ? { ...rollout, status: 'running' } : rollout,
      attempts: agg.attempts.map((a) => (a.attemptId === attemptId ? after : a)),
    },
    enqueue: false,
    workers: [],
    result: undefined,
  };
}
