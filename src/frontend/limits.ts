import { invalidArgument } from '../domain/errors';

/** Limits every front end (gRPC, REST) enforces on every call, with their defaults. */
export interface ServiceLimits {
  /** Most items in one batch request (rollouts, spans, targets, dequeue limit, spans per stream message); default 10000. */
  readonly maxBatchSize: number;
  /** Longest WaitForRollouts wait in seconds; an absent or larger timeout is capped to it; default 30. */
  readonly maxWaitSeconds: number;
}

/** Default limits. */
export const DEFAULT_LIMITS: ServiceLimits = { maxBatchSize: 10_000, maxWaitSeconds: 30 };

/** INVALID_ARGUMENT when a batch of `count` items under `field` exceeds `max`. */
export function checkBatchSize(count: number, max: number, field: string): void {
  if (count > max) throw invalidArgument(`${field}: at most ${max} items per request, got ${count}`);
}

/** The wait a WaitForRollouts call gets: absent or above the cap means the cap. */
export function cappedWaitSeconds(requested: number | undefined, cap: number): number {
  return requested === undefined || requested > cap ? cap : requested;
}
