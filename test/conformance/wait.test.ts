import { describeEachBackend } from './harness';
import { enqueueOne, expectCode, startOne } from './fixtures';

/** Resolves after `ms` milliseconds of real time. */
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describeEachBackend('wait_for_rollouts', (t) => {
  it('timeout 0 is an instant check returning the finished rollouts in request order, duplicates repeated', async () => {
    const done1 = await startOne(t.store);
    const open = await enqueueOne(t.store);
    const done2 = await startOne(t.store);
    await t.store.updateAttempt(done1.rollout.rolloutId, 'latest', { status: 'succeeded' });
    await t.store.updateRollout(done2.rollout.rolloutId, { status: 'cancelled' });
    const ids = [done2.rollout.rolloutId, open.rolloutId, done1.rollout.rolloutId, done2.rollout.rolloutId];
    const started = Date.now();
    const got = await t.store.waitForRollouts(ids, 0);
    expect(Date.now() - started).toBeLessThan(200);
    expect(got.map((r) => [r.rolloutId, r.status])).toEqual([
      [done2.rollout.rolloutId, 'cancelled'],
      [done1.rollout.rolloutId, 'succeeded'],
      [done2.rollout.rolloutId, 'cancelled'],
    ]);
    expect(got[1]).toEqual((await t.store.getRollout(done1.rollout.rolloutId)).rollout);
  });

  it('returns as soon as the last pending rollout finishes', async () => {
    const a = await startOne(t.store);
    const b = await startOne(t.store);
    await t.store.updateAttempt(a.rollout.rolloutId, 'latest', { status: 'failed' });
    const started = Date.now();
    const waiting = t.store.waitForRollouts([a.rollout.rolloutId, b.rollout.rolloutId], 5);
    await pause(20);
    await t.store.updateAttempt(b.rollout.rolloutId, 'latest', { status: 'succeeded' });
    const got = await waiting;
    expect(Date.now() - started).toBeLessThan(300);
    expect(got.map((r) => [r.rolloutId, r.status])).toEqual([
      [a.rollout.rolloutId, 'failed'],
      [b.rollout.rolloutId, 'succeeded'],
    ]);
  });

  it('times out returning only the finished subset', async () => {
    const a = await startOne(t.store);
    const b = await startOne(t.store);
    await t.store.updateAttempt(b.rollout.rolloutId, 'latest', { status: 'succeeded' });
    const started = Date.now();
    const got = await t.store.waitForRollouts([a.rollout.rolloutId, b.rollout.rolloutId], 0.25);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(240);
    expect(elapsed).toBeLessThan(1000);
    expect(got.map((r) => r.rolloutId)).toEqual([b.rollout.rolloutId]);
  });

  it('an unknown id is NOT_FOUND; a negative timeout is INVALID_ARGUMENT; no ids is an empty answer', async () => {
    const a = await startOne(t.store);
    expect(await t.store.waitForRollouts([], 5)).toEqual([]);
    await expectCode(t.store.waitForRollouts([a.rollout.rolloutId, 'ro-unknown'], 0), 'NOT_FOUND');
    await expectCode(t.store.waitForRollouts([a.rollout.rolloutId], -1), 'INVALID_ARGUMENT');
  });

  it('an abort signal ends the wait early with what is finished', async () => {
    const a = await startOne(t.store);
    const b = await startOne(t.store);
    await t.store.updateAttempt(a.rollout.rolloutId, 'latest', { status: 'succeeded' });
    const controller = new AbortController();
    const started = Date.now();
    const waiting = t.store.waitForRollouts([a.rollout.rolloutId, b.rollout.rolloutId], 10, controller.signal);
    await pause(20);
    controller.abort();
    const got = await waiting;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(got.map((r) => r.rolloutId)).toEqual([a.rollout.rolloutId]);
    const again = Date.now();
    expect(await t.store.waitForRollouts([a.rollout.rolloutId, b.rollout.rolloutId], 10, controller.signal)).toHaveLength(1);
    expect(Date.now() - again).toBeLessThan(200);
  });

  it('closing the store ends a pending wait', async () => {
    const a = await startOne(t.store);
    const started = Date.now();
    const waiting = t.store.waitForRollouts([a.rollout.rolloutId], 10);
    await pause(20);
    await t.store.close();
    expect(await waiting).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
