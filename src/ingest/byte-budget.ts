import { StoreError } from '../domain/errors';

/** Options of a byte budget. */
export interface ByteBudgetOptions {
  /** Bytes that may be held at once; at least 1. */
  readonly capacity: number;
  /** What the budget is for, as error messages name it (e.g. "ingest"). */
  readonly name: string;
}

interface Waiter {
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/** RESOURCE_EXHAUSTED with a retry hint: the server holds as many bytes as it may; try again shortly. */
export function busy(what: string, retryAfterSeconds = 1): StoreError {
  return new StoreError('RESOURCE_EXHAUSTED', `server busy: ${what}; retry later`, { kind: 'busy', retryAfterSeconds });
}

/**
 * Counts bytes held in memory against a fixed capacity. Callers take bytes before they hold them and
 * give them back after; `take` waits in arrival order when the budget is full (backpressure), `tryTake`
 * refuses at once. A request larger than the capacity is counted as the whole capacity, so it can pass
 * when nothing else is held.
 */
export class ByteBudget {
  private held = 0;
  private readonly waiters: Waiter[] = [];
  readonly capacity: number;
  readonly name: string;

  constructor(options: ByteBudgetOptions) {
    if (!(options.capacity >= 1)) throw new Error(`${options.name} budget must be at least 1 byte, got ${options.capacity}`);
    this.capacity = options.capacity;
    this.name = options.name;
  }

  /** Bytes held now. */
  get used(): number {
    return this.held;
  }

  /** The bytes a request really takes (at most the capacity). */
  cost(bytes: number): number {
    return Math.min(Math.max(0, Math.ceil(bytes)), this.capacity);
  }

  /** Takes `bytes` if they fit now (and nobody waits before us); false otherwise. */
  tryTake(bytes: number): boolean {
    const cost = this.cost(bytes);
    if (this.waiters.length > 0 || this.held + cost > this.capacity) return false;
    this.held += cost;
    return true;
  }

  /** Takes `bytes`, waiting for room; rejects with the signal's reason when it aborts first. */
  take(bytes: number, signal?: AbortSignal): Promise<void> {
    if (this.tryTake(bytes)) return Promise.resolve();
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        bytes: this.cost(bytes),
        resolve,
        reject,
        signal,
        onAbort: () => {
          const at = this.waiters.indexOf(waiter);
          if (at >= 0) this.waiters.splice(at, 1);
          reject(signal?.reason as Error);
          this.wake();
        },
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Gives back bytes taken earlier (the same amount that was asked for). */
  give(bytes: number): void {
    this.held = Math.max(0, this.held - this.cost(bytes));
    this.wake();
  }

  private wake(): void {
    while (this.waiters.length > 0) {
      const next = this.waiters[0]!;
      if (this.held + next.bytes > this.capacity) return;
      this.waiters.shift();
      next.signal?.removeEventListener('abort', next.onAbort);
      this.held += next.bytes;
      next.resolve();
    }
  }
}
