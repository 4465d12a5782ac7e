import { ROLLOUT_STATUSES } from '../../src/domain/records';
import type { RolloutStatus } from '../../src/domain/records';
import { describeEachBackend } from './harness';
import {
  addStored,
  attemptById,
  claimOne,
  drainQueue,
  enqueueOne,
  expectCode,
  ownerOf,
  policy,
  retrying,
  rolloutStatus,
  span,
  spec,
} from './fixtures';

const FINISHED = ['succeeded', 'failed', 'cancelled'] as const;
const CASES = FINISHED.flatMap((from) => ROLLOUT_STATUSES.map((to) => ({ from, to })));
const isQueuing = (s: RolloutStatus) => s === 'queuing' || s === 'requeuing';

describeEachBackend('finished rollouts are sticky', (t) => {
  it.each(CASES)('update_rollout $from -> $to', async ({ from, to }) => {
    const c = await claimOne(t.store);
    const id = c.rollout.rolloutId;
    const finished = await t.store.updateRollout(id, { status: from });
    expect(finished).toMatchObject({ status: from, endTime: t.clock.now() });
    const other = await enqueueOne(t.store);
    t.clock.advance(5);
    if (to === from) {
      const same = await t.store.updateRollout(id, { status: to });
      expect(same).toEqual(finished);
      expect(await drainQueue(t.store)).toEqual([other.rolloutId]);
    } else if (isQueuing(to)) {
      const requeued = await t.store.updateRollout(id, { status: to });
      expect(requeued).toMatchObject({ status: to, endTime: null });
      const order = await t.store.dequeueRollouts(10, null);
      expect(order.map((ar) => ar.rollout.rolloutId)).toEqual([other.rolloutId, id]);
      expect(order[1]?.attempt?.sequenceId).toBe(2);
    } else {
      await expectCode(t.store.updateRollout(id, { status: to }), 'FAILED_PRECONDITION');
      expect((await t.store.getRollout(id)).rollout).toEqual(finished);
    }
  });

  it.each(FINISHED)('a %s rollout accepts non-status updates and keeps its end_time', async (status) => {
    const c = await claimOne(t.store);
    const finished = await t.store.updateRollout(c.rollout.rolloutId, { status });
    t.clock.advance(5);
    const updated = await t.store.updateRollout(c.rollout.rolloutId, { metadata: '{"note":"x"}' });
    expect(updated).toEqual({ ...finished, metadata: '{"note":"x"}' });
  });

  it.each(FINISHED)('start_attempt on a %s rollout is FAILED_PRECONDITION', async (status) => {
    const c = await claimOne(t.store);
    await t.store.updateRollout(c.rollout.rolloutId, { status });
    await expectCode(t.store.startAttempt(c.rollout.rolloutId, 'w1'), 'FAILED_PRECONDITION');
    expect((await t.store.queryAttempts(c.rollout.rolloutId, {})).total).toBe(1);
    await expectCode(t.store.getWorker('w1'), 'NOT_FOUND');
  });

  it.each(['preparing', 'running'] as const)('setting %s on a rollout without an attempt is FAILED_PRECONDITION', async (status) => {
    const queued = await enqueueOne(t.store);
    await expectCode(t.store.updateRollout(queued.rolloutId, { status }), 'FAILED_PRECONDITION');
    expect(await rolloutStatus(t.store, queued.rolloutId)).toBe('queuing');
    expect(await drainQueue(t.store)).toEqual([queued.rolloutId]);
  });

  it.each(['succeeded', 'failed'] as const)('a cancelled rollout stays cancelled after the final update_attempt %s', async (verdict) => {
    const c = await claimOne(t.store, retrying(['failed'], 3), 'w1');
    const id = c.rollout.rolloutId;
    await t.store.updateAttempt(id, 'latest', { status: 'running' });
    const cancelled = await t.store.updateRollout(id, { status: 'cancelled' });
    expect(cancelled).toMatchObject({ status: 'cancelled', endTime: t.clock.now() });
    t.clock.advance(5);
    const attempt = await t.store.updateAttempt(id, 'latest', { status: verdict });
    expect(attempt).toMatchObject({ status: verdict, endTime: t.clock.now() });
    expect((await t.store.getRollout(id)).rollout).toEqual(cancelled);
    expect(await drainQueue(t.store)).toEqual([]);
  });

  it('update_attempt on an older attempt of a finished rollout changes only the attempt', async () => {
    const c = await claimOne(t.store);
    const id = c.rollout.rolloutId;
    await t.store.startAttempt(id, null);
    const done = await t.store.updateAttempt(id, 'latest', { status: 'succeeded' });
    const finished = (await t.store.getRollout(id)).rollout;
    expect(finished.status).toBe('succeeded');
    await t.store.updateAttempt(id, c.attempt.attemptId, { status: 'failed' });
    expect((await attemptById(t.store, id, c.attempt.attemptId)).status).toBe('failed');
    expect((await t.store.getRollout(id)).rollout).toEqual(finished);
    expect((await t.store.getLatestAttempt(id))?.endTime).toBe(done.endTime);
  });

  it.each(FINISHED)('spans for a %s rollout record the heartbeat but leave the rollout', async (status) => {
    const c = await claimOne(t.store);
    const id = c.rollout.rolloutId;
    const finished = await t.store.updateRollout(id, { status });
    t.clock.advance(2);
    await addStored(t.store, [span(ownerOf(c), 's1')]);
    expect((await t.store.getRollout(id)).rollout).toEqual(finished);
    const attempt = await attemptById(t.store, id, c.attempt.attemptId);
    expect(attempt.lastHeartbeatTime).toBe(t.clock.now());
  });

  it('a cancelled running rollout leaves the watchdog’s sight', async () => {
    const c = await claimOne(t.store, spec({ config: policy({ timeoutSeconds: 10 }) }));
    const id = c.rollout.rolloutId;
    await t.store.updateRollout(id, { status: 'cancelled' });
    t.clock.advance(100);
    expect(await t.store.runWatchdog()).toBe(0);
    expect((await t.store.getRollout(id)).attempt?.status).toBe('preparing');
    expect(await rolloutStatus(t.store, id)).toBe('cancelled');
  });

  it('an explicitly re-queued rollout is no longer reported finished by wait', async () => {
    const c = await claimOne(t.store);
    const id = c.rollout.rolloutId;
    await t.store.updateRollout(id, { status: 'failed' });
    expect((await t.store.waitForRollouts([id], 0)).map((r) => r.rolloutId)).toEqual([id]);
    await t.store.updateRollout(id, { status: 'requeuing' });
    expect(await t.store.waitForRollouts([id], 0)).toEqual([]);
  });
});
