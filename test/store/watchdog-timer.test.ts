import { FakeClock } from '../../src/domain/clock';
import { createStore } from '../../src/store/create-store';
import { Watchdog } from '../../src/store/watchdog';
import { wrapStore } from '../support/store-wrapper';
import { policy, spec } from '../conformance/fixtures';

describe('Watchdog timer on the store clock', () => {
  it('runs a pass each time the clock passes an interval, and none after stop()', async () => {
    const clock = new FakeClock();
    const inner = createStore({ backend: 'memory', clock });
    let passes = 0;
    const store = wrapStore(inner, {
      runWatchdog: () => {
        passes += 1;
        return inner.runWatchdog();
      },
    });
    const applied: number[] = [];
    const watchdog = new Watchdog(store, { intervalMs: 1000, clock, onApplied: (n) => applied.push(n) });
    watchdog.start();
    watchdog.start();
    const { rollout } = await store.startRollout(spec({ config: policy({ timeoutSeconds: 5 }) }), null);
    clock.advance(0.999);
    expect(passes).toBe(0);
    clock.advance(0.001);
    expect(passes).toBe(1);
    // tick() hands back the pass in progress: this awaits the one the timer started.
    await watchdog.tick();
    // Timers fire synchronously, so the passes due while one is still running are skipped, not stacked.
    clock.advance(4);
    expect(passes).toBe(2);
    await watchdog.tick();
    expect(applied).toEqual([]);
    clock.advance(1);
    expect(passes).toBe(3);
    await watchdog.tick();
    expect(applied).toEqual([1]);
    expect((await store.getRollout(rollout.rolloutId)).rollout.status).toBe('failed');
    await watchdog.stop();
    const before = passes;
    clock.advance(10);
    expect(passes).toBe(before);
    expect(clock.pendingTimers).toBe(0);
    await store.close();
  });
});
