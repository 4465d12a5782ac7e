import { invalidArgument } from '../domain/errors';
import type { QueryWindow } from '../store/store';

/** Limits every front end (gRPC, REST) enforces on every call, with their defaults. */
export interface ServiceLimits {
  /** Most items in one batch request (rollouts, spans, targets, dequeue limit, spans per stream message); default 10000. */
  readonly maxBatchSize: number;
  /** Longest WaitForRollouts wait in seconds; an absent or larger timeout is capped to it; default 30. */
  readonly maxWaitSeconds: number;
  /** Largest request message or body in bytes (after decompression); default 16 MiB. */
  readonly maxMessageBytes: number;
  /**
   * Bytes held at once for spans waiting to be written, request bodies being read or inflated, and
   * answers being written; past it streams wait and one-shot requests are refused (busy); default 256 MiB.
   */
  readonly maxHeldBytes: number;
  /** Most items a gRPC query answers; an absent or larger limit is cut to it (REST answers in pieces instead); default 1000. */
  readonly maxPageItems: number;
}

/** Default limits. */
export const DEFAULT_LIMITS: ServiceLimits = {
  maxBatchSize: 10_000,
  maxWaitSeconds: 30,
  maxMessageBytes: 16 * 1024 * 1024,
  maxHeldBytes: 256 * 1024 * 1024,
  maxPageItems: 1000,
};

/** A query whose page is cut to at most `max` items (an absent page or limit becomes `max`). */
export function cappedPage<Q extends QueryWindow>(query: Q, max: number): Q {
  const limit = query.page?.limit;
  if (limit !== null && limit !== undefined && limit <= max) return query;
  return { ...query, page: { offset: query.page?.offset ?? 0, limit: max } };
}

/** INVALID_ARGUMENT when a batch of `count` items under `field` exceeds `max`. */
export function checkBatchSize(count: number, max: number, field: string): void {
  if (count > max) throw invalidArgument(`${field}: at most ${max} items per request, got ${count}`);
}

/** The wait a WaitForRollouts call gets: absent or above the cap means the cap. */
export function cappedWaitSeconds(requested: number | undefined, cap: number): number {
  return requested === undefined || requested > cap ? cap : requested;
}
