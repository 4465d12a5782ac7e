/** A pending timer of a Clock. */
export interface ClockTimer {
  /** Stops the timer; does nothing once it has fired or was cancelled. */
  cancel(): void;
  /** Lets the process exit while the timer is pending (real timers only; a no-op elsewhere). */
  unref(): void;
}

/**
 * Source of the current time in seconds since the Unix epoch (float), and of timers that run on that
 * same time. Injected everywhere time is read or waited for, so that a fake clock moves both together.
 */
export interface Clock {
  now(): number;
  /** Calls `fn` once after `ms` milliseconds of this clock's time (a negative `ms` counts as 0). */
  setTimer(ms: number, fn: () => void): ClockTimer;
  /** Resolves after `ms` milliseconds of this clock's time, or at once when `signal` aborts; never rejects. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** `sleep` on any clock's timers: the timer and the abort listener are both released when it ends. */
function sleepOn(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      timer.cancel();
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = clock.setTimer(ms, done);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The wall clock, with sub-millisecond resolution; its timers are Node's own. */
export const systemClock: Clock = {
  now: () => (performance.timeOrigin + performance.now()) / 1000,
  setTimer: (ms, fn) => {
    const handle = setTimeout(fn, Math.max(0, ms));
    return { cancel: () => clearTimeout(handle), unref: () => void handle.unref() };
  },
  sleep: (ms, signal) => sleepOn(systemClock, ms, signal),
};

/** Timers whose due time is within this many seconds of the target fire, so float sums do not strand one. */
const DUE_TOLERANCE_SECONDS = 1e-6;

interface FakeTimer {
  readonly due: number;
  readonly order: number;
  readonly fn: () => void;
}

/**
 * A clock that moves only when told to; for tests and simulations. Its timers fire synchronously inside
 * `advance`, earliest first (ties in the order they were set), each with the clock reading its due time.
 */
export class FakeClock implements Clock {
  private readonly timers = new Set<FakeTimer>();
  private created = 0;
  private readonly timerWatchers: (() => void)[] = [];

  constructor(private current = 1_700_000_000) {}

  now(): number {
    return this.current;
  }

  setTimer(ms: number, fn: () => void): ClockTimer {
    const timer: FakeTimer = { due: this.current + Math.max(0, ms) / 1000, order: this.created++, fn };
    this.timers.add(timer);
    for (const wake of this.timerWatchers.splice(0)) wake();
    return { cancel: () => void this.timers.delete(timer), unref: () => undefined };
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, ms, signal);
  }

  /** How many timers are set and have not fired or been cancelled. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /**
   * Resolves once at least `count` timers are pending: lets a test wait until the code under test is
   * parked on this clock before it moves the clock.
   */
  async untilTimers(count = 1): Promise<void> {
    while (this.timers.size < count) await new Promise<void>((resolve) => this.timerWatchers.push(resolve));
  }

  /** Moves the clock forward by `seconds` (must not be negative), firing every timer due on the way. */
  advance(seconds: number): void {
    if (seconds < 0) throw new Error('FakeClock cannot go backwards');
    const target = this.current + seconds;
    for (let next = this.nextDue(target); next; next = this.nextDue(target)) {
      this.timers.delete(next);
      this.current = Math.max(this.current, next.due);
      next.fn();
    }
    this.current = target;
  }

  /** Sets the clock to an absolute time; moving forward fires the timers due on the way. */
  set(seconds: number): void {
    if (seconds >= this.current) this.advance(seconds - this.current);
    else this.current = seconds;
  }

  private nextDue(target: number): FakeTimer | null {
    let best: FakeTimer | null = null;
    for (const t of this.timers) {
      if (t.due > target + DUE_TOLERANCE_SECONDS) continue;
      if (!best || t.due < best.due || (t.due === best.due && t.order < best.order)) best = t;
    }
    return best;
  }
}
