import { describeEachBackend } from './harness';
import { addStored, claimOne, enqueueOne, ownerOf, span, spec, startOne } from './fixtures';

describeEachBackend('sorting', (t) => {
  it('sorts rollouts by end_time with nulls first ascending and last descending', async () => {
    const open1 = await enqueueOne(t.store);
    const late = await enqueueOne(t.store);
    const early = await enqueueOne(t.store);
    const open2 = await enqueueOne(t.store);
    t.clock.advance(1);
    await t.store.updateRollout(early.rolloutId, { status: 'cancelled' });
    t.clock.advance(1);
    await t.store.updateRollout(late.rolloutId, { status: 'cancelled' });
    const order = async (o: 'asc' | 'desc') =>
      (await t.store.queryRollouts({ sort: { field: 'end_time', order: o } })).items.map((ar) => ar.rollout.rolloutId);
    expect(await order('asc')).toEqual([open1.rolloutId, open2.rolloutId, early.rolloutId, late.rolloutId]);
    expect(await order('desc')).toEqual([late.rolloutId, early.rolloutId, open1.rolloutId, open2.rolloutId]);
  });

  it('keeps insertion order among ties, ascending and descending', async () => {
    const [a, b, c] = await t.store.enqueueRollouts([spec(), spec(), spec()]);
    t.clock.advance(1);
    const d = await enqueueOne(t.store);
    const idsBy = async (field: string, o: 'asc' | 'desc') =>
      (await t.store.queryRollouts({ sort: { field, order: o } })).items.map((ar) => ar.rollout.rolloutId);
    const abc = [a?.rolloutId, b?.rolloutId, c?.rolloutId];
    expect(await idsBy('start_time', 'asc')).toEqual([...abc, d.rolloutId]);
    expect(await idsBy('start_time', 'desc')).toEqual([d.rolloutId, ...abc]);
    expect(await idsBy('status', 'desc')).toEqual([...abc, d.rolloutId]);
  });

  it('sorts modes with nulls first', async () => {
    const none = await enqueueOne(t.store, spec({ mode: null }));
    const val = await enqueueOne(t.store, spec({ mode: 'val' }));
    const train = await enqueueOne(t.store, spec({ mode: 'train' }));
    const test = await enqueueOne(t.store, spec({ mode: 'test' }));
    const page = await t.store.queryRollouts({ sort: { field: 'mode', order: 'asc' } });
    expect(page.items.map((ar) => ar.rollout.rolloutId)).toEqual([none, test, train, val].map((r) => r.rolloutId));
  });

  t.itWith('codePointOrder')('sorts strings by code point (not UTF-16 unit)', async () => {
    for (const id of ['b', 'B', 'x\u{1F600}', 'a', 'é', 'x\uFFFF', 'Z']) await t.store.updateWorker(id, null);
    const workers = await t.store.queryWorkers({ sort: { field: 'worker_id', order: 'asc' } });
    expect(workers.items.map((w) => w.workerId)).toEqual(['B', 'Z', 'a', 'b', 'x\uFFFF', 'x\u{1F600}', 'é']);
  });

  it('returns rollouts in insertion order and attempts by sequence id by default', async () => {
    const first = await enqueueOne(t.store);
    const started = await startOne(t.store);
    const last = await enqueueOne(t.store);
    const page = await t.store.queryRollouts({});
    expect(page.items.map((ar) => ar.rollout.rolloutId)).toEqual([first.rolloutId, started.rollout.rolloutId, last.rolloutId]);
    await t.store.startAttempt(started.rollout.rolloutId, null);
    await t.store.startAttempt(started.rollout.rolloutId, null);
    const attempts = await t.store.queryAttempts(started.rollout.rolloutId, {});
    expect(attempts.items.map((a) => a.sequenceId)).toEqual([1, 2, 3]);
    const desc = await t.store.queryAttempts(started.rollout.rolloutId, { sort: { field: 'sequence_id', order: 'desc' } });
    expect(desc.items.map((a) => a.sequenceId)).toEqual([3, 2, 1]);
  });

  it('sorts attempts by worker_id and end_time with nulls first ascending', async () => {
    const c = await startOne(t.store, spec(), 'w-b');
    const id = c.rollout.rolloutId;
    await t.store.startAttempt(id, null);
    await t.store.startAttempt(id, 'w-a');
    await t.store.updateAttempt(id, c.attempt.attemptId, { status: 'failed' });
    const by = async (field: string, o: 'asc' | 'desc') =>
      (await t.store.queryAttempts(id, { sort: { field, order: o } })).items.map((a) => a.sequenceId);
    expect(await by('worker_id', 'asc')).toEqual([2, 3, 1]);
    expect(await by('worker_id', 'desc')).toEqual([1, 3, 2]);
    expect(await by('end_time', 'asc')).toEqual([2, 3, 1]);
    expect(await by('end_time', 'desc')).toEqual([1, 2, 3]);
  });

  it('sorts spans by default on sequence_id, then start_time, then arrival', async () => {
    const c = ownerOf(await claimOne(t.store));
    await addStored(t.store, [
      span(c, 'late-5', { sequenceId: 5, startTime: 20 }),
      span(c, 'seq-3', { sequenceId: 3 }),
      span(c, 'early-5', { sequenceId: 5, startTime: 10 }),
      span(c, 'first-tie', { sequenceId: 5, startTime: 15 }),
      span(c, 'second-tie', { sequenceId: 5, startTime: 15 }),
      span(c, 'null-start-5', { sequenceId: 5, startTime: null }),
      span(c, 'seq-1', { sequenceId: 1, startTime: 99 }),
    ]);
    const page = await t.store.querySpans({ rolloutId: c.rolloutId });
    expect(page.items.map((s) => s.spanId)).toEqual(['seq-1', 'seq-3', 'null-start-5', 'early-5', 'first-tie', 'second-tie', 'late-5']);
  });

  it('sorts spans by an explicit field with nulls first ascending and last descending', async () => {
    const c = ownerOf(await claimOne(t.store));
    await addStored(t.store, [
      span(c, 'b', { parentId: 'p2' }),
      span(c, 'a', { parentId: null }),
      span(c, 'c', { parentId: 'p1' }),
    ]);
    const by = async (o: 'asc' | 'desc') =>
      (await t.store.querySpans({ rolloutId: c.rolloutId, sort: { field: 'parent_id', order: o } })).items.map((s) => s.spanId);
    expect(await by('asc')).toEqual(['a', 'c', 'b']);
    expect(await by('desc')).toEqual(['b', 'c', 'a']);
  });

  it('sorts resources by version and workers by a nullable time', async () => {
    await t.store.updateResources('x', {});
    await t.store.updateResources('y', {});
    await t.store.updateResources('y', {});
    await t.store.updateResources('z', {});
    await t.store.updateResources('y', {});
    const resources = await t.store.queryResources({ sort: { field: 'version', order: 'desc' } });
    expect(resources.items.map((r) => [r.resourcesId, r.version])).toEqual([
      ['y', 3],
      ['x', 1],
      ['z', 1],
    ]);
    await t.store.updateWorker('never', null);
    t.clock.advance(1);
    await t.store.dequeueRollouts(1, 'later');
    await t.store.updateWorker('also-never', null);
    const asc = await t.store.queryWorkers({ sort: { field: 'last_dequeue_time', order: 'asc' } });
    expect(asc.items.map((w) => w.workerId)).toEqual(['never', 'also-never', 'later']);
    const desc = await t.store.queryWorkers({ sort: { field: 'last_dequeue_time', order: 'desc' } });
    expect(desc.items.map((w) => w.workerId)).toEqual(['later', 'never', 'also-never']);
  });
});
