import type { AglServer } from './agl-support';
import { obj, startAglServer } from './agl-support';

describe('agent-lightning REST: rollouts and the queue', () => {
  let s: AglServer;
  beforeEach(async () => {
    s = await startAglServer();
  });
  afterEach(async () => {
    await s.stop();
  });

  it('enqueues with 201 and answers rollouts with every key, explicit nulls and no attempt key', async () => {
    const res = await s.call('POST', '/v1/agl/queues/rollouts/enqueue', {
      rollouts: [{ input: { question: '1+1?' }, mode: 'train', resources_id: null, config: null, metadata: null }],
    });
    expect(res.status).toBe(201);
    const [rollout] = res.json as Record<string, unknown>[];
    expect(Object.keys(rollout!)).toEqual(['rollout_id', 'input', 'start_time', 'end_time', 'mode', 'resources_id', 'status', 'config', 'metadata']);
    expect(rollout).toMatchObject({
      input: { question: '1+1?' },
      end_time: null,
      mode: 'train',
      resources_id: null,
      status: 'queuing',
      config: { timeout_seconds: null, unresponsive_seconds: null, max_attempts: 1, retry_condition: [] },
      metadata: {},
    });
    expect(rollout!['rollout_id']).toMatch(/^ro-/);
    // Seconds since the epoch, not milliseconds.
    expect(Math.abs((rollout!['start_time'] as number) - Date.now() / 1000)).toBeLessThan(60);
  });

  it('enqueues many in order, and an empty list answers [] with 201', async () => {
    const many = await s.call('POST', '/v1/agl/queues/rollouts/enqueue', { rollouts: [{ input: 1 }, { input: null }, { input: 'three' }] });
    expect(many.status).toBe(201);
    expect((many.json as { input: unknown }[]).map((r) => r.input)).toEqual([1, null, 'three']);
    const none = await s.call('POST', '/v1/agl/queues/rollouts/enqueue', { rollouts: [] });
    expect(none).toMatchObject({ status: 201, json: [] });
  });

  it('keeps input and metadata exactly as sent, 64-bit integers included', async () => {
    const body = '{"rollouts":[{"input":{"id":12345678901234567890,"x":1.50},"metadata":{"big":9007199254740993}}]}';
    const res = await s.call('POST', '/v1/agl/queues/rollouts/enqueue', body);
    expect(res.text).toContain('"input":{"id":12345678901234567890,"x":1.50}');
    expect(res.text).toContain('"metadata":{"big":9007199254740993}');
  });

  it('dequeues FIFO with an attempt, honours limit, and answers [] when empty or for limit <= 0', async () => {
    const queued = (await s.call('POST', '/v1/agl/queues/rollouts/enqueue', { rollouts: [{ input: 'a' }, { input: 'b' }, { input: 'c' }] })).json as { rollout_id: string }[];
    const first = await s.call('POST', '/v1/agl/queues/rollouts/dequeue', { limit: 1, worker_id: 'Worker-0' });
    expect(first.status).toBe(200);
    const [claimed] = first.json as Record<string, unknown>[];
    expect(claimed).toMatchObject({ rollout_id: queued[0]!.rollout_id, status: 'preparing' });
    expect(obj(claimed!['attempt'])).toMatchObject({
      rollout_id: queued[0]!.rollout_id,
      sequence_id: 1,
      status: 'preparing',
      worker_id: 'Worker-0',
      end_time: null,
      last_heartbeat_time: null,
      metadata: null,
    });
    expect(Object.keys(obj(claimed!['attempt']))).toEqual(['rollout_id', 'attempt_id', 'sequence_id', 'start_time', 'end_time', 'status', 'worker_id', 'last_heartbeat_time', 'metadata']);
    expect((await s.call('POST', '/v1/agl/queues/rollouts/dequeue', { limit: 0 })).json).toEqual([]);
    const rest = await s.call('POST', '/v1/agl/queues/rollouts/dequeue', { limit: 5 });
    expect((rest.json as { rollout_id: string }[]).map((r) => r.rollout_id)).toEqual([queued[1]!.rollout_id, queued[2]!.rollout_id]);
    // No body at all means the defaults (limit 1, no worker).
    expect(await s.call('POST', '/v1/agl/queues/rollouts/dequeue')).toMatchObject({ status: 200, json: [] });
    expect(await s.call('POST', '/v1/agl/queues/rollouts/dequeue', null)).toMatchObject({ status: 200, json: [] });
  });

  it('starts a rollout directly with 201 and reads it back with its latest attempt', async () => {
    const started = await s.call('POST', '/v1/agl/rollouts', {
      input: { q: 1 },
      mode: null,
      resources_id: null,
      config: { max_attempts: 2, retry_condition: ['failed'], timeout_seconds: 60 },
      metadata: { tag: 'x' },
      worker_id: 'Worker-1',
    });
    expect(started.status).toBe(201);
    const body = obj(started.json);
    expect(body).toMatchObject({ status: 'preparing', metadata: { tag: 'x' }, config: { max_attempts: 2, retry_condition: ['failed'], timeout_seconds: 60, unresponsive_seconds: null } });
    expect(obj(body['attempt'])).toMatchObject({ sequence_id: 1, worker_id: 'Worker-1' });
    const read = await s.call('GET', `/v1/agl/rollouts/${body['rollout_id'] as string}`);
    expect(read).toMatchObject({ status: 200, json: body });
  });

  it('answers a never-dequeued rollout without an attempt key', async () => {
    const [queued] = (await s.call('POST', '/v1/agl/queues/rollouts/enqueue', { rollouts: [{ input: 1 }] })).json as { rollout_id: string }[];
    const read = obj((await s.call('GET', `/v1/agl/rollouts/${queued!.rollout_id}`)).json);
    expect('attempt' in read).toBe(false);
  });

  it('updates a rollout: absent keys are kept, null clears, status and config cannot be null', async () => {
    const [queued] = (await s.call('POST', '/v1/agl/queues/rollouts/enqueue', { rollouts: [{ input: 1, mode: 'val', metadata: { a: 1 } }] })).json as { rollout_id: string }[];
    const path = `/v1/agl/rollouts/${queued!.rollout_id}`;
    const changed = await s.call('POST', path, { input: { new: true }, metadata: null, config: { max_attempts: 3 } });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ input: { new: true }, mode: 'val', metadata: null, config: { max_attempts: 3, retry_condition: [] } });
    expect('attempt' in obj(changed.json)).toBe(false);
    expect(obj((await s.call('POST', path, { mode: null })).json)['mode']).toBeNull();
    expect(await s.call('POST', path, { status: null })).toMatchObject({ status: 400, json: { detail: 'status is invalid; it cannot be a null value.' } });
    expect((await s.call('POST', path, { config: null })).status).toBe(400);
    const cancelled = await s.call('POST', path, { status: 'cancelled' });
    expect(cancelled.json).toMatchObject({ status: 'cancelled', end_time: expect.any(Number) as number });
    // A finished rollout can only be re-queued (docs/semantics.md): anything else is a conflict.
    expect((await s.call('POST', path, { status: 'running' })).status).toBe(409);
    expect(await s.call('POST', path, {})).toMatchObject({ status: 200, json: { status: 'cancelled' } });
  });
});
