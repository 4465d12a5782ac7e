import { FakeClock, systemClock } from '../../src/domain/clock';

describe('FakeClock timers', () => {
  it('fire inside advance, earliest first, ties in the order set, each seeing its own due time', () => {
    const clock = new FakeClock(100);
    const seen: string[] = [];
    clock.setTimer(300, () => seen.push(`c@${clock.now()}`));
    clock.setTimer(100, () => seen.push(`a@${clock.now()}`));
    clock.setTimer(100, () => seen.push(`b@${clock.now()}`));
    clock.advance(0.2);
    expect(seen).toEqual(['a@100.1', 'b@100.1']);
    expect(clock.now()).toBe(100.2);
    clock.advance(0.1);
    expect(seen).toEqual(['a@100.1', 'b@100.1', 'c@100.3']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('fires a timer set by a firing timer when it is due within the same advance', () => {
    const clock = new FakeClock(0);
    const seen: number[] = [];
    clock.setTimer(10, () => {
      seen.push(clock.now());
      clock.setTimer(10, () => seen.push(clock.now()));
    });
    clock.advance(0.025);
    expect(seen).toEqual([0.01, 0.02]);
  });

  it('never fires a cancelled timer; set() forward fires what is due, set() backward fires nothing', () => {
    const clock = new FakeClock(0);
    const fired: string[] = [];
    clock.setTimer(5, () => fired.push('cancelled')).cancel();
    clock.setTimer(1000, () => fired.push('due'));
    clock.set(-10);
    expect(fired).toEqual([]);
    clock.set(2);
    expect(fired).toEqual(['due']);
    expect(() => clock.advance(-1)).toThrow('backwards');
  });

  it('sleep resolves when the clock passes its time, or at once on abort, releasing its timer', async () => {
    const clock = new FakeClock(0);
    let woke = false;
    const sleeping = clock.sleep(500).then(() => (woke = true));
    clock.advance(0.499);
    await Promise.resolve();
    expect(woke).toBe(false);
    clock.advance(0.001);
    await sleeping;
    expect(woke).toBe(true);

    const abort = new AbortController();
    const aborted = clock.sleep(60_000, abort.signal);
    expect(clock.pendingTimers).toBe(1);
    abort.abort();
    await aborted;
    expect(clock.pendingTimers).toBe(0);
    await clock.sleep(60_000, abort.signal);
    expect(clock.pendingTimers).toBe(0);
  });

  it('untilTimers resolves once the code under test has set a timer', async () => {
    const clock = new FakeClock(0);
    let parked = false;
    const waiting = clock.untilTimers().then(() => (parked = true));
    await Promise.resolve();
    expect(parked).toBe(false);
    setImmediate(() => clock.setTimer(1, () => undefined));
    await waiting;
    expect(clock.pendingTimers).toBe(1);
  });
});

describe('systemClock timers', () => {
  it('run on real time and can be cancelled', async () => {
    const fired: string[] = [];
    systemClock.setTimer(60_000, () => fired.push('cancelled')).cancel();
    await systemClock.sleep(5);
    systemClock.setTimer(0, () => fired.push('due'));
    await systemClock.sleep(20);
    expect(fired).toEqual(['due']);
  });
});
