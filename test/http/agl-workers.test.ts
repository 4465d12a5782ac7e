import { FakeClock } from '../../src/domain/clock';
import type { AglServer } from './agl-support';
import { obj, startAglServer } from './agl-support';

describe('agent-lightning REST: workers, statistics and waits', () => {
  let s: AglServer;
  beforeEach(async () => {
    s = await startAglServer();
  });
  afterEach(async () => {
    await s.stop();
  });

  it('records worker heartbeats (body optional) and answers workers with every key', async () => {
    const first = await s.call('POST', '/v1/agl/workers/Worker-0', { heartbeat_stats: { cpu_usage_pct: 12.5 } });
    expect(first.status).toBe(200);
    expect(Object.keys(obj(first.json))).toEqual([
      'worker_id', 'status', 'heartbeat_stats', 'last_heartbeat_time', 'last_dequeue_time', 'last_busy_time', 'last_idle_time', 'current_rollout_id', 'current_attempt_id',
    ]);
    expect(first.json).toMatchObject({ worker_id: 'Worker-0', status: 'unknown', heartbeat_stats: { cpu_usage_pct: 12.5 }, last_dequeue_time: null, current_rollout_id: null });
    // No body keeps the statistics (the Python client sends none when it has no stats).
    const second = await s.call('POST', '/v1/agl/workers/Worker-0');
    expect(obj(second.json)['heartbeat_stats']).toEqual({ cpu_usage_pct: 12.5 });
    expect(await s.call('POST', '/v1/agl/workers/Worker-0', { heartbeat_stats: null })).toMatchObject({ status: 400 });
    expect((await s.call('POST', '/v1/agl/workers/Worker-0', { heartbeat_stats: [1] })).status).toBe(422);
    expect(await s.call('GET', '/v1/agl/workers/Worker-0')).toMatchObject({ status: 200, json: second.json });
  });

  it('tracks busy and idle workers through dequeues and queries them with filters and paging', async () => {
    await s.call('POST', '/v1/agl/queues/rollouts/enqueue', { rollouts: [{ input: 1 }] });
    const [claimed] = (await s.call('POST', '/v1/agl/queues/rollouts/dequeue', { worker_id: 'busy-1' })).json as Record<string, unknown>[];
    await s.call('POST', '/v1/agl/queues/rollouts/dequeue', { worker_id: 'idle-1' });
    await s.call('POST', '/v1/agl/workers/other-1', {});
    const busy = obj((await s.call('GET', '/v1/agl/workers/busy-1')).json);
    expect(busy).toMatchObject({ status: 'busy', current_rollout_id: claimed!['rollout_id'], last_dequeue_time: expect.any(Number) as number });

    const ids = (res: { json: unknown }) => (obj(res.json)['items'] as { worker_id: string }[]).map((w) => w.worker_id);
    // The Python client sends no limit or offset.
    const all = await s.call('POST', '/v1/agl/workers/search', { filter_logic: 'and' });
    expect(all.json).toMatchObject({ limit: -1, offset: 0, total: 3 });
    expect(ids(await s.call('POST', '/v1/agl/workers/search', { status_in: ['busy', 'idle'], sort_by: 'worker_id', sort_order: 'desc' }))).toEqual(['idle-1', 'busy-1']);
    expect(ids(await s.call('GET', '/v1/agl/workers?status_in=idle&status_in=unknown&sort_by=worker_id'))).toEqual(['idle-1', 'other-1']);
    expect(ids(await s.call('GET', '/v1/agl/workers?status_in=busy&worker_id_contains=other&filter_logic=or&sort_by=worker_id'))).toEqual(['busy-1', 'other-1']);
    expect((await s.call('GET', '/v1/agl/workers?limit=2&offset=2')).json).toMatchObject({ limit: 2, offset: 2, total: 3 });
    expect((await s.call('POST', '/v1/agl/workers/search', { status_in: ['asleep'] })).status).toBe(422);
  });

  it('answers statistics with the reference keys', async () => {
    await s.call('POST', '/v1/agl/queues/rollouts/enqueue', { rollouts: [{ input: 1 }, { input: 2 }] });
    const stats = await s.call('GET', '/v1/agl/statistics');
    expect(stats.status).toBe(200);
    expect(stats.json).toMatchObject({ name: 'LightningStore', backend: 'memory', total_rollouts: 2, total_attempts: 0, total_spans: 0, total_resources: 0, total_workers: 0, uptime: expect.any(Number) as number });
    expect(obj(obj(stats.json)['rollouts_by_status'])['queuing']).toBe(2);
  });

  it('waits for rollouts: timeout 0 answers the finished ones at once, in request order, as plain rollouts', async () => {
    const queued = (await s.call('POST', '/v1/agl/queues/rollouts/enqueue', { rollouts: [{ input: 1 }, { input: 2 }] })).json as { rollout_id: string }[];
    const [a, b] = queued.map((r) => r.rollout_id) as [string, string];
    expect(await s.call('POST', '/v1/agl/waits/rollouts', { rollout_ids: [a, b], timeout: 0 })).toMatchObject({ status: 200, json: [] });
    await s.call('POST', `/v1/agl/rollouts/${b}`, { status: 'cancelled' });
    const done = await s.call('POST', '/v1/agl/waits/rollouts', { rollout_ids: [a, b, b], timeout: 0.1 });
    expect((done.json as Record<string, unknown>[]).map((r) => [r['rollout_id'], r['status'], 'attempt' in r])).toEqual([
      [b, 'cancelled', false],
      [b, 'cancelled', false],
    ]);
    expect((await s.call('POST', '/v1/agl/waits/rollouts', { timeout: 0 })).status).toBe(422);
  });

  it('wakes a waiting request as soon as the rollout finishes', async () => {
    // On a clock that never moves the 20 s timeout cannot end the wait: only the rollout finishing can.
    const clock = new FakeClock();
    const f = await startAglServer({ clock });
    try {
      const [queued] = (await f.call('POST', '/v1/agl/queues/rollouts/enqueue', { rollouts: [{ input: 1 }] })).json as { rollout_id: string }[];
      const id = queued!.rollout_id;
      const base = clock.pendingTimers;
      const waiting = f.call('POST', '/v1/agl/waits/rollouts', { rollout_ids: [id], timeout: 20 });
      await clock.untilTimers(base + 1);
      await f.call('POST', `/v1/agl/rollouts/${id}`, { status: 'cancelled' });
      const done = await waiting;
      expect(done.status).toBe(200);
      expect((done.json as { rollout_id: string }[]).map((r) => r.rollout_id)).toEqual([id]);
    } finally {
      await f.stop();
    }
  });
});
