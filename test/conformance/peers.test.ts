import { describeEachBackend } from './harness';
import { claimOne, enqueueOne, spec, policy } from './fixtures';

describeEachBackend('stores sharing one storage', (t) => {
  const itShared = t.itWith('sharedStorage');

  itShared('concurrent dequeues through two stores never claim one rollout twice', async () => {
    const peer = await t.openPeer();
    const rollouts = await t.store.enqueueRollouts([spec(), spec(), spec(), spec()]);
    const results = await Promise.all([
      t.store.dequeueRollouts(3, 'a'),
      peer.dequeueRollouts(3, 'b'),
      t.store.dequeueRollouts(3, 'c'),
      peer.dequeueRollouts(3, 'd'),
    ]);
    const ids = results.flat().map((ar) => ar.rollout.rolloutId);
    expect([...ids].sort()).toEqual(rollouts.map((r) => r.rolloutId).sort());
    expect((await peer.statistics()).totalAttempts).toBe(4);
  });

  itShared('two watchdogs apply each verdict once', async () => {
    const peer = await t.openPeer();
    const c = await claimOne(t.store, spec({ config: policy({ timeoutSeconds: 5 }) }));
    t.clock.advance(6);
    const applied = await Promise.all([t.store.runWatchdog(), peer.runWatchdog()]);
    expect(applied[0] + applied[1]).toBe(1);
    expect(await peer.getRollout(c.rollout.rolloutId)).toMatchObject({ rollout: { status: 'failed' }, attempt: { status: 'timeout' } });
  });

  itShared('a wait on one store sees a rollout finished through another within the re-read interval', async () => {
    const peer = await t.openPeer();
    const queued = await enqueueOne(t.store);
    const waiting = peer.waitForRollouts([queued.rolloutId], 5);
    await t.clock.untilTimers();
    await t.store.updateRollout(queued.rolloutId, { status: 'cancelled' });
    // One re-read interval (500 ms by default) of clock time, far below the 5 s timeout.
    t.clock.advance(0.5);
    const got = await waiting;
    expect(got.map((r) => [r.rolloutId, r.status])).toEqual([[queued.rolloutId, 'cancelled']]);
  });
});
