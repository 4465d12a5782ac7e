import type { IdGenerator } from '../../src/domain/ids';
import { describeEachBackend } from './harness';
import { claimOne, enqueueOne, expectCode, llmResources, retrying, spec, startOne } from './fixtures';

/** Ids handed out in order from fixed lists, so a test can make a new id clash with a stored one. */
function scriptedIds(lists: { rollouts?: string[]; attempts?: string[]; resources?: string[] }): IdGenerator {
  const next = (list: string[] | undefined, kind: string) => () => {
    const id = list?.shift();
    if (id === undefined) throw new Error(`the test ran out of ${kind} ids`);
    return id;
  };
  return { rolloutId: next(lists.rollouts, 'rollout'), attemptId: next(lists.attempts, 'attempt'), resourcesId: next(lists.resources, 'resources') };
}

describeEachBackend('identifiers', (t) => {
  const itShared = t.itWith('sharedStorage');

  itShared('a rollout id another store already gave out is drawn again', async () => {
    const taken = (await enqueueOne(t.store)).rolloutId;
    const peer = await t.openPeer(scriptedIds({ rollouts: [taken, 'ro-00000000000b'], attempts: ['at-0000000b'] }));
    const started = await peer.startRollout(spec(), null);
    expect(started.rollout.rolloutId).toBe('ro-00000000000b');
    expect(started.attempt!.attemptId).toBe('at-0000000b');
    expect((await t.store.statistics()).totalRollouts).toBe(2);
  });

  itShared('an enqueue batch with a taken id is drawn again as a whole, in order', async () => {
    const taken = (await enqueueOne(t.store)).rolloutId;
    const peer = await t.openPeer(scriptedIds({ rollouts: ['ro-00000000000a', taken, 'ro-00000000000c', 'ro-00000000000d'] }));
    const rollouts = await peer.enqueueRollouts([spec(), spec()]);
    expect(rollouts.map((r) => r.rolloutId)).toEqual(['ro-00000000000c', 'ro-00000000000d']);
    const queued = (await t.store.queryRollouts({ statusIn: ['queuing'] })).items.map((ar) => ar.rollout.rolloutId);
    expect(queued).toEqual([taken, 'ro-00000000000c', 'ro-00000000000d']);
  });

  itShared('an attempt id the rollout already has is drawn again, on start-attempt and on dequeue', async () => {
    const first = await claimOne(t.store, retrying(['failed'], 3));
    const peer = await t.openPeer(scriptedIds({ attempts: [first.attempt.attemptId, 'at-0000000b', first.attempt.attemptId, 'at-0000000b', 'at-0000000c'] }));
    const second = await peer.startAttempt(first.rollout.rolloutId, null);
    expect(second.attempt!.attemptId).toBe('at-0000000b');

    await t.store.updateAttempt(first.rollout.rolloutId, 'latest', { status: 'failed' });
    const [claimed] = await peer.dequeueRollouts(1, null);
    expect(claimed!.rollout.rolloutId).toBe(first.rollout.rolloutId);
    expect(claimed!.attempt!.attemptId).toBe('at-0000000c');
    const attempts = (await t.store.queryAttempts(first.rollout.rolloutId, {})).items.map((a) => a.attemptId);
    expect(attempts).toEqual([first.attempt.attemptId, 'at-0000000b', 'at-0000000c']);
  });

  itShared('an attempt id is unique within its rollout only', async () => {
    const peer = await t.openPeer(
      scriptedIds({ rollouts: ['ro-00000000000a', 'ro-00000000000b'], attempts: ['at-0000000a', 'at-0000000a'] }),
    );
    const a = await peer.startRollout(spec(), null);
    const b = await peer.startRollout(spec(), null);
    expect([a.attempt!.attemptId, b.attempt!.attemptId]).toEqual(['at-0000000a', 'at-0000000a']);
  });

  itShared('a resources id already taken (generated or chosen by a caller) is drawn again', async () => {
    await t.store.updateResources('rs-00000000000a', llmResources('m1'));
    const peer = await t.openPeer(scriptedIds({ resources: ['rs-00000000000a', 'rs-00000000000b'] }));
    const added = await peer.addResources(llmResources('m2'));
    expect(added.resourcesId).toBe('rs-00000000000b');
    expect((await t.store.getResources('rs-00000000000a')).version).toBe(1);
  });

  itShared('a generator that only ever repeats a taken id fails the call with ALREADY_EXISTS', async () => {
    const taken = (await enqueueOne(t.store)).rolloutId;
    const peer = await t.openPeer({ rolloutId: () => taken, attemptId: () => 'at-0000000a', resourcesId: () => 'rs-00000000000a' });
    await expectCode(peer.enqueueRollouts([spec()]), 'ALREADY_EXISTS');
    expect((await t.store.statistics()).totalRollouts).toBe(1);
  });

  it('an unknown resources id is NOT_FOUND by default and kept as given when the call accepts it', async () => {
    await expectCode(t.store.enqueueRollouts([spec({ resourcesId: 'rs-missing' })]), 'NOT_FOUND');
    await expectCode(t.store.startRollout(spec({ resourcesId: 'rs-missing' }), null), 'NOT_FOUND');
    const accept = { acceptUnknownResources: true };
    const [queued] = await t.store.enqueueRollouts([spec({ resourcesId: 'rs-missing' })], accept);
    expect(queued!.resourcesId).toBe('rs-missing');
    const started = await t.store.startRollout(spec({ resourcesId: 'rs-missing-2' }), null, accept);
    expect(started.rollout.resourcesId).toBe('rs-missing-2');
    await expectCode(t.store.updateRollout(started.rollout.rolloutId, { resourcesId: 'rs-missing-3' }), 'NOT_FOUND');
    const updated = await t.store.updateRollout(started.rollout.rolloutId, { resourcesId: 'rs-missing-3' }, accept);
    expect(updated.resourcesId).toBe('rs-missing-3');
    expect((await t.store.getRollout(started.rollout.rolloutId)).rollout.resourcesId).toBe('rs-missing-3');
  });

  it('update-attempt keeps an empty worker id as given; null clears it', async () => {
    const c = await startOne(t.store, spec(), 'w1');
    const kept = await t.store.updateAttempt(c.rollout.rolloutId, c.attempt.attemptId, { workerId: '' });
    expect(kept.workerId).toBe('');
    expect((await t.store.getRollout(c.rollout.rolloutId)).attempt!.workerId).toBe('');
    const cleared = await t.store.updateAttempt(c.rollout.rolloutId, 'latest', { workerId: null });
    expect(cleared.workerId).toBeNull();
  });
});
