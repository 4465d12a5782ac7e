import type { Clock } from '../domain/clock';

/**
 * In-process signal that some rollouts may have finished. Waiters re-read the store when signalled, so
 * a spurious signal costs one read and a missed one (a change made by another process) is caught by the
 * waiter's poll interval.
 */
export class Completions {
  private readonly waiters = new Map<string, Set<() => void>>();

  /** `clock` times the waits, so a fake clock ends them when it passes their time. */
  constructor(private readonly clock: Clock) {}

  /** Signals every waiter on any of `rolloutIds`. */
  signal(rolloutIds: Iterable<string>): void {
    for (const id of rolloutIds) {
      const set = this.waiters.get(id);
      if (!set) continue;
      this.waiters.delete(id);
      for (const wake of set) wake();
    }
  }

  /** Signals every waiter (used on close). */
  signalAll(): void {
    this.signal([...this.waiters.keys()]);
  }

  /**
   * Resolves when any of `rolloutIds` is signalled, after `ms` milliseconds of the clock's time, or when
   * `signal` aborts, whichever comes first.
   */
  wait(rolloutIds: readonly string[], ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        timer.cancel();
        signal?.removeEventListener('abort', done);
        for (const id of rolloutIds) {
          const set = this.waiters.get(id);
          set?.delete(done);
          if (set?.size === 0) this.waiters.delete(id);
        }
        resolve();
      };
      const timer = this.clock.setTimer(ms, done);
      signal?.addEventListener('abort', done, { once: true });
      for (const id of rolloutIds) {
        let set = this.waiters.get(id);
        if (!set) this.waiters.set(id, (set = new Set()));
        set.add(done);
      }
    });
  }
}
