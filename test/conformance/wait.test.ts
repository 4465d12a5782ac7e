import { describeEachBackend } from './harness';
import { enqueueOne, expectCode, startOne } from './fixtures';
import { settled } from '../support/time';

describeEachBackend('wait_for_rollouts', (t) => {
  it('timeout 0 is an instant check returning the finished rollouts in request order, duplicates repeated', async () => {
    const done1 = await startOne(t.store);
    const open = await enqueueOne(t.store);
    const done2 = await startOne(t.store);
    await t.store.updateAttempt(done1.rollout.rolloutId, 'latest', { status: 'succeeded' });
    await t.store.updateRollout(done2.rollout.rolloutId, { status: 'cancelled' });
    const ids = [done2.rollout.rolloutId, open.rolloutId, done1.rollout.rolloutId, done2.rollout.rolloutId];
    // The clock never moves: an instant check must answer without waiting on it.
    const got = await t.store.waitForRollouts(ids, 0);
    expect(t.clock.pendingTimers).toBe(0);
    expect(got.map((r) => [r.rolloutId, r.status])).toEqual([
      [done2.rollout.rolloutId, 'cancelled'],
      [done1.rollout.rolloutId, 'succeeded'],
      [done2.rollout.rolloutId, 'cancelled'],
    ]);
    expect(got[1]).toEqual((await t.store.getRollout(done1.rollout.rolloutId)).rollout);
  });

  it('returns as soon as the last pending rollout finishes, with no time passing', async () => {
    const a = await startOne(t.store);
    const b = await startOne(t.store);
    await t.store.updateAttempt(a.rollout.rolloutId, 'latest', { status: 'failed' });
    const waiting = t.store.waitForRollouts([a.rollout.rolloutId, b.rollout.rolloutId], 5);
    await t.clock.untilTimers();
    expect(await settled(waiting)).toBe(false);
    await t.store.updateAttempt(b.rollout.rolloutId, 'latest', { status: 'succeeded' });
    const got = await waiting;
    expect(got.map((r) => [r.rolloutId, r.status])).toEqual([
      [a.rollout.rolloutId, 'failed'],
      [b.rollout.rolloutId, 'succeeded'],
    ]);
  });

  it('times out when the clock passes the timeout, returning only the finished subset', async () => {
    const a = await startOne(t.store);
    const b = await startOne(t.store);
    await t.store.updateAttempt(b.rollout.rolloutId, 'latest', { status: 'succeeded' });
    const waiting = t.store.waitForRollouts([a.rollout.rolloutId, b.rollout.rolloutId], 1);
    await t.clock.untilTimers();
    t.clock.advance(0.75);
    expect(await settled(waiting)).toBe(false);
    await t.clock.untilTimers();
    t.clock.advance(0.25);
    const got = await waiting;
    expect(got.map((r) => r.rolloutId)).toEqual([b.rollout.rolloutId]);
  });

  it('a long wait re-reads the backend on every poll interval and still ends at its timeout', async () => {
    const a = await startOne(t.store);
    const waiting = t.store.waitForRollouts([a.rollout.rolloutId], 2);
    // The engine re-reads every 500 ms of clock time (default waitPollMs); each re-read parks it again.
    for (let i = 0; i < 3; i++) {
      await t.clock.untilTimers();
      t.clock.advance(0.5);
      expect(await settled(waiting)).toBe(false);
    }
    await t.clock.untilTimers();
    t.clock.advance(0.5);
    expect(await waiting).toEqual([]);
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
    const waiting = t.store.waitForRollouts([a.rollout.rolloutId, b.rollout.rolloutId], 10, controller.signal);
    await t.clock.untilTimers();
    controller.abort();
    expect((await waiting).map((r) => r.rolloutId)).toEqual([a.rollout.rolloutId]);
    expect(t.clock.pendingTimers).toBe(0);
    // An already aborted signal answers at once, without setting a timer.
    const again = await t.store.waitForRollouts([a.rollout.rolloutId, b.rollout.rolloutId], 10, controller.signal);
    expect(again.map((r) => r.rolloutId)).toEqual([a.rollout.rolloutId]);
    expect(t.clock.pendingTimers).toBe(0);
  });

  it('closing the store ends a pending wait', async () => {
    const a = await startOne(t.store);
    const waiting = t.store.waitForRollouts([a.rollout.rolloutId], 10);
    await t.clock.untilTimers();
    await t.store.close();
    expect(await waiting).toEqual([]);
    expect(t.clock.pendingTimers).toBe(0);
  });
});
