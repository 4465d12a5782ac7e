import type { RolloutStatus } from './records';
import { isQueuingLike } from './status';

/**
 * The queue re-entry rule, the same for every backend: a rollout stands in the queue exactly while it is
 * queuing or requeuing. It takes a new position at the tail (`newTail()`, called only then) when the
 * change (re-)enqueues it or when it has no position yet (a new rollout); a change that leaves it queued
 * keeps its `current` position, so it never loses its turn; any other status takes it out (null).
 * `P` is whatever a backend stores as a position (a counter, a time and tie-breaker).
 */
export function queuePosition<P>(status: RolloutStatus, enqueue: boolean, current: P | null, newTail: () => P): P | null {
  if (!isQueuingLike(status)) return null;
  return enqueue || current === null ? newTail() : current;
}
