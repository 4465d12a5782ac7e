import { describeEachBackend } from './harness';
import { claimOne, dequeueOne, enqueueOne, expectCode, spec, startOne } from './fixtures';

describeEachBackend('workers', (t) => {
  it('update_worker creates an unknown worker and records heartbeat and statistics', async () => {
    const created = await t.store.updateWorker('w1', '{"cpu_usage_pct":12.5,"mem":9007199254740993}');
    expect(created).toEqual({
      workerId: 'w1',
      status: 'unknown',
      heartbeatStats: '{"cpu_usage_pct":12.5,"mem":9007199254740993}',
      lastHeartbeatTime: t.clock.now(),
      lastDequeueTime: null,
      lastBusyTime: null,
      lastIdleTime: null,
      currentRolloutId: null,
      currentAttemptId: null,
    });
    expect(await t.store.getWorker('w1')).toEqual(created);
  });

  it('update_worker keeps status and assignment; null statistics keep the previous ones', async () => {
    await t.store.updateWorker('w1', '{"a":1}');
    const c = await claimOne(t.store, spec(), 'w1');
    t.clock.advance(5);
    const beat = await t.store.updateWorker('w1', null);
    expect(beat).toMatchObject({
      status: 'busy',
      heartbeatStats: '{"a":1}',
      lastHeartbeatTime: t.clock.now(),
      currentRolloutId: c.rollout.rolloutId,
      currentAttemptId: c.attempt.attemptId,
    });
    expect((await t.store.updateWorker('w1', '{"b":2}')).heartbeatStats).toBe('{"b":2}');
  });

  it('rejects bad worker ids and statistics with INVALID_ARGUMENT; unknown workers are NOT_FOUND', async () => {
    await expectCode(t.store.updateWorker('', null), 'INVALID_ARGUMENT');
    await expectCode(t.store.updateWorker('w1', '{bad'), 'INVALID_ARGUMENT');
    await expectCode(t.store.updateWorker('w1', '[1]'), 'INVALID_ARGUMENT');
    await expectCode(t.store.getWorker('w1'), 'NOT_FOUND');
  });

  it('a successful dequeue makes the worker busy with the attempt and keeps its other fields', async () => {
    await t.store.updateWorker('w1', '{"a":1}');
    const heartbeatAt = t.clock.now();
    await enqueueOne(t.store);
    t.clock.advance(3);
    const c = await dequeueOne(t.store, 'w1');
    expect(await t.store.getWorker('w1')).toEqual({
      workerId: 'w1',
      status: 'busy',
      heartbeatStats: '{"a":1}',
      lastHeartbeatTime: heartbeatAt,
      lastDequeueTime: t.clock.now(),
      lastBusyTime: t.clock.now(),
      lastIdleTime: null,
      currentRolloutId: c.rollout.rolloutId,
      currentAttemptId: c.attempt.attemptId,
    });
  });

  it('dequeue-many leaves the worker busy with the last claimed attempt', async () => {
    await t.store.enqueueRollouts([spec(), spec(), spec()]);
    const got = await t.store.dequeueRollouts(3, 'w1');
    const last = got[2];
    expect(await t.store.getWorker('w1')).toMatchObject({
      status: 'busy',
      currentRolloutId: last?.rollout.rolloutId,
      currentAttemptId: last?.attempt?.attemptId,
    });
  });

  it('an empty dequeue creates an idle worker, and makes an unknown worker idle', async () => {
    expect(await t.store.dequeueRollouts(1, 'new')).toEqual([]);
    expect(await t.store.getWorker('new')).toMatchObject({
      status: 'idle',
      lastIdleTime: t.clock.now(),
      lastDequeueTime: t.clock.now(),
      lastHeartbeatTime: null,
    });
    await t.store.updateWorker('w1', null);
    t.clock.advance(1);
    await t.store.dequeueRollouts(1, 'w1');
    expect(await t.store.getWorker('w1')).toMatchObject({ status: 'idle', lastIdleTime: t.clock.now(), lastDequeueTime: t.clock.now() });
  });

  it('an empty dequeue by an idle worker moves only last_dequeue_time', async () => {
    await t.store.dequeueRollouts(1, 'w1');
    const idle = await t.store.getWorker('w1');
    t.clock.advance(4);
    await t.store.dequeueRollouts(1, 'w1');
    expect(await t.store.getWorker('w1')).toEqual({ ...idle, lastDequeueTime: t.clock.now() });
  });

  it('an empty dequeue by a worker holding an attempt keeps it busy', async () => {
    await claimOne(t.store, spec(), 'w1');
    const busy = await t.store.getWorker('w1');
    t.clock.advance(4);
    expect(await t.store.dequeueRollouts(1, 'w1')).toEqual([]);
    expect(await t.store.getWorker('w1')).toEqual({ ...busy, lastDequeueTime: t.clock.now() });
  });

  it('start_rollout and start_attempt with a worker make it busy without touching last_dequeue_time', async () => {
    const c = await startOne(t.store, spec(), 'w1');
    expect(await t.store.getWorker('w1')).toMatchObject({
      status: 'busy',
      lastDequeueTime: null,
      lastBusyTime: t.clock.now(),
      currentRolloutId: c.rollout.rolloutId,
      currentAttemptId: c.attempt.attemptId,
    });
    t.clock.advance(2);
    const next = await t.store.startAttempt(c.rollout.rolloutId, 'w2');
    expect(await t.store.getWorker('w2')).toMatchObject({
      status: 'busy',
      lastDequeueTime: null,
      lastBusyTime: t.clock.now(),
      currentAttemptId: next.attempt?.attemptId,
    });
  });

  it.each([
    ['succeeded', 'idle'],
    ['failed', 'idle'],
    ['timeout', 'unknown'],
    ['unresponsive', 'unknown'],
  ] as const)('an attempt that becomes %s releases its worker as %s', async (status, workerStatus) => {
    const c = await claimOne(t.store, spec(), 'w1');
    await t.store.updateAttempt(c.rollout.rolloutId, 'latest', { status: 'running' });
    t.clock.advance(6);
    await t.store.updateAttempt(c.rollout.rolloutId, 'latest', { status });
    expect(await t.store.getWorker('w1')).toMatchObject({
      status: workerStatus,
      lastIdleTime: t.clock.now(),
      currentRolloutId: null,
      currentAttemptId: null,
    });
  });

  it('metadata or heartbeat-only attempt updates never touch the worker', async () => {
    const c = await claimOne(t.store, spec(), 'w1');
    const busy = await t.store.getWorker('w1');
    t.clock.advance(3);
    await t.store.updateAttempt(c.rollout.rolloutId, 'latest', { metadata: '{"x":1}', lastHeartbeatTime: t.clock.now() });
    expect(await t.store.getWorker('w1')).toEqual(busy);
  });

  it('update_attempt naming a worker makes it busy with the attempt', async () => {
    const c = await startOne(t.store);
    t.clock.advance(1);
    await t.store.updateAttempt(c.rollout.rolloutId, 'latest', { workerId: 'w9' });
    expect(await t.store.getWorker('w9')).toMatchObject({
      status: 'busy',
      lastBusyTime: t.clock.now(),
      currentAttemptId: c.attempt.attemptId,
    });
    expect((await t.store.getLatestAttempt(c.rollout.rolloutId))?.workerId).toBe('w9');
  });

  it('handing an attempt to another worker releases the previous one as unknown', async () => {
    const c = await claimOne(t.store, spec(), 'A');
    t.clock.advance(2);
    await t.store.updateAttempt(c.rollout.rolloutId, 'latest', { workerId: 'B' });
    expect(await t.store.getWorker('A')).toMatchObject({
      status: 'unknown',
      currentRolloutId: null,
      currentAttemptId: null,
      lastIdleTime: t.clock.now(),
    });
    expect(await t.store.getWorker('B')).toMatchObject({
      status: 'busy',
      currentRolloutId: c.rollout.rolloutId,
      currentAttemptId: c.attempt.attemptId,
    });
  });

  it('a worker that moved on to another attempt stays busy with it when the old attempt ends or is handed over', async () => {
    const first = await claimOne(t.store, spec(), 'A');
    const second = await claimOne(t.store, spec(), 'A');
    const busy = await t.store.getWorker('A');
    expect(busy.currentAttemptId).toBe(second.attempt.attemptId);
    t.clock.advance(1);
    await t.store.updateAttempt(first.rollout.rolloutId, 'latest', { status: 'failed' });
    expect(await t.store.getWorker('A')).toEqual(busy);
    const third = await startOne(t.store, spec(), 'A');
    await t.store.updateAttempt(second.rollout.rolloutId, 'latest', { workerId: 'B' });
    expect(await t.store.getWorker('A')).toMatchObject({ status: 'busy', currentAttemptId: third.attempt.attemptId });
  });
});
