import type { QueryWindow, Store } from '../../src/store/store';
import { describeEachBackend } from './harness';
import { claimOne, enqueueOne, expectCode, ownerOf, span, spec } from './fixtures';

/** One query per record kind, over a store that holds at least one record of each. */
type QueryMaker = (store: Store, rolloutId: string, w: QueryWindow) => Promise<unknown>;
const QUERIES: readonly { kind: string; run: QueryMaker; objectField: string }[] = [
  { kind: 'rollouts', run: (s, _id, w) => s.queryRollouts(w), objectField: 'input' },
  { kind: 'attempts', run: (s, id, w) => s.queryAttempts(id, w), objectField: 'metadata' },
  { kind: 'spans', run: (s, id, w) => s.querySpans({ rolloutId: id, ...w }), objectField: 'attributes' },
  { kind: 'resources', run: (s, _id, w) => s.queryResources(w), objectField: 'resources' },
  { kind: 'workers', run: (s, _id, w) => s.queryWorkers(w), objectField: 'heartbeat_stats' },
];

describeEachBackend('queries', (t) => {
  /** Three queued rollouts (a, b, c) and one preparing (d), created in that order. */
  async function fourRollouts() {
    const d = await claimOne(t.store);
    const [a, b, c] = await t.store.enqueueRollouts([spec(), spec(), spec()]);
    if (!a || !b || !c) throw new Error('enqueue failed');
    return { a: a.rolloutId, b: b.rolloutId, c: c.rolloutId, d: d.rollout.rolloutId };
  }
  const ids = (page: { items: readonly { rollout: { rolloutId: string } }[] }) => page.items.map((ar) => ar.rollout.rolloutId);

  it('filters rollouts by status, id list and id substring', async () => {
    const { a, b, c, d } = await fourRollouts();
    expect(ids(await t.store.queryRollouts({ statusIn: ['queuing'] }))).toEqual([a, b, c]);
    expect(ids(await t.store.queryRollouts({ statusIn: ['preparing', 'failed'] }))).toEqual([d]);
    expect(ids(await t.store.queryRollouts({ rolloutIdIn: [c, a, 'ro-unknown'] }))).toEqual([a, c]);
    expect(ids(await t.store.queryRollouts({ rolloutIdContains: b.slice(2) }))).toEqual([b]);
    expect(ids(await t.store.queryRollouts({ rolloutIdContains: 'ro-' }))).toEqual([d, a, b, c]);
  });

  it('returns latest attempts with the rollouts', async () => {
    const { a, d } = await fourRollouts();
    const page = await t.store.queryRollouts({ rolloutIdIn: [a, d] });
    expect(page.items.map((ar) => [ar.rollout.rolloutId, ar.attempt?.sequenceId ?? null])).toEqual([
      [d, 1],
      [a, null],
    ]);
  });

  it('contains is case-sensitive', async () => {
    await fourRollouts();
    expect((await t.store.queryRollouts({ rolloutIdContains: 'RO-' })).total).toBe(0);
    await t.store.updateWorker('gpu-1', null);
    expect((await t.store.queryWorkers({ workerIdContains: 'GPU' })).total).toBe(0);
    expect((await t.store.queryWorkers({ workerIdContains: 'gpu' })).total).toBe(1);
  });

  it('combines conditions with and / or', async () => {
    const { a, b, c, d } = await fourRollouts();
    expect(ids(await t.store.queryRollouts({ statusIn: ['queuing'], rolloutIdIn: [a, d] }))).toEqual([a]);
    expect(ids(await t.store.queryRollouts({ statusIn: ['queuing'], rolloutIdIn: [a, d], logic: 'and' }))).toEqual([a]);
    expect(ids(await t.store.queryRollouts({ statusIn: ['queuing'], rolloutIdIn: [d], logic: 'or' }))).toEqual([d, a, b, c]);
    expect(ids(await t.store.queryRollouts({ statusIn: ['failed'], rolloutIdContains: b, logic: 'or' }))).toEqual([b]);
  });

  it('no condition matches everything under both logics; an empty list matches nothing under and', async () => {
    const { a, b, c, d } = await fourRollouts();
    expect(ids(await t.store.queryRollouts({}))).toEqual([d, a, b, c]);
    expect(ids(await t.store.queryRollouts({ logic: 'or' }))).toEqual([d, a, b, c]);
    expect((await t.store.queryRollouts({ statusIn: [] })).total).toBe(0);
    expect((await t.store.queryRollouts({ rolloutIdIn: [], logic: 'and' })).total).toBe(0);
    expect(ids(await t.store.queryRollouts({ statusIn: [], rolloutIdIn: [c], logic: 'or' }))).toEqual([c]);
  });

  it('filters workers by status and id substring with and / or', async () => {
    await claimOne(t.store, spec(), 'gpu-1');
    await t.store.dequeueRollouts(1, 'gpu-2');
    await t.store.updateWorker('cpu-1', null);
    const wids = async (q: Parameters<Store['queryWorkers']>[0]) => (await t.store.queryWorkers(q)).items.map((w) => w.workerId);
    expect(await wids({})).toEqual(['gpu-1', 'gpu-2', 'cpu-1']);
    expect(await wids({ statusIn: ['busy'] })).toEqual(['gpu-1']);
    expect(await wids({ statusIn: ['idle', 'unknown'] })).toEqual(['gpu-2', 'cpu-1']);
    expect(await wids({ statusIn: ['idle', 'unknown'], workerIdContains: 'gpu' })).toEqual(['gpu-2']);
    expect(await wids({ statusIn: ['busy'], workerIdContains: 'cpu', logic: 'or' })).toEqual(['gpu-1', 'cpu-1']);
    expect(await wids({ statusIn: [] })).toEqual([]);
  });

  it('pages with limit and offset and reports the total before paging', async () => {
    const rollouts = await t.store.enqueueRollouts([1, 2, 3, 4, 5].map((n) => spec({ input: String(n) })));
    const all = rollouts.map((r) => r.rolloutId);
    const page = await t.store.queryRollouts({ page: { limit: 2, offset: 1 } });
    expect({ ...page, items: ids(page) }).toEqual({ items: all.slice(1, 3), limit: 2, offset: 1, total: 5 });
    const tail = await t.store.queryRollouts({ page: { limit: 2, offset: 4 } });
    expect({ ...tail, items: ids(tail) }).toEqual({ items: all.slice(4), limit: 2, offset: 4, total: 5 });
    const countOnly = await t.store.queryRollouts({ page: { limit: 0, offset: 0 } });
    expect({ ...countOnly, items: ids(countOnly) }).toEqual({ items: [], limit: 0, offset: 0, total: 5 });
    const past = await t.store.queryRollouts({ page: { limit: null, offset: 9 } });
    expect({ ...past, items: ids(past) }).toEqual({ items: [], limit: null, offset: 9, total: 5 });
    const whole = await t.store.queryRollouts({});
    expect({ ...whole, items: ids(whole) }).toEqual({ items: all, limit: null, offset: 0, total: 5 });
    const filtered = await t.store.queryRollouts({ rolloutIdIn: all.slice(0, 3), page: { limit: 1, offset: 1 } });
    expect([ids(filtered), filtered.total]).toEqual([[all[1]], 3]);
  });

  it('pages attempts, resources and workers the same way', async () => {
    const c = await claimOne(t.store);
    await t.store.startAttempt(c.rollout.rolloutId, null);
    await t.store.startAttempt(c.rollout.rolloutId, null);
    const attempts = await t.store.queryAttempts(c.rollout.rolloutId, { page: { limit: 1, offset: 1 } });
    expect([attempts.items.map((a) => a.sequenceId), attempts.total]).toEqual([[2], 3]);
    for (const id of ['r1', 'r2', 'r3']) await t.store.updateResources(id, {});
    const resources = await t.store.queryResources({ page: { limit: 5, offset: 2 } });
    expect([resources.items.map((r) => r.resourcesId), resources.total]).toEqual([['r3'], 3]);
    for (const id of ['w1', 'w2', 'w3']) await t.store.updateWorker(id, null);
    const workers = await t.store.queryWorkers({ page: { limit: 0, offset: 0 } });
    expect([workers.items, workers.total]).toEqual([[], 3]);
  });

  it.each(QUERIES)('$kind: an unknown or object sort field and a negative window are INVALID_ARGUMENT', async ({ run, objectField }) => {
    const c = await claimOne(t.store, spec(), 'w1');
    await t.store.addSpans([span(ownerOf(c), 's1')], { atomic: true });
    await t.store.updateResources('r1', {});
    const id = c.rollout.rolloutId;
    await expectCode(run(t.store, id, { sort: { field: 'bogus', order: 'asc' } }), 'INVALID_ARGUMENT');
    await expectCode(run(t.store, id, { sort: { field: objectField, order: 'asc' } }), 'INVALID_ARGUMENT');
    await expectCode(run(t.store, id, { sort: { field: 'startTime', order: 'asc' } }), 'INVALID_ARGUMENT');
    await expectCode(run(t.store, id, { page: { limit: null, offset: -1 } }), 'INVALID_ARGUMENT');
    await expectCode(run(t.store, id, { page: { limit: -1, offset: 0 } }), 'INVALID_ARGUMENT');
    await expectCode(run(t.store, id, { page: { limit: 1.5, offset: 0 } }), 'INVALID_ARGUMENT');
  });

  it('unknown rollouts are NOT_FOUND for get, attempts and spans', async () => {
    await enqueueOne(t.store);
    await expectCode(t.store.getRollout('ro-unknown'), 'NOT_FOUND');
    await expectCode(t.store.queryAttempts('ro-unknown', {}), 'NOT_FOUND');
    await expectCode(t.store.querySpans({ rolloutId: 'ro-unknown' }), 'NOT_FOUND');
    await expectCode(t.store.updateRollout('ro-unknown', { metadata: '{}' }), 'NOT_FOUND');
  });
});
