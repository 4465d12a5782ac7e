import type { RolloutAggregate, Worker } from './records';

/** A change to one worker record: an upsert computed from the previous record (null when new). */
export interface WorkerChange {
  readonly workerId: string;
  apply(previous: Worker | null): Worker;
}

/**
 * The outcome of applying a rule to a rollout aggregate. Backends persist it atomically with respect to
 * the aggregate; worker changes follow in the same transaction where the backend has transactions.
 */
export interface RolloutChange<R> {
  /** The new aggregate, or null when nothing changed. */
  readonly next: RolloutAggregate | null;
  /** The rollout (re-)enters the queue at its tail. */
  readonly enqueue: boolean;
  readonly workers: readonly WorkerChange[];
  readonly result: R;
}

/** A change that writes nothing and returns `result`. */
export function noChange<R>(result: R): RolloutChange<R> {
  return { next: null, enqueue: false, workers: [], result };
}
