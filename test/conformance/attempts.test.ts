import { ATTEMPT_STATUSES } from '../../src/domain/records';
import type { AttemptStatus } from '../../src/domain/records';
import type { Store } from '../../src/store/store';
import { describeEachBackend } from './harness';
import type { Claimed } from './fixtures';
import { attemptById, claimOne, enqueueOne, expectCode, policy, spec, startOne } from './fixtures';

/** The attempt state machine of docs/semantics.md, written out independently of src/domain. */
const ALLOWED: Record<AttemptStatus, readonly AttemptStatus[]> = {
  preparing: ['running', 'failed', 'succeeded', 'unresponsive', 'timeout'],
  running: ['failed', 'succeeded', 'unresponsive', 'timeout'],
  unresponsive: ['running', 'failed', 'succeeded', 'timeout'],
  timeout: ['failed', 'succeeded'],
  failed: [],
  succeeded: [],
};

/** A started rollout whose attempt #1 has been moved to `status` by ordinary updates. */
async function attemptIn(store: Store, status: AttemptStatus): Promise<Claimed> {
  const c = await startOne(store);
  if (status !== 'preparing') await store.updateAttempt(c.rollout.rolloutId, 'latest', { status });
  return c;
}

const TRANSITIONS = ATTEMPT_STATUSES.flatMap((from) => ATTEMPT_STATUSES.map((to) => ({ from, to })));

