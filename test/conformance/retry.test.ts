import { ATTEMPT_STATUSES } from '../../src/domain/records';
import { describeEachBackend } from './harness';
import { attemptById, claimed, claimOne, dequeueOne, drainQueue, retrying, rolloutStatus, spec, startOne } from './fixtures';

const FAILURES = ['failed', 'timeout', 'unresponsive'] as const;

describeEachBackend('retry propagation', (t) => {
  it.each(FAILURES)('a %s attempt listed in retry_condition requeues the rollout at the tail', async (status) => {
    const c = await claimOne(t.store, retrying([status], 2));
    const id = c.rollout.rolloutId;
    await t.store.updateAttempt(id, 'latest', { status });
    expect((await t.store.getRollout(id)).rollout).toMatchObject({ status: 'requeuing', endTime: null });
    const retry = await dequeueOne(t.store, 'w2');
    expect(retry.rollout).toMatchObject({ rolloutId: id, status: 'preparing' });
    expect(retry.attempt).toMatchObject({ sequenceId: 2, status: 'preparing', workerId: 'w2' });
  });

  it.each(FAILURES)('a %s attempt not listed in retry_condition fails the rollout', async (status) => {
    const others = ATTEMPT_STATUSES.filter((s) => s !== status);
    const c = await claimOne(t.store, retrying(others, 5));
    t.clock.advance(3);
    await t.store.updateAttempt(c.rollout.rolloutId, 'latest', { status });
    expect((await t.store.getRollout(c.rollout.rolloutId)).rollout).toMatchObject({ status: 'failed', endTime: t.clock.now() });
    expect(await drainQueue(t.store)).toEqual([]);
  });

  it('running and succeeded propagate as themselves', async () => {
    const c = await claimOne(t.store, retrying(['failed'], 3));
    const id = c.rollout.rolloutId;
    await t.store.updateAttempt(id, 'latest', { status: 'running' });
    expect((await t.store.getRollout(id)).rollout).toMatchObject({ status: 'running', endTime: null });
    t.clock.advance(5);
    await t.store.updateAttempt(id, 'latest', { status: 'succeeded' });
    expect((await t.store.getRollout(id)).rollout).toMatchObject({ status: 'succeeded', endTime: t.clock.now() });
  });

  it('retries while sequence_id < max_attempts, then fails', async () => {
    const c = await claimOne(t.store, retrying(['failed'], 3));
    const id = c.rollout.rolloutId;
    await t.store.updateAttempt(id, 'latest', { status: 'failed' });
    expect(await rolloutStatus(t.store, id)).toBe('requeuing');
    expect((await dequeueOne(t.store)).attempt.sequenceId).toBe(2);
    await t.store.updateAttempt(id, 'latest', { status: 'failed' });
    expect(await rolloutStatus(t.store, id)).toBe('requeuing');
    expect((await dequeueOne(t.store)).attempt.sequenceId).toBe(3);
    t.clock.advance(1);
    await t.store.updateAttempt(id, 'latest', { status: 'failed' });
    expect((await t.store.getRollout(id)).rollout).toMatchObject({ status: 'failed', endTime: t.clock.now() });
    expect(await drainQueue(t.store)).toEqual([]);
    expect((await t.store.queryAttempts(id, {})).total).toBe(3);
  });

  it('counts attempts made by start_attempt against max_attempts (sequence_id, not failures)', async () => {
    const c = await startOne(t.store, retrying(['failed'], 2));
    const id = c.rollout.rolloutId;
    const second = await t.store.startAttempt(id, null);
    expect(second.attempt?.sequenceId).toBe(2);
    await t.store.updateAttempt(id, 'latest', { status: 'failed' });
    expect(await rolloutStatus(t.store, id)).toBe('failed');
    expect(await drainQueue(t.store)).toEqual([]);
  });

  it('only the latest attempt propagates to the rollout', async () => {
    const c = await startOne(t.store, retrying(['failed'], 5));
    const id = c.rollout.rolloutId;
    await t.store.updateAttempt(id, 'latest', { status: 'running' });
    const second = claimed(await t.store.startAttempt(id, null));
    await t.store.updateAttempt(id, c.attempt.attemptId, { status: 'failed' });
    expect(await rolloutStatus(t.store, id)).toBe('preparing');
    expect((await attemptById(t.store, id, c.attempt.attemptId)).status).toBe('failed');
    expect(await drainQueue(t.store)).toEqual([]);
    await t.store.updateAttempt(id, second.attempt.attemptId, { status: 'running' });
    expect(await rolloutStatus(t.store, id)).toBe('running');
  });

  it('a late succeeded verdict on a requeuing rollout finishes it and takes it out of the queue', async () => {
    const c = await claimOne(t.store, retrying(['timeout'], 2, { timeoutSeconds: 10 }));
    const id = c.rollout.rolloutId;
    t.clock.advance(11);
    expect(await t.store.runWatchdog()).toBe(1);
    expect(await rolloutStatus(t.store, id)).toBe('requeuing');
    t.clock.advance(1);
    const late = await t.store.updateAttempt(id, 'latest', { status: 'succeeded' });
    expect(late).toMatchObject({ status: 'succeeded', endTime: t.clock.now() });
    expect((await t.store.getRollout(id)).rollout).toMatchObject({ status: 'succeeded', endTime: t.clock.now() });
    expect(await drainQueue(t.store)).toEqual([]);
  });

  it('a late failed verdict that is not retried fails a requeuing rollout', async () => {
    const c = await claimOne(t.store, retrying(['timeout'], 2, { timeoutSeconds: 10 }));
    const id = c.rollout.rolloutId;
    t.clock.advance(11);
    await t.store.runWatchdog();
    await t.store.updateAttempt(id, 'latest', { status: 'failed' });
    expect((await t.store.getRollout(id)).rollout).toMatchObject({ status: 'failed', endTime: t.clock.now() });
    expect(await drainQueue(t.store)).toEqual([]);
  });

  it('a late retried verdict keeps a requeuing rollout in the queue once', async () => {
    const other = await t.store.enqueueRollouts([spec()]);
    const c = await startOne(t.store, retrying(['timeout', 'failed'], 3, { timeoutSeconds: 10 }));
    const id = c.rollout.rolloutId;
    t.clock.advance(11);
    await t.store.runWatchdog();
    await t.store.updateAttempt(id, 'latest', { status: 'failed' });
    expect(await rolloutStatus(t.store, id)).toBe('requeuing');
    expect(await drainQueue(t.store)).toEqual([other[0]?.rolloutId, id]);
  });
});
