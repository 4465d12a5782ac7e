import type { Clock, ClockTimer } from '../domain/clock';
import { systemClock } from '../domain/clock';
import type { Store } from './store';

/** Defaults of the watchdog timer. */
export const WATCHDOG_DEFAULTS = { intervalMs: 1000 } as const;

/** Options of the watchdog timer. */
export interface WatchdogOptions {
  /** Milliseconds between passes; default 1000. */
  readonly intervalMs?: number;
  /** Time source of the timer: pass the store's clock, so that a fake clock drives both; default the system clock. */
  readonly clock?: Clock;
  /** Called with an error a pass threw (the timer keeps running); default: ignored. */
  readonly onError?: (err: unknown) => void;
  /** Called after a pass that applied verdicts. */
  readonly onApplied?: (count: number) => void;
}

/**
 * Runs the store's watchdog on a timer, independent of traffic. Passes never overlap; a failed pass is
 * reported and the next one runs on schedule. Safe with several servers on one database: each verdict is
 * applied by an atomic change that re-checks the rollout, so it takes effect once.
 */
export class Watchdog {
  private timer: ClockTimer | null = null;
  private running: Promise<void> | null = null;
  private readonly intervalMs: number;
  private readonly clock: Clock;

  constructor(
    private readonly store: Store,
    private readonly options: WatchdogOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? WATCHDOG_DEFAULTS.intervalMs;
    this.clock = options.clock ?? systemClock;
    if (!(this.intervalMs > 0)) throw new Error(`watchdog interval must be > 0 ms, got ${this.intervalMs}`);
  }

  /** Starts the timer (idempotent). */
  start(): void {
    if (this.timer) return;
    this.schedule();
  }

  // One timer, set again each time it fires; tick() skips a pass while the previous one still runs.
  private schedule(): void {
    this.timer = this.clock.setTimer(this.intervalMs, () => {
      void this.tick();
      this.schedule();
    });
    // A timer must not keep an otherwise finished process alive.
    this.timer.unref();
  }

  /** Runs one pass now unless one is in progress; resolves when it ends. Never rejects. */
  tick(): Promise<void> {
    this.running ??= this.store
      .runWatchdog()
      .then((n) => {
        if (n > 0) this.options.onApplied?.(n);
      })
      .catch((err: unknown) => this.options.onError?.(err))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** Stops the timer and waits for a pass in progress. */
  async stop(): Promise<void> {
    this.timer?.cancel();
    this.timer = null;
    await this.running;
  }
}
