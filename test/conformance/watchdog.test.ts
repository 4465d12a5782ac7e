import { describeEachBackend } from './harness';
import {
  addStored,
  attemptById,
  claimed,
  claimOne,
  dequeueOne,
  drainQueue,
  enqueueOne,
  ownerOf,
  policy,
  retrying,
  span,
  spec,
  startOne,
} from './fixtures';

const timeout10 = spec({ config: policy({ timeoutSeconds: 10 }) });
const silent5 = spec({ config: policy({ unresponsiveSeconds: 5 }) });

describeEachBackend('watchdog', (t) => {
  it('times out an attempt strictly after timeout_seconds since its start', async () => {
    const c = await claimOne(t.store, timeout10);
    const id = c.rollout.rolloutId;
    t.clock.advance(10);
    expect(await t.store.runWatchdog()).toBe(0);
    expect((await t.store.getLatestAttempt(id))?.status).toBe('preparing');
    t.clock.advance(0.5);
    expect(await t.store.runWatchdog()).toBe(1);
    const { rollout, attempt } = await t.store.getRollout(id);
    expect(attempt).toMatchObject({ status: 'timeout', endTime: t.clock.now() });
    expect(rollout).toMatchObject({ status: 'failed', endTime: t.clock.now() });
  });

  it('counts the timeout from the attempt start, not the rollout start', async () => {
    const queued = await enqueueOne(t.store, timeout10);
    t.clock.advance(100);
    await dequeueOne(t.store);
    t.clock.advance(9);
    expect(await t.store.runWatchdog()).toBe(0);
    t.clock.advance(2);
    expect(await t.store.runWatchdog()).toBe(1);
    expect((await t.store.getLatestAttempt(queued.rolloutId))?.status).toBe('timeout');
  });

  it('marks an attempt without heartbeat unresponsive strictly after unresponsive_seconds since its start', async () => {
    const c = await startOne(t.store, silent5);
    t.clock.advance(5);
    expect(await t.store.runWatchdog()).toBe(0);
    t.clock.advance(0.25);
    expect(await t.store.runWatchdog()).toBe(1);
    const { rollout, attempt } = await t.store.getRollout(c.rollout.rolloutId);
    expect(attempt).toMatchObject({ status: 'unresponsive', endTime: t.clock.now(), lastHeartbeatTime: null });
    expect(rollout).toMatchObject({ status: 'failed', endTime: t.clock.now() });
  });

  it('counts silence from the last span heartbeat', async () => {
    const c = await startOne(t.store, silent5);
    t.clock.advance(3);
    await addStored(t.store, [span(ownerOf(c), 's1')]);
    t.clock.advance(5);
    expect(await t.store.runWatchdog()).toBe(0);
    expect((await t.store.getLatestAttempt(c.rollout.rolloutId))?.status).toBe('running');
    t.clock.advance(0.5);
    expect(await t.store.runWatchdog()).toBe(1);
    expect((await t.store.getLatestAttempt(c.rollout.rolloutId))?.status).toBe('unresponsive');
  });

  it('an explicit last_heartbeat_time update delays the unresponsive verdict', async () => {
    const c = await startOne(t.store, silent5);
    const id = c.rollout.rolloutId;
    t.clock.advance(4);
    await t.store.updateAttempt(id, 'latest', { lastHeartbeatTime: t.clock.now() });
    t.clock.advance(4);
    expect(await t.store.runWatchdog()).toBe(0);
    t.clock.advance(1.5);
    expect(await t.store.runWatchdog()).toBe(1);
    expect((await t.store.getLatestAttempt(id))?.status).toBe('unresponsive');
  });

  it('checks the timeout first when both rules are due', async () => {
    const c = await startOne(t.store, spec({ config: policy({ timeoutSeconds: 10, unresponsiveSeconds: 5 }) }));
    t.clock.advance(11);
    expect(await t.store.runWatchdog()).toBe(1);
    expect((await t.store.getLatestAttempt(c.rollout.rolloutId))?.status).toBe('timeout');
  });

  it.each([
    { verdict: 'timeout', config: { timeoutSeconds: 10 } },
    { verdict: 'unresponsive', config: { unresponsiveSeconds: 10 } },
  ] as const)('a $verdict verdict requeues the rollout when retries remain', async ({ verdict, config }) => {
    const c = await claimOne(t.store, retrying([verdict], 2, config));
    t.clock.advance(11);
    expect(await t.store.runWatchdog()).toBe(1);
    expect((await t.store.getRollout(c.rollout.rolloutId)).rollout).toMatchObject({ status: 'requeuing', endTime: null });
    const retry = await dequeueOne(t.store);
    expect(retry.attempt.sequenceId).toBe(2);
    t.clock.advance(11);
    expect(await t.store.runWatchdog()).toBe(1);
    expect((await t.store.getRollout(c.rollout.rolloutId)).rollout).toMatchObject({ status: 'failed', endTime: t.clock.now() });
  });

  it('makes the attempt’s worker unknown', async () => {
    await t.store.updateWorker('w1', '{"cpu":1}');
    const c = await claimOne(t.store, timeout10, 'w1');
    t.clock.advance(11);
    await t.store.runWatchdog();
    expect(await t.store.getWorker('w1')).toMatchObject({
      status: 'unknown',
      currentRolloutId: null,
      currentAttemptId: null,
      lastIdleTime: t.clock.now(),
      heartbeatStats: '{"cpu":1}',
    });
    expect((await t.store.getLatestAttempt(c.rollout.rolloutId))?.workerId).toBe('w1');
  });

  it('gives no verdict to queued, requeuing or finished rollouts', async () => {
    const queued = await enqueueOne(t.store, spec({ config: policy({ timeoutSeconds: 1, unresponsiveSeconds: 1 }) }));
    const done = await startOne(t.store, timeout10);
    await t.store.updateAttempt(done.rollout.rolloutId, 'latest', { status: 'succeeded' });
    const retried = await startOne(t.store, retrying(['failed'], 2, { timeoutSeconds: 10 }));
    await t.store.updateAttempt(retried.rollout.rolloutId, 'latest', { status: 'failed' });
    t.clock.advance(1000);
    expect(await t.store.runWatchdog()).toBe(0);
    expect((await t.store.getRollout(queued.rolloutId)).rollout.status).toBe('queuing');
    expect((await t.store.getRollout(done.rollout.rolloutId)).attempt?.status).toBe('succeeded');
    expect((await t.store.getRollout(retried.rollout.rolloutId)).rollout.status).toBe('requeuing');
    expect(await drainQueue(t.store)).toEqual([queued.rolloutId, retried.rollout.rolloutId]);
  });

  it('watches only the latest attempt', async () => {
    const c = await startOne(t.store, timeout10);
    const id = c.rollout.rolloutId;
    t.clock.advance(8);
    const second = claimed(await t.store.startAttempt(id, null));
    t.clock.advance(4);
    expect(await t.store.runWatchdog()).toBe(0);
    expect((await attemptById(t.store, id, c.attempt.attemptId)).status).toBe('preparing');
    t.clock.advance(7);
    expect(await t.store.runWatchdog()).toBe(1);
    expect((await attemptById(t.store, id, second.attempt.attemptId)).status).toBe('timeout');
    expect((await attemptById(t.store, id, c.attempt.attemptId)).status).toBe('preparing');
  });

  it('ignores a running rollout whose latest attempt is no longer active', async () => {
    const c = await startOne(t.store, retrying(['failed'], 3, { timeoutSeconds: 10, unresponsiveSeconds: 10 }));
    const id = c.rollout.rolloutId;
    await t.store.updateAttempt(id, 'latest', { status: 'failed' });
    await t.store.updateRollout(id, { status: 'running' });
    t.clock.advance(100);
    expect(await t.store.runWatchdog()).toBe(0);
    expect(await t.store.getRollout(id)).toMatchObject({ rollout: { status: 'running' }, attempt: { status: 'failed' } });
  });

  it('a second pass applies nothing more', async () => {
    await startOne(t.store, timeout10);
    await startOne(t.store, silent5);
    t.clock.advance(20);
    expect(await t.store.runWatchdog()).toBe(2);
    const before = await t.store.queryRollouts({});
    expect(await t.store.runWatchdog()).toBe(0);
    t.clock.advance(20);
    expect(await t.store.runWatchdog()).toBe(0);
    expect(await t.store.queryRollouts({})).toEqual(before);
  });

  it('watches a policy set by update_rollout on a running rollout', async () => {
    const c = await startOne(t.store);
    t.clock.advance(100);
    expect(await t.store.runWatchdog()).toBe(0);
    await t.store.updateRollout(c.rollout.rolloutId, { config: policy({ timeoutSeconds: 50 }) });
    expect(await t.store.runWatchdog()).toBe(1);
    expect((await t.store.getLatestAttempt(c.rollout.rolloutId))?.status).toBe('timeout');
  });

  it('worker heartbeats do not keep an attempt alive', async () => {
    const c = await startOne(t.store, silent5, 'w1');
    t.clock.advance(4);
    await t.store.updateWorker('w1', null);
    t.clock.advance(2);
    expect(await t.store.runWatchdog()).toBe(1);
    expect((await t.store.getLatestAttempt(c.rollout.rolloutId))?.status).toBe('unresponsive');
  });
});
