import { describeEachBackend } from './harness';
import { addStored, attemptById, claimOne, dequeueOne, drainQueue, ownerOf, retrying, span } from './fixtures';

describeEachBackend('revival by spans', (t) => {
  it('a span revives an unresponsive attempt and its requeuing rollout', async () => {
    const c = await claimOne(t.store, retrying(['unresponsive'], 2, { unresponsiveSeconds: 5 }), 'w1');
    const id = c.rollout.rolloutId;
    t.clock.advance(6);
    expect(await t.store.runWatchdog()).toBe(1);
    expect(await t.store.getRollout(id)).toMatchObject({ rollout: { status: 'requeuing' }, attempt: { status: 'unresponsive' } });
    t.clock.advance(1);
    await addStored(t.store, [span(ownerOf(c), 's1')]);
    const { rollout, attempt } = await t.store.getRollout(id);
    expect(attempt).toMatchObject({ attemptId: c.attempt.attemptId, status: 'running', endTime: null, lastHeartbeatTime: t.clock.now() });
    expect(rollout).toMatchObject({ status: 'running', endTime: null });
    expect(await drainQueue(t.store)).toEqual([]);
    t.clock.advance(5);
    expect(await t.store.runWatchdog()).toBe(0);
    t.clock.advance(1);
    expect(await t.store.runWatchdog()).toBe(1);
    expect(await t.store.getRollout(id)).toMatchObject({ rollout: { status: 'requeuing' }, attempt: { status: 'unresponsive' } });
    expect((await dequeueOne(t.store)).attempt.sequenceId).toBe(2);
  });

  it('spans from an old attempt after a retry was dequeued revive only that attempt', async () => {
    const c = await claimOne(t.store, retrying(['unresponsive'], 3, { unresponsiveSeconds: 5 }));
    const id = c.rollout.rolloutId;
    t.clock.advance(6);
    await t.store.runWatchdog();
    const retry = await dequeueOne(t.store);
    expect(retry.attempt.sequenceId).toBe(2);
    t.clock.advance(1);
    await addStored(t.store, [span(ownerOf(c), 's-old')]);
    expect(await attemptById(t.store, id, c.attempt.attemptId)).toMatchObject({
      status: 'running',
      endTime: null,
      lastHeartbeatTime: t.clock.now(),
    });
    expect(await t.store.getRollout(id)).toMatchObject({
      rollout: { status: 'preparing' },
      attempt: { attemptId: retry.attempt.attemptId, status: 'preparing', lastHeartbeatTime: null },
    });
  });

  it('with no retries left the attempt revives but the rollout stays failed', async () => {
    const c = await claimOne(t.store, retrying(['unresponsive'], 1, { unresponsiveSeconds: 5 }));
    const id = c.rollout.rolloutId;
    t.clock.advance(6);
    await t.store.runWatchdog();
    const failed = (await t.store.getRollout(id)).rollout;
    expect(failed).toMatchObject({ status: 'failed', endTime: t.clock.now() });
    t.clock.advance(1);
    await addStored(t.store, [span(ownerOf(c), 's1')]);
    expect(await t.store.getRollout(id)).toEqual({
      rollout: failed,
      attempt: { ...c.attempt, status: 'running', endTime: null, lastHeartbeatTime: t.clock.now() },
    });
  });

  it('spans from a failed attempt record the heartbeat but leave a requeuing rollout queued', async () => {
    const c = await claimOne(t.store, retrying(['failed'], 2));
    const id = c.rollout.rolloutId;
    await t.store.updateAttempt(id, 'latest', { status: 'failed' });
    t.clock.advance(1);
    await addStored(t.store, [span(ownerOf(c), 's1')]);
    expect(await t.store.getRollout(id)).toMatchObject({
      rollout: { status: 'requeuing' },
      attempt: { status: 'failed', lastHeartbeatTime: t.clock.now() },
    });
    expect((await dequeueOne(t.store)).rollout.rolloutId).toBe(id);
  });

  it('spans from the old running attempt do not take back an explicitly re-queued rollout', async () => {
    const c = await claimOne(t.store);
    const id = c.rollout.rolloutId;
    await t.store.updateAttempt(id, 'latest', { status: 'running' });
    await t.store.updateRollout(id, { status: 'queuing' });
    await addStored(t.store, [span(ownerOf(c), 's1')]);
    expect(await t.store.getRollout(id)).toMatchObject({
      rollout: { status: 'queuing' },
      attempt: { status: 'running', sequenceId: 1, lastHeartbeatTime: t.clock.now() },
    });
    const [next] = await t.store.dequeueRollouts(1, null);
    expect(next).toMatchObject({ rollout: { rolloutId: id, status: 'preparing' }, attempt: { sequenceId: 2 } });
  });

  it('spans from a timed-out attempt record the heartbeat but do not flip a requeuing rollout', async () => {
    const c = await claimOne(t.store, retrying(['timeout'], 2, { timeoutSeconds: 5 }));
    const id = c.rollout.rolloutId;
    t.clock.advance(6);
    await t.store.runWatchdog();
    const timedOutAt = t.clock.now();
    t.clock.advance(1);
    await addStored(t.store, [span(ownerOf(c), 's1')]);
    expect(await t.store.getRollout(id)).toMatchObject({
      rollout: { status: 'requeuing', endTime: null },
      attempt: { status: 'timeout', endTime: timedOutAt, lastHeartbeatTime: t.clock.now() },
    });
    expect(await t.store.runWatchdog()).toBe(0);
    const retry = await dequeueOne(t.store);
    expect(retry.rollout.rolloutId).toBe(id);
    expect(retry.attempt.sequenceId).toBe(2);
  });
});
