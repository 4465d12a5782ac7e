import { describeEachBackend } from './harness';
import { claimOne, dequeueOne, drainQueue, enqueueOne, expectCode, llmResources, policy, retrying, spec, startOne } from './fixtures';

describeEachBackend('queue', (t) => {
  it('enqueues a queuing rollout stamped with the current time and default fields', async () => {
    const created = t.clock.now();
    const rollout = await enqueueOne(t.store, spec({ input: '{"q":1}', mode: 'train' }));
    expect(rollout).toEqual({
      rolloutId: rollout.rolloutId,
      input: '{"q":1}',
      startTime: created,
      endTime: null,
      mode: 'train',
      resourcesId: null,
      status: 'queuing',
      config: policy(),
      metadata: '{}',
    });
    expect(await t.store.getRollout(rollout.rolloutId)).toEqual({ rollout, attempt: null });
  });

  it('dequeues in FIFO order, creating attempt #1 and moving each rollout to preparing', async () => {
    const created = t.clock.now();
    const rollouts = await t.store.enqueueRollouts([spec({ input: '1' }), spec({ input: '2' }), spec({ input: '3' })]);
    t.clock.advance(7);
    const got = [await dequeueOne(t.store), await dequeueOne(t.store), await dequeueOne(t.store)];
    expect(got.map((c) => c.rollout.rolloutId)).toEqual(rollouts.map((r) => r.rolloutId));
    for (const c of got) {
      expect(c.rollout.status).toBe('preparing');
      expect(c.rollout.startTime).toBe(created);
      expect(c.attempt).toMatchObject({
        rolloutId: c.rollout.rolloutId,
        sequenceId: 1,
        status: 'preparing',
        startTime: created + 7,
        endTime: null,
        workerId: null,
        lastHeartbeatTime: null,
      });
      expect(await t.store.getRollout(c.rollout.rolloutId)).toEqual({ rollout: c.rollout, attempt: c.attempt });
    }
  });

  it('dequeue-many claims up to the limit in FIFO order', async () => {
    const rollouts = await t.store.enqueueRollouts([1, 2, 3, 4, 5].map((n) => spec({ input: String(n) })));
    const ids = rollouts.map((r) => r.rolloutId);
    const first = await t.store.dequeueRollouts(3, 'w1');
    expect(first.map((ar) => ar.rollout.rolloutId)).toEqual(ids.slice(0, 3));
    expect(first.map((ar) => ar.attempt?.sequenceId)).toEqual([1, 1, 1]);
    expect(first.map((ar) => ar.attempt?.workerId)).toEqual(['w1', 'w1', 'w1']);
    const rest = await t.store.dequeueRollouts(10, null);
    expect(rest.map((ar) => ar.rollout.rolloutId)).toEqual(ids.slice(3));
    expect(await t.store.dequeueRollouts(10, null)).toEqual([]);
  });

  it('returns an empty list on an empty queue and changes nothing', async () => {
    expect(await t.store.dequeueRollouts(1, null)).toEqual([]);
    expect(await t.store.dequeueRollouts(5, null)).toEqual([]);
    const stats = await t.store.statistics();
    expect([stats.totalRollouts, stats.totalAttempts]).toEqual([0, 0]);
  });

  it('never claims one rollout twice under concurrent dequeues', async () => {
    const rollouts = await t.store.enqueueRollouts([spec(), spec(), spec()]);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => t.store.dequeueRollouts(2, `w${i}`)));
    const claimedIds = results.flat().map((ar) => ar.rollout.rolloutId);
    expect([...claimedIds].sort()).toEqual(rollouts.map((r) => r.rolloutId).sort());
    for (const rollout of rollouts) {
      const attempts = await t.store.queryAttempts(rollout.rolloutId, {});
      expect(attempts.total).toBe(1);
      expect(attempts.items[0]?.sequenceId).toBe(1);
    }
    expect((await t.store.statistics()).totalAttempts).toBe(3);
  });

  it('puts a retried rollout at the tail, behind rollouts already queued', async () => {
    const a = await enqueueOne(t.store, retrying(['failed'], 2));
    const b = await enqueueOne(t.store);
    const claimedA = await dequeueOne(t.store);
    expect(claimedA.rollout.rolloutId).toBe(a.rolloutId);
    await t.store.updateAttempt(a.rolloutId, 'latest', { status: 'failed' });
    const c = await enqueueOne(t.store);
    const order = await t.store.dequeueRollouts(10, null);
    expect(order.map((ar) => ar.rollout.rolloutId)).toEqual([b.rolloutId, a.rolloutId, c.rolloutId]);
    expect(order.map((ar) => ar.attempt?.sequenceId)).toEqual([1, 2, 1]);
  });

  it('enqueue-many keeps the request order and returns [] for an empty request', async () => {
    expect(await t.store.enqueueRollouts([])).toEqual([]);
    const rollouts = await t.store.enqueueRollouts(['"a"', '"b"', '"c"'].map((input) => spec({ input })));
    expect(rollouts.map((r) => r.input)).toEqual(['"a"', '"b"', '"c"']);
    expect(new Set(rollouts.map((r) => r.rolloutId)).size).toBe(3);
    expect(await drainQueue(t.store)).toEqual(rollouts.map((r) => r.rolloutId));
  });

  it('enqueue-many writes nothing when one spec is invalid', async () => {
    await expectCode(t.store.enqueueRollouts([spec(), spec({ config: policy({ maxAttempts: 0 }) })]), 'INVALID_ARGUMENT');
    await expectCode(t.store.enqueueRollouts([spec(), spec({ input: '{not json' })]), 'INVALID_ARGUMENT');
    expect((await t.store.statistics()).totalRollouts).toBe(0);
    expect(await t.store.dequeueRollouts(10, null)).toEqual([]);
  });

  it('enqueue-many writes nothing when one spec names unknown resources', async () => {
    const known = await t.store.addResources(llmResources('m'));
    const specs = [spec({ resourcesId: known.resourcesId }), spec({ resourcesId: 'rs-missing' })];
    await expectCode(t.store.enqueueRollouts(specs), 'NOT_FOUND');
    expect((await t.store.statistics()).totalRollouts).toBe(0);
    expect(await t.store.dequeueRollouts(10, null)).toEqual([]);
  });

  it('start_rollout bypasses the queue', async () => {
    const queued = await enqueueOne(t.store);
    const started = await startOne(t.store);
    expect(started.rollout.status).toBe('preparing');
    expect(await drainQueue(t.store)).toEqual([queued.rolloutId]);
    expect((await t.store.queryAttempts(started.rollout.rolloutId, {})).total).toBe(1);
  });

  it('start_attempt on a queued rollout takes it out of the queue', async () => {
    const a = await enqueueOne(t.store);
    const b = await enqueueOne(t.store);
    const started = await t.store.startAttempt(a.rolloutId, null);
    expect(started.rollout.status).toBe('preparing');
    expect(started.attempt?.sequenceId).toBe(1);
    expect(await drainQueue(t.store)).toEqual([b.rolloutId]);
    expect((await t.store.queryAttempts(a.rolloutId, {})).total).toBe(1);
  });

  it('update_rollout to queuing sends an unfinished rollout to the tail; a queued one keeps its place', async () => {
    const a = await claimOne(t.store);
    const b = await enqueueOne(t.store);
    const c = await enqueueOne(t.store);
    const requeued = await t.store.updateRollout(a.rollout.rolloutId, { status: 'queuing' });
    expect(requeued.status).toBe('queuing');
    expect(requeued.endTime).toBeNull();
    await t.store.updateRollout(b.rolloutId, { status: 'requeuing' });
    expect(await drainQueue(t.store)).toEqual([b.rolloutId, c.rolloutId, a.rollout.rolloutId]);
  });

  it('a cancelled queued rollout is never dequeued', async () => {
    const a = await enqueueOne(t.store);
    const b = await enqueueOne(t.store);
    await t.store.updateRollout(a.rolloutId, { status: 'cancelled' });
    expect(await drainQueue(t.store)).toEqual([b.rolloutId]);
    expect(await t.store.getRollout(a.rolloutId)).toMatchObject({ rollout: { status: 'cancelled' }, attempt: null });
  });
});
