import type { WorkerChange } from './changes';
import { JSON_NULL } from './json';
import type { JsonText, Worker } from './records';

/** A worker record seen for the first time (status unknown, nothing recorded). */
export function newWorker(workerId: string): Worker {
  return {
    workerId,
    status: 'unknown',
    heartbeatStats: JSON_NULL,
    lastHeartbeatTime: null,
    lastDequeueTime: null,
    lastBusyTime: null,
    lastIdleTime: null,
    currentRolloutId: null,
    currentAttemptId: null,
  };
}

/** A worker heartbeat: refreshes last_heartbeat_time and, when given, the statistics. Status is kept. */
export function heartbeatWorker(workerId: string, stats: JsonText | null, now: number): WorkerChange {
  return {
    workerId,
    apply: (prev) => ({
      ...(prev ?? newWorker(workerId)),
      lastHeartbeatTime: now,
      ...(stats === null ? {} : { heartbeatStats: stats }),
    }),
  };
}

/** The worker took an attempt (by dequeue or by being named on an active attempt): busy with it. */
export function workerBusy(
  workerId: string,
  rolloutId: string,
  attemptId: string,
  now: number,
  viaDequeue: boolean,
): WorkerChange {
  return {
    workerId,
    apply: (prev) => ({
      ...(prev ?? newWorker(workerId)),
      status: 'busy',
      lastBusyTime: now,
      ...(viaDequeue ? { lastDequeueTime: now } : {}),
      currentRolloutId: rolloutId,
      currentAttemptId: attemptId,
    }),
  };
}

/**
 * The worker's attempt ended: idle after a verdict, unknown after a timeout, silence or hand-over.
 * A worker that has since moved on to another attempt is left as it is.
 */
export function workerReleased(
  workerId: string,
  rolloutId: string,
  attemptId: string,
  status: 'idle' | 'unknown',
  now: number,
): WorkerChange {
  return {
    workerId,
    apply: (prev) => {
      const base = prev ?? newWorker(workerId);
      const holdsOther =
        base.currentAttemptId !== null && (base.currentAttemptId !== attemptId || base.currentRolloutId !== rolloutId);
      if (holdsOther) return base;
      return { ...base, status, lastIdleTime: now, currentRolloutId: null, currentAttemptId: null };
    },
  };
}

/**
 * A dequeue that found nothing: the worker is idle unless it still holds an attempt (then only
 * last_dequeue_time moves).
 */
export function workerFoundNothing(workerId: string, now: number): WorkerChange {
  return {
    workerId,
    apply: (prev) => {
      const base = prev ?? newWorker(workerId);
      if (base.status === 'idle' || base.currentAttemptId !== null) return { ...base, lastDequeueTime: now };
      return { ...base, status: 'idle', lastIdleTime: now, lastDequeueTime: now };
    },
  };
}
