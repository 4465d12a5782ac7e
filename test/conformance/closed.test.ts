import type { Store } from '../../src/store/store';
import { describeEachBackend } from './harness';
import { claimOne, expectCode, llmResources, ownerOf, span, spec } from './fixtures';

/** Every Store method but close(), each called with arguments that would succeed on an open store. */
type Calls = { readonly [K in Exclude<keyof Store, 'backendName' | 'close'>]: () => Promise<unknown> };

describeEachBackend('after close()', (t) => {
  it('every store method fails with UNAVAILABLE "the store is closed", and close() again is a no-op', async () => {
    const s = t.store;
    const c = await claimOne(s);
    const rolloutId = c.rollout.rolloutId;
    const resources = await s.addResources(llmResources('m'));
    await s.updateWorker('w-1', null);
    await s.close();
    // A Record over the method names: adding a Store method without a line here fails the type check.
    const calls: Calls = {
      startRollout: () => s.startRollout(spec(), null),
      enqueueRollouts: () => s.enqueueRollouts([]),
      dequeueRollouts: () => s.dequeueRollouts(1, null),
      startAttempt: () => s.startAttempt(rolloutId, null),
      updateRollout: () => s.updateRollout(rolloutId, { status: 'cancelled' }),
      updateAttempt: () => s.updateAttempt(rolloutId, 'latest', { status: 'succeeded' }),
      getRollout: () => s.getRollout(rolloutId),
      queryRollouts: () => s.queryRollouts({}),
      queryAttempts: () => s.queryAttempts(rolloutId, {}),
      getLatestAttempt: () => s.getLatestAttempt(rolloutId),
      addSpans: () => s.addSpans([span(ownerOf(c), 'sp-1')], { atomic: false }),
      nextSequenceIds: () => s.nextSequenceIds([ownerOf(c)]),
      querySpans: () => s.querySpans({ rolloutId }),
      addResources: () => s.addResources(llmResources('n')),
      updateResources: () => s.updateResources(resources.resourcesId, llmResources('o')),
      getResources: () => s.getResources(resources.resourcesId),
      getLatestResources: () => s.getLatestResources(),
      queryResources: () => s.queryResources({}),
      getWorker: () => s.getWorker('w-1'),
      queryWorkers: () => s.queryWorkers({}),
      updateWorker: () => s.updateWorker('w-1', null),
      waitForRollouts: () => s.waitForRollouts([rolloutId], 0),
      runWatchdog: () => s.runWatchdog(),
      statistics: () => s.statistics(),
      ping: () => s.ping(),
    };
    for (const [name, run] of Object.entries(calls)) {
      const err = await expectCode(run(), 'UNAVAILABLE').catch((e: unknown) => {
        throw new Error(`${name} after close(): ${String(e)}`);
      });
      expect([name, err.message]).toEqual([name, 'the store is closed']);
    }
    await expect(s.close()).resolves.toBeUndefined();
  });

  it('input that would be refused on an open store is still refused as UNAVAILABLE once closed', async () => {
    await t.store.close();
    await expectCode(t.store.dequeueRollouts(0, null), 'UNAVAILABLE');
    await expectCode(t.store.waitForRollouts(['ro-unknown'], -1), 'UNAVAILABLE');
    await expectCode(t.store.getRollout('ro-unknown'), 'UNAVAILABLE');
  });
});
