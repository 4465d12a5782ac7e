/** Source of the current time in seconds since the Unix epoch (float). Injected everywhere time is read. */
export interface Clock {
  now(): number;
}

/** The wall clock, with sub-millisecond resolution. */
export const systemClock: Clock = {
  now: () => (performance.timeOrigin + performance.now()) / 1000,
};

/** A clock that moves only when told to; for tests and simulations. */
export class FakeClock implements Clock {
  constructor(private current = 1_700_000_000) {}

  now(): number {
    return this.current;
  }

  /** Moves the clock forward by `seconds` (must not be negative). */
  advance(seconds: number): void {
    if (seconds < 0) throw new Error('FakeClock cannot go backwards');
    this.current += seconds;
  }

  /** Sets the clock to an absolute time. */
  set(seconds: number): void {
    this.current = seconds;
  }
}
