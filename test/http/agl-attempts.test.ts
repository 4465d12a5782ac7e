import type { AglServer } from './agl-support';
import { obj, startAglServer } from './agl-support';

describe('agent-lightning REST: attempts', () => {
  let s: AglServer;
  let rolloutId: string;
  beforeEach(async () => {
    s = await startAglServer();
    const [queued] = (await s.call('POST', '/v1/agl/queues/rollouts/enqueue', {
      rollouts: [{ input: 'task', config: { max_attempts: 3, retry_condition: ['failed'] } }],
    })).json as { rollout_id: string }[];
    rolloutId = queued!.rollout_id;
  });
  afterEach(async () => {
    await s.stop();
  });

  it('answers null for the latest attempt of a rollout without attempts', async () => {
    expect(await s.call('GET', `/v1/agl/rollouts/${rolloutId}/attempts/latest`)).toMatchObject({ status: 200, json: null, text: 'null' });
  });

  it('finishes an attempt as failed, requeues by retry_condition, and succeeds on the retry', async () => {
    await s.call('POST', '/v1/agl/queues/rollouts/dequeue', { worker_id: 'W' });
    const failed = await s.call('POST', `/v1/agl/rollouts/${rolloutId}/attempts/latest`, { status: 'failed' });
    expect(failed.status).toBe(200);
    expect(failed.json).toMatchObject({ sequence_id: 1, status: 'failed', end_time: expect.any(Number) as number, worker_id: 'W' });
    expect(obj((await s.call('GET', `/v1/agl/rollouts/${rolloutId}`)).json)['status']).toBe('requeuing');

    const [retry] = (await s.call('POST', '/v1/agl/queues/rollouts/dequeue', { worker_id: 'W' })).json as Record<string, unknown>[];
    const attempt = obj(retry!['attempt']);
    expect(attempt['sequence_id']).toBe(2);
    const done = await s.call('POST', `/v1/agl/rollouts/${rolloutId}/attempts/${attempt['attempt_id'] as string}`, {
      status: 'succeeded',
      metadata: { note: 'ok' },
      last_heartbeat_time: 1735000000.5,
    });
    expect(done.json).toMatchObject({ status: 'succeeded', metadata: { note: 'ok' }, last_heartbeat_time: 1735000000.5 });
    expect(obj((await s.call('GET', `/v1/agl/rollouts/${rolloutId}`)).json)).toMatchObject({ status: 'succeeded', end_time: expect.any(Number) as number });
    expect(obj((await s.call('GET', `/v1/agl/rollouts/${rolloutId}/attempts/latest`)).json)['attempt_id']).toBe(attempt['attempt_id']);
  });

  it('rejects an explicit null for any attempt field with 400, and an unknown status with 422', async () => {
    await s.call('POST', '/v1/agl/queues/rollouts/dequeue', {});
    for (const key of ['status', 'worker_id', 'last_heartbeat_time', 'metadata']) {
      const res = await s.call('POST', `/v1/agl/rollouts/${rolloutId}/attempts/latest`, { [key]: null });
      expect(res).toMatchObject({ status: 400, json: { detail: `${key} is invalid; it cannot be a null value.` } });
    }
    expect((await s.call('POST', `/v1/agl/rollouts/${rolloutId}/attempts/latest`, { status: 'queuing' })).status).toBe(422);
  });

  it('starts attempts with 201 (body optional) and pages through them', async () => {
    await s.call('POST', '/v1/agl/queues/rollouts/dequeue', {});
    const second = await s.call('POST', `/v1/agl/rollouts/${rolloutId}/attempts`, { worker_id: 'W2' });
    expect(second.status).toBe(201);
    expect(obj(obj(second.json)['attempt'])).toMatchObject({ sequence_id: 2, worker_id: 'W2' });
    const third = await s.call('POST', `/v1/agl/rollouts/${rolloutId}/attempts`);
    expect(obj(obj(third.json)['attempt'])).toMatchObject({ sequence_id: 3, worker_id: null });

    const all = await s.call('GET', `/v1/agl/rollouts/${rolloutId}/attempts`);
    expect(all.json).toMatchObject({ limit: -1, offset: 0, total: 3 });
    expect((obj(all.json)['items'] as { sequence_id: number }[]).map((a) => a.sequence_id)).toEqual([1, 2, 3]);
    const page = await s.call('POST', `/v1/agl/rollouts/${rolloutId}/attempts/search`, { limit: 1, offset: 1, sort_by: 'sequence_id', sort_order: 'desc' });
    expect(page.json).toMatchObject({ limit: 1, offset: 1, total: 3, items: [{ sequence_id: 2 }] });
    const query = await s.call('GET', `/v1/agl/rollouts/${rolloutId}/attempts?limit=2&sort_order=desc`);
    expect((obj(query.json)['items'] as { sequence_id: number }[]).map((a) => a.sequence_id)).toEqual([3, 2]);
  });

  it('answers 404 for writes to an unknown rollout or an unknown attempt id', async () => {
    expect((await s.call('POST', '/v1/agl/rollouts/ro-missing/attempts', {})).status).toBe(404);
    await s.call('POST', '/v1/agl/queues/rollouts/dequeue', {});
    const res = await s.call('POST', `/v1/agl/rollouts/${rolloutId}/attempts/at-missing`, { status: 'running' });
    expect(res.status).toBe(404);
    expect(obj(res.json)['detail']).toEqual(expect.stringContaining('at-missing'));
  });

  it('answers 409 for a transition the attempt state machine forbids', async () => {
    await s.call('POST', '/v1/agl/queues/rollouts/dequeue', {});
    await s.call('POST', `/v1/agl/rollouts/${rolloutId}/attempts/latest`, { status: 'succeeded' });
    expect((await s.call('POST', `/v1/agl/rollouts/${rolloutId}/attempts/latest`, { status: 'running' })).status).toBe(409);
    expect((await s.call('POST', `/v1/agl/rollouts/${rolloutId}/attempts`, {})).status).toBe(409);
  });
});
