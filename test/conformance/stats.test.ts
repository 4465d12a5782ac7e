import { describeEachBackend } from './harness';
import { addStored, claimOne, enqueueOne, llmResources, ownerOf, retrying, span, spec, startOne } from './fixtures';

describeEachBackend('statistics', (t) => {
  it('starts empty', async () => {
    expect(await t.store.statistics()).toEqual({
      backend: t.store.backendName,
      totalRollouts: 0,
      totalAttempts: 0,
      totalSpans: 0,
      totalResources: 0,
      totalWorkers: 0,
      evictedSpans: 0,
      uptimeSeconds: 0,
      rolloutsByStatus: { queuing: 0, preparing: 0, running: 0, failed: 0, succeeded: 0, cancelled: 0, requeuing: 0 },
    });
  });

  it('counts records, rollouts by status, and uptime on the store clock', async () => {
    const preparing = await claimOne(t.store, spec(), 'w1');
    await t.store.enqueueRollouts([spec(), spec()]);
    await t.store.startAttempt(preparing.rollout.rolloutId, null);
    await addStored(t.store, [span(ownerOf(preparing), 'a'), span(ownerOf(preparing), 'b')]);
    const done = await startOne(t.store, spec(), 'w2');
    await t.store.updateAttempt(done.rollout.rolloutId, 'latest', { status: 'succeeded' });
    const cancelled = await enqueueOne(t.store);
    await t.store.updateRollout(cancelled.rolloutId, { status: 'cancelled' });
    await t.store.addResources(llmResources('m'));
    await t.store.updateResources('v0', llmResources('m'));
    await t.store.updateResources('v0', llmResources('m2'));
    await t.store.updateWorker('w3', null);
    t.clock.advance(42.5);
    const stats = await t.store.statistics();
    expect(stats).toEqual({
      backend: t.store.backendName,
      totalRollouts: 5,
      totalAttempts: 3,
      totalSpans: 2,
      totalResources: 2,
      totalWorkers: 3,
      evictedSpans: 0,
      uptimeSeconds: 42.5,
      rolloutsByStatus: { queuing: 2, preparing: 1, running: 0, failed: 0, succeeded: 1, cancelled: 1, requeuing: 0 },
    });
  });

  it('tracks status changes', async () => {
    const c = await claimOne(t.store, retrying(['timeout'], 2, { timeoutSeconds: 1 }));
    await addStored(t.store, [span(ownerOf(c), 'a')]);
    expect((await t.store.statistics()).rolloutsByStatus).toMatchObject({ running: 1, requeuing: 0 });
    t.clock.advance(2);
    await t.store.runWatchdog();
    expect((await t.store.statistics()).rolloutsByStatus).toMatchObject({ running: 0, requeuing: 1 });
  });
});