describeEachBackend('attempts', (t) => {
  it('start_rollout creates attempt #1 with the rollout start time and the worker', async () => {
    const now = t.clock.now();
    const c = await startOne(t.store, spec(), 'w1');
    expect(c.rollout).toMatchObject({ status: 'preparing', startTime: now, endTime: null });
    expect(c.attempt).toEqual({
      rolloutId: c.rollout.rolloutId,
      attemptId: c.attempt.attemptId,
      sequenceId: 1,
      startTime: now,
      endTime: null,
      status: 'preparing',
      workerId: 'w1',
      lastHeartbeatTime: null,
      metadata: 'null',
    });
  });

  it('numbers attempts 1..n; start_attempt ignores max_attempts', async () => {
    const c = await startOne(t.store, spec({ config: policy({ maxAttempts: 1 }) }));
    const id = c.rollout.rolloutId;
    t.clock.advance(1);
    const second = await t.store.startAttempt(id, null);
    t.clock.advance(1);
    const third = await t.store.startAttempt(id, 'w3');
    expect(second.attempt?.sequenceId).toBe(2);
    expect(third.attempt).toMatchObject({ sequenceId: 3, status: 'preparing', startTime: t.clock.now(), workerId: 'w3' });
    expect(third.rollout.status).toBe('preparing');
    const page = await t.store.queryAttempts(id, {});
    expect(page.items.map((a) => a.sequenceId)).toEqual([1, 2, 3]);
    expect(new Set(page.items.map((a) => a.attemptId)).size).toBe(3);
    expect((await t.store.getLatestAttempt(id))?.attemptId).toBe(third.attempt?.attemptId);
    expect((await t.store.getRollout(id)).attempt?.attemptId).toBe(third.attempt?.attemptId);
  });

  it('a running rollout can take a new attempt, which becomes the latest', async () => {
    const c = await startOne(t.store);
    await t.store.updateAttempt(c.rollout.rolloutId, 'latest', { status: 'running' });
    const next = await t.store.startAttempt(c.rollout.rolloutId, null);
    expect(next.rollout.status).toBe('preparing');
    expect(next.attempt?.sequenceId).toBe(2);
    expect((await attemptById(t.store, c.rollout.rolloutId, c.attempt.attemptId)).status).toBe('running');
  });

  it('get_latest_attempt is null for a rollout without attempts; unknown ids are NOT_FOUND', async () => {
    const queued = await enqueueOne(t.store);
    expect(await t.store.getLatestAttempt(queued.rolloutId)).toBeNull();
    await expectCode(t.store.getLatestAttempt('ro-unknown'), 'NOT_FOUND');
    await expectCode(t.store.startAttempt('ro-unknown', null), 'NOT_FOUND');
    await expectCode(t.store.queryAttempts('ro-unknown', {}), 'NOT_FOUND');
  });

  it("update_attempt 'latest' targets the highest sequence id; an id targets that attempt", async () => {
    const c = await startOne(t.store);
    const id = c.rollout.rolloutId;
    const second = await t.store.startAttempt(id, null);
    const latest = await t.store.updateAttempt(id, 'latest', { metadata: '{"n":2}' });
    expect(latest).toMatchObject({ attemptId: second.attempt?.attemptId, sequenceId: 2, metadata: '{"n":2}' });
    const first = await t.store.updateAttempt(id, c.attempt.attemptId, { metadata: '{"n":1}' });
    expect(first).toMatchObject({ attemptId: c.attempt.attemptId, sequenceId: 1, metadata: '{"n":1}' });
    expect((await attemptById(t.store, id, c.attempt.attemptId)).metadata).toBe('{"n":1}');
    expect((await t.store.getLatestAttempt(id))?.metadata).toBe('{"n":2}');
  });

  it('update_attempt rejects unknown rollouts and attempts, and rollouts without attempts', async () => {
    const c = await startOne(t.store);
    const queued = await enqueueOne(t.store);
    await expectCode(t.store.updateAttempt('ro-unknown', 'latest', { status: 'running' }), 'NOT_FOUND');
    await expectCode(t.store.updateAttempt(c.rollout.rolloutId, 'at-unknown', { status: 'running' }), 'NOT_FOUND');
    await expectCode(t.store.updateAttempt(queued.rolloutId, 'latest', { status: 'running' }), 'NOT_FOUND');
    expect((await t.store.getLatestAttempt(c.rollout.rolloutId))?.status).toBe('preparing');
  });

  it('sets last_heartbeat_time verbatim without changing the status', async () => {
    const c = await startOne(t.store);
    const updated = await t.store.updateAttempt(c.rollout.rolloutId, 'latest', { lastHeartbeatTime: 1234.5 });
    expect(updated).toMatchObject({ lastHeartbeatTime: 1234.5, status: 'preparing', endTime: null });
    expect((await t.store.getRollout(c.rollout.rolloutId)).rollout.status).toBe('preparing');
  });

  it.each(TRANSITIONS)('attempt $from -> $to follows the state machine', async ({ from, to }) => {
    const c = await attemptIn(t.store, from);
    const id = c.rollout.rolloutId;
    const before = await attemptById(t.store, id, c.attempt.attemptId);
    expect(before.status).toBe(from);
    t.clock.advance(3);
    if (from === to) {
      const same = await t.store.updateAttempt(id, c.attempt.attemptId, { status: to });
      expect(same).toEqual(before);
    } else if (ALLOWED[from].includes(to)) {
      const moved = await t.store.updateAttempt(id, c.attempt.attemptId, { status: to });
      expect(moved.status).toBe(to);
      expect(moved.endTime).toBe(to === 'running' || to === 'preparing' ? null : t.clock.now());
    } else {
      await expectCode(t.store.updateAttempt(id, c.attempt.attemptId, { status: to }), 'FAILED_PRECONDITION');
      expect(await attemptById(t.store, id, c.attempt.attemptId)).toEqual(before);
    }
  });

  it.each(['failed', 'succeeded', 'timeout', 'unresponsive'] as const)('stamps end_time when an attempt becomes %s', async (status) => {
    const c = await claimOne(t.store);
    await t.store.updateAttempt(c.rollout.rolloutId, 'latest', { status: 'running' });
    t.clock.advance(4);
    const ended = await t.store.updateAttempt(c.rollout.rolloutId, 'latest', { status });
    expect(ended.endTime).toBe(t.clock.now());
    expect((await t.store.getLatestAttempt(c.rollout.rolloutId))?.endTime).toBe(t.clock.now());
  });

  it('clears end_time when an unresponsive attempt is set back to running', async () => {
    const c = await startOne(t.store);
    t.clock.advance(2);
    const silent = await t.store.updateAttempt(c.rollout.rolloutId, 'latest', { status: 'unresponsive' });
    expect(silent.endTime).toBe(t.clock.now());
    t.clock.advance(2);
    const back = await t.store.updateAttempt(c.rollout.rolloutId, 'latest', { status: 'running' });
    expect(back).toMatchObject({ status: 'running', endTime: null });
  });

  it('a repeated verdict does not re-stamp end_time', async () => {
    const c = await startOne(t.store);
    const done = await t.store.updateAttempt(c.rollout.rolloutId, 'latest', { status: 'succeeded' });
    t.clock.advance(10);
    const again = await t.store.updateAttempt(c.rollout.rolloutId, 'latest', { status: 'succeeded' });
    expect(again.endTime).toBe(done.endTime);
    expect((await t.store.getRollout(c.rollout.rolloutId)).rollout.endTime).toBe(done.endTime);
  });
});
