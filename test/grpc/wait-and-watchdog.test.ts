import { status } from '@grpc/grpc-js';
import type { ClientUnaryCall, ServiceError } from '@grpc/grpc-js';
import { AttemptStatus, RolloutStatus } from '../../gen/lightning/store/v1/records';
import { FakeClock } from '../../src/domain/clock';
import { createStore } from '../../src/store/create-store';
import { call } from '../support/client';
import type { TestServer } from '../support/server';
import { startTestServer } from '../support/server';
import { wrapStore } from '../support/store-wrapper';
import type { Store } from '../../src/store/store';
import { settled, sleep } from '../support/time';

/** A server on a fake clock, and a way to wait until one more wait is parked on that clock. */
async function fakeClockServer(options: { maxWaitSeconds?: number; store?: (clock: FakeClock) => Store } = {}) {
  const clock = new FakeClock();
  const store = options.store?.(clock);
  const server = await startTestServer({ clock, ...(store ? { store } : {}), ...(options.maxWaitSeconds ? { limits: { maxWaitSeconds: options.maxWaitSeconds } } : {}) });
  // Whatever timers the server itself keeps on the clock are there before any wait.
  const base = clock.pendingTimers;
  return { server, clock, parked: () => clock.untilTimers(base + 1), idle: () => clock.pendingTimers === base };
}

describe('WaitForRollouts', () => {
  let t: TestServer;
  afterEach(async () => {
    await t.stop();
  });

  it('returns as soon as the rollout finishes, before any time passes', async () => {
    const f = await fakeClockServer();
    t = f.server;
    const started = (await call(t.client, 'startRollout', { rollout: {} })).rollout!;
    const rolloutId = started.rollout!.rolloutId;
    const waiting = call(t.client, 'waitForRollouts', { rolloutIds: [rolloutId], timeoutSeconds: 20 });
    await f.parked();
    expect(await settled(waiting)).toBe(false);
    await call(t.client, 'updateAttempt', { rolloutId, attemptId: 'latest', status: AttemptStatus.ATTEMPT_STATUS_SUCCEEDED });
    const value = await waiting;
    expect(value.rollouts.map((r) => [r.rolloutId, r.status])).toEqual([[rolloutId, RolloutStatus.ROLLOUT_STATUS_SUCCEEDED]]);
  });

  it('returns nothing once a short timeout passes on the clock, and caps long timeouts at maxWaitSeconds', async () => {
    const f = await fakeClockServer({ maxWaitSeconds: 0.75 });
    t = f.server;
    const rolloutId = (await call(t.client, 'enqueueRollout', { rollout: {} })).rollout!.rolloutId;
    const short = call(t.client, 'waitForRollouts', { rolloutIds: [rolloutId], timeoutSeconds: 0.25 });
    await f.parked();
    f.clock.advance(0.25);
    expect((await short).rollouts).toEqual([]);
    for (const timeoutSeconds of [3600, undefined]) {
      const capped = call(t.client, 'waitForRollouts', { rolloutIds: [rolloutId], timeoutSeconds });
      await f.parked();
      // The server re-reads every 500 ms of clock time; at 0.5 s of a 0.75 s cap it is still waiting.
      f.clock.advance(0.5);
      expect(await settled(capped, 20)).toBe(false);
      await f.parked();
      f.clock.advance(0.25);
      expect((await capped).rollouts).toEqual([]);
    }
  });

  it('stops waiting on the server when the client cancels the call', async () => {
    let resolveAborted: () => void = () => undefined;
    const aborted = new Promise<void>((resolve) => (resolveAborted = resolve));
    const f = await fakeClockServer({
      store: (clock) => {
        const inner = createStore({ backend: 'memory', clock });
        return wrapStore(inner, {
          waitForRollouts: (ids, timeout, signal) => {
            signal?.addEventListener('abort', () => resolveAborted());
            return inner.waitForRollouts(ids, timeout, signal);
          },
        });
      },
    });
    t = f.server;
    const rolloutId = (await call(t.client, 'enqueueRollout', { rollout: {} })).rollout!.rolloutId;
    let pending: ClientUnaryCall | undefined;
    const outcome = new Promise<ServiceError | null>((resolve) => {
      pending = t.client.waitForRollouts({ rolloutIds: [rolloutId], timeoutSeconds: 20 }, (err) => resolve(err));
    });
    await f.parked();
    pending!.cancel();
    expect((await outcome)?.code).toBe(status.CANCELLED);
    await aborted;
    // The server's wait let go of its timer without the clock moving.
    for (let i = 0; i < 100 && !f.idle(); i++) await sleep(10);
    expect(f.idle()).toBe(true);
  });
});

describe('watchdog on the server timer', () => {
  let t: TestServer;
  afterEach(async () => {
    await t.stop();
  });

  it('times out an attempt on a short real interval and wakes the waiter', async () => {
    t = await startTestServer({ watchdog: { intervalMs: 50 } });
    const started = (await call(t.client, 'startRollout', { rollout: { config: { timeoutSeconds: 0.2 } } })).rollout!;
    const rolloutId = started.rollout!.rolloutId;
    // Real time on purpose: the server's own watchdog timer and clock. The answer comes from the watchdog
    // (FAILED) long before the 10 s wait would end on its own.
    const value = await call(t.client, 'waitForRollouts', { rolloutIds: [rolloutId], timeoutSeconds: 10 });
    expect(value.rollouts.map((r) => r.status)).toEqual([RolloutStatus.ROLLOUT_STATUS_FAILED]);
    expect((await call(t.client, 'getLatestAttempt', { rolloutId })).attempt?.status).toBe(AttemptStatus.ATTEMPT_STATUS_TIMEOUT);
  });

  it('uses the injected clock: nothing happens until the fake clock passes the timeout', async () => {
    const clock = new FakeClock();
    t = await startTestServer({ clock, watchdog: { intervalMs: 20 } });
    const started = (await call(t.client, 'startRollout', { rollout: { config: { unresponsiveSeconds: 30, maxAttempts: 2, retryCondition: [AttemptStatus.ATTEMPT_STATUS_UNRESPONSIVE] } } })).rollout!;
    const rolloutId = started.rollout!.rolloutId;
    await sleep(150);
    expect((await call(t.client, 'getLatestAttempt', { rolloutId })).attempt?.status).toBe(AttemptStatus.ATTEMPT_STATUS_PREPARING);
    clock.advance(31);
    let rollout = (await call(t.client, 'getRollout', { rolloutId })).rollout!;
    // The watchdog's timer runs on the same clock: each step of it lets one more pass run.
    for (let i = 0; i < 100 && rollout.attempt?.status !== AttemptStatus.ATTEMPT_STATUS_UNRESPONSIVE; i++) {
      clock.advance(0.05);
      await sleep(20);
      rollout = (await call(t.client, 'getRollout', { rolloutId })).rollout!;
    }
    expect(rollout.attempt?.status).toBe(AttemptStatus.ATTEMPT_STATUS_UNRESPONSIVE);
    expect(rollout.rollout?.status).toBe(RolloutStatus.ROLLOUT_STATUS_REQUEUING);
  });
});
