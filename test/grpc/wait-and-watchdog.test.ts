import { status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { AttemptStatus, RolloutStatus } from '../../gen/lightning/store/v1/records';
import { FakeClock, systemClock } from '../../src/domain/clock';
import { createStore } from '../../src/store/create-store';
import { call } from '../support/client';
import type { TestServer } from '../support/server';
import { startTestServer } from '../support/server';
import { wrapStore } from '../support/store-wrapper';
import { sleep } from '../support/time';


async function timed<T>(promise: Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await promise;
  return { value, ms: performance.now() - start };
}

describe('WaitForRollouts', () => {
  let t: TestServer;
  afterEach(async () => {
    await t.stop();
  });

  it('returns as soon as the rollout finishes, well before its timeout', async () => {
    t = await startTestServer();
    const started = (await call(t.client, 'startRollout', { rollout: {} })).rollout!;
    const rolloutId = started.rollout!.rolloutId;
    const waiting = timed(call(t.client, 'waitForRollouts', { rolloutIds: [rolloutId], timeoutSeconds: 20 }));
    await sleep(200);
    await call(t.client, 'updateAttempt', { rolloutId, attemptId: 'latest', status: AttemptStatus.ATTEMPT_STATUS_SUCCEEDED });
    const { value, ms } = await waiting;
    expect(value.rollouts.map((r) => [r.rolloutId, r.status])).toEqual([[rolloutId, RolloutStatus.ROLLOUT_STATUS_SUCCEEDED]]);
    expect(ms).toBeGreaterThanOrEqual(150);
    expect(ms).toBeLessThan(3000);
  });

  it('returns nothing after a short timeout when the rollout is unfinished, and caps long timeouts', async () => {
    t = await startTestServer({ limits: { maxWaitSeconds: 0.6 } });
    const rolloutId = (await call(t.client, 'enqueueRollout', { rollout: {} })).rollout!.rolloutId;
    const short = await timed(call(t.client, 'waitForRollouts', { rolloutIds: [rolloutId], timeoutSeconds: 0.2 }));
    expect(short.value.rollouts).toEqual([]);
    expect(short.ms).toBeGreaterThanOrEqual(150);
    expect(short.ms).toBeLessThan(550);
    for (const timeoutSeconds of [3600, undefined]) {
      const capped = await timed(call(t.client, 'waitForRollouts', { rolloutIds: [rolloutId], timeoutSeconds }));
      expect(capped.value.rollouts).toEqual([]);
      expect(capped.ms).toBeGreaterThanOrEqual(500);
      expect(capped.ms).toBeLessThan(3000);
    }
  });

  it('stops waiting on the server when the client cancels the call', async () => {
    const inner = createStore({ backend: 'memory', clock: systemClock });
    let resolveAborted: (ms: number) => void = () => undefined;
    const aborted = new Promise<number>((resolve) => (resolveAborted = resolve));
    const store = wrapStore(inner, {
      waitForRollouts: (ids, timeout, signal) => {
        const start = performance.now();
        signal?.addEventListener('abort', () => resolveAborted(performance.now() - start));
        return inner.waitForRollouts(ids, timeout, signal);
      },
    });
    t = await startTestServer({ store });
    const rolloutId = (await call(t.client, 'enqueueRollout', { rollout: {} })).rollout!.rolloutId;
    const outcome = new Promise<ServiceError | null>((resolve) => {
      const pending = t.client.waitForRollouts({ rolloutIds: [rolloutId], timeoutSeconds: 20 }, (err) => resolve(err));
      setTimeout(() => pending.cancel(), 150);
    });
    expect((await outcome)?.code).toBe(status.CANCELLED);
    expect(await aborted).toBeLessThan(2000);
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
    const { value, ms } = await timed(call(t.client, 'waitForRollouts', { rolloutIds: [rolloutId], timeoutSeconds: 10 }));
    expect(value.rollouts.map((r) => r.status)).toEqual([RolloutStatus.ROLLOUT_STATUS_FAILED]);
    expect(ms).toBeLessThan(3000);
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
    for (let i = 0; i < 100 && rollout.attempt?.status !== AttemptStatus.ATTEMPT_STATUS_UNRESPONSIVE; i++) {
      await sleep(20);
      rollout = (await call(t.client, 'getRollout', { rolloutId })).rollout!;
    }
    expect(rollout.attempt?.status).toBe(AttemptStatus.ATTEMPT_STATUS_UNRESPONSIVE);
    expect(rollout.rollout?.status).toBe(RolloutStatus.ROLLOUT_STATUS_REQUEUING);
  });
});
