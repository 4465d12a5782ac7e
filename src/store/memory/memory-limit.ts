import { getHeapStatistics } from 'node:v8';
import { StoreError } from '../../domain/errors';
import type { RolloutAggregate } from '../../domain/records';

/** Share of the V8 heap limit the memory backend may fill by default. */
const DEFAULT_HEAP_SHARE = 0.25;

/** Eviction frees spans until the stored bytes are at most this share of the limit. */
const SAFE_SHARE = 0.8;

/** The default limit of the memory backend: a quarter of this process's heap limit (V8's, after --max-old-space-size). */
export function defaultMemoryLimitBytes(): number {
  return Math.floor(getHeapStatistics().heap_size_limit * DEFAULT_HEAP_SHARE);
}

/** Roughly the bytes an aggregate holds, for the memory limit. */
export function aggregateBytes(agg: RolloutAggregate): number {
  const { rollout } = agg;
  let bytes = 512 + rollout.rolloutId.length + rollout.input.length + rollout.metadata.length;
  for (const a of agg.attempts) bytes += 256 + a.attemptId.length + a.metadata.length + (a.workerId?.length ?? 0);
  return bytes;
}

/**
 * The memory backend's account of what it holds against its limit: bytes of records and of each
 * rollout's spans, and which rollouts are finished (candidates for eviction, oldest finish first).
 * It decides; the backend drops what it is told to.
 */
export class MemoryLedger {
  private total = 0;
  private readonly spanBytes = new Map<string, number>();
  /** Finished rollouts that hold spans, in the order they finished. */
  private readonly finished = new Set<string>();
  /** Rollouts whose spans were evicted. */
  readonly evicted = new Set<string>();

  constructor(readonly limitBytes: number) {
    if (!(limitBytes >= 1)) throw new Error(`memory limit must be at least 1 byte, got ${limitBytes}`);
  }

  /** Bytes held now (estimated). */
  get usedBytes(): number {
    return this.total;
  }

  /** Counts a change in the bytes of records (rollouts, resources, workers). */
  resize(delta: number): void {
    this.total += delta;
  }

  /** Counts spans stored for a rollout. */
  addSpans(rolloutId: string, bytes: number): void {
    this.spanBytes.set(rolloutId, (this.spanBytes.get(rolloutId) ?? 0) + bytes);
    this.total += bytes;
  }

  /** Notes whether a rollout is finished now (a re-queued rollout stops being a candidate). */
  setFinished(rolloutId: string, finished: boolean): void {
    if (!finished) this.finished.delete(rolloutId);
    else if (!this.finished.has(rolloutId)) this.finished.add(rolloutId);
  }

  /**
   * The rollouts whose spans to drop now: none while under the limit; past it, finished rollouts
   * oldest first until the rest fit in SAFE_SHARE of the limit. Their bytes are no longer counted.
   */
  takeVictims(): string[] {
    if (this.total <= this.limitBytes) return [];
    const victims: string[] = [];
    for (const id of this.finished) {
      if (this.total <= this.limitBytes * SAFE_SHARE) break;
      const bytes = this.spanBytes.get(id) ?? 0;
      if (bytes === 0) continue; // late spans may still come: it stays a candidate
      this.finished.delete(id);
      this.spanBytes.delete(id);
      this.total -= bytes;
      this.evicted.add(id);
      victims.push(id);
    }
    return victims;
  }

  /** RESOURCE_EXHAUSTED when the store is past its limit (call after evicting what may go), else null. */
  fullError(): StoreError | null {
    if (this.total <= this.limitBytes) return null;
    return new StoreError(
      'RESOURCE_EXHAUSTED',
      `memory backend full: about ${this.total} bytes held, limit ${this.limitBytes}, and no finished rollout's spans left to evict; ` +
        'finish rollouts, raise --memory-limit-bytes, or use the sqlite backend',
      { kind: 'storage-full' },
    );
  }
}
