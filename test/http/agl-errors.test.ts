import { unavailable } from '../../src/domain/errors';
import { MemoryBackend } from '../../src/store/memory/memory-backend';
import { LightningStore } from '../../src/store/lightning-store';
import { startTestServer } from '../support/server';
import { wrapStore } from '../support/store-wrapper';
import type { AglServer } from './agl-support';
import { obj, startAglServer } from './agl-support';

describe('agent-lightning REST: errors', () => {
  let s: AglServer;
  beforeEach(async () => {
    s = await startAglServer();
  });
  afterEach(async () => {
    await s.stop();
  });

  it('answers health', async () => {
    expect(await s.call('GET', '/v1/agl/health')).toMatchObject({ status: 200, json: { status: 'ok' } });
  });

  it('answers JSON 404 for unknown routes and 405 with Allow for a wrong method', async () => {
    expect(await s.call('GET', '/v1/agl/nothing')).toMatchObject({ status: 404, json: { detail: 'Not Found' } });
    const wrong = await s.call('DELETE', '/v1/agl/rollouts');
    expect(wrong).toMatchObject({ status: 405, json: { detail: 'Method Not Allowed' } });
    expect(wrong.headers.get('allow')).toBe('POST, GET');
    expect((await s.call('GET', '/v1/agl/rollouts/ro-1/attempts/search')).status).toBe(405);
  });

  it('answers 404 with a detail naming the id for a write to an unknown rollout', async () => {
    const res = await s.call('POST', '/v1/agl/rollouts/ro-nope', { status: 'cancelled' });
    expect(res.status).toBe(404);
    expect(obj(res.json)['detail']).toEqual(expect.stringContaining('ro-nope'));
  });

  it('answers 400 for malformed JSON and 422 for a body of the wrong shape or a missing required body', async () => {
    const bad = await s.call('POST', '/v1/agl/rollouts', '{"input": ');
    expect(bad.status).toBe(400);
    expect(obj(bad.json)['detail']).toEqual(expect.stringContaining('not valid JSON'));
    expect((await s.call('POST', '/v1/agl/rollouts', {})).status).toBe(422);
    expect((await s.call('POST', '/v1/agl/rollouts', [1])).status).toBe(422);
    expect((await s.call('POST', '/v1/agl/rollouts/ro-1')).status).toBe(422);
    expect((await s.call('POST', '/v1/agl/queues/rollouts/enqueue', { rollouts: {} })).status).toBe(422);
    expect((await s.call('POST', '/v1/agl/queues/rollouts/enqueue', { rollouts: [{ input: 1, mode: 'prod' }] })).status).toBe(422);
    expect((await s.call('POST', '/v1/agl/queues/rollouts/enqueue', { rollouts: [{ input: 1, metadata: [] }] })).status).toBe(422);
    expect((await s.call('POST', '/v1/agl/queues/rollouts/enqueue', { rollouts: [{ input: 1, config: { retry_condition: ['cancelled'] } }] })).status).toBe(422);
    expect((await s.call('POST', '/v1/agl/queues/rollouts/dequeue', { limit: 'two' })).status).toBe(422);
  });

  it('answers 400 for values the store rules reject', async () => {
    const res = await s.call('POST', '/v1/agl/queues/rollouts/enqueue', { rollouts: [{ input: 1, config: { max_attempts: 0 } }] });
    expect(res.status).toBe(400);
    expect(obj(res.json)['detail']).toEqual(expect.stringContaining('max_attempts'));
  });

  it('validates paging, sorting and filter logic as the reference does', async () => {
    for (const limit of [0, -2]) {
      expect(await s.call('POST', '/v1/agl/rollouts/search', { limit })).toMatchObject({ status: 400, json: { detail: 'Limit must be greater than 0 or -1 for no limit' } });
    }
    expect((await s.call('GET', '/v1/agl/rollouts?offset=-1')).status).toBe(400);
    expect((await s.call('GET', '/v1/agl/rollouts?limit=ten')).status).toBe(422);
    expect(await s.call('POST', '/v1/agl/rollouts/search', { sort_by: 'nonsense' })).toMatchObject({
      status: 400,
      json: { detail: 'Invalid sort_by: nonsense, allowed fields are: rollout_id, input, start_time, end_time, mode, resources_id, status, config, metadata' },
    });
    expect(obj((await s.call('GET', '/v1/agl/workers?sort_by=attempt')).json)['detail']).toBe(
      'Invalid sort_by: attempt, allowed fields are: worker_id, status, heartbeat_stats, last_heartbeat_time, last_dequeue_time, last_busy_time, last_idle_time, current_rollout_id, current_attempt_id',
    );
    expect((await s.call('POST', '/v1/agl/rollouts/search', { sort_by: 'status', sort_order: 'up' })).status).toBe(422);
    expect((await s.call('POST', '/v1/agl/rollouts/search', { filter_logic: 'xor' })).status).toBe(422);
    expect((await s.call('GET', '/v1/agl/rollouts?status_in=bogus')).status).toBe(422);
  });

  it('reads gzip bodies', async () => {
    const res = await s.call('POST', '/v1/agl/queues/rollouts/enqueue', { rollouts: [{ input: 'zipped' }] }, { gzip: true });
    expect(res.status).toBe(201);
    expect((res.json as { input: string }[])[0]!.input).toBe('zipped');
  });
});

describe('agent-lightning REST: store failures', () => {
  it('maps an unavailable backend to 503 and an unexpected error to a generic 500', async () => {
    const inner = new LightningStore({ backend: new MemoryBackend() });
    const store = wrapStore(inner, {
      getRollout: () => Promise.reject(unavailable('database is down')),
      statistics: () => Promise.reject(new Error('secret stack detail')),
    });
    const t = await startTestServer({ store });
    try {
      const base = `http://127.0.0.1:${t.server.httpPort}`;
      const down = await fetch(`${base}/v1/agl/rollouts/ro-1`);
      expect(down.status).toBe(503);
      const broken = await fetch(`${base}/v1/agl/statistics`);
      expect(broken.status).toBe(500);
      const text = await broken.text();
      expect(text).not.toContain('secret');
      expect(JSON.parse(text)).toEqual({ detail: expect.any(String) as string });
    } finally {
      await t.stop();
    }
  });
});
