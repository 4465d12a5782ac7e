import type { AglServer } from './agl-support';
import { aglSpan, obj, startAglServer } from './agl-support';

/**
 * What agent-lightning 0.3's client turns into return values, answered as the reference does for known
 * and unknown ids alike (its `get_*` return None, its queries an empty page, waits leave unknown ids out).
 */
describe('agent-lightning REST: the client contract for unknown ids and values', () => {
  let s: AglServer;
  beforeAll(async () => {
    s = await startAglServer();
  });
  afterAll(async () => {
    await s.stop();
  });

  const emptyPage = (limit: number, offset: number) => ({ status: 200, json: { items: [], limit, offset, total: 0 } });

  it('reads of an unknown rollout, latest attempt, resources snapshot or worker answer 200 null', async () => {
    for (const path of ['/v1/agl/rollouts/ro-nope', '/v1/agl/rollouts/ro-nope/attempts/latest', '/v1/agl/resources/rs-nope', '/v1/agl/workers/w-nope']) {
      const res = await s.call('GET', path);
      expect([path, res.status, res.text]).toEqual([path, 200, 'null']);
    }
  });

  it('queries of attempts and spans of an unknown rollout or attempt answer an empty page of the asked window', async () => {
    expect(await s.call('GET', '/v1/agl/rollouts/ro-nope/attempts')).toMatchObject(emptyPage(-1, 0));
    expect(await s.call('POST', '/v1/agl/rollouts/ro-nope/attempts/search', { limit: 5, offset: 2 })).toMatchObject(emptyPage(5, 2));
    expect(await s.call('POST', '/v1/agl/spans/search', { rollout_id: 'ro-nope', limit: -1, offset: 0 })).toMatchObject(emptyPage(-1, 0));
    expect(await s.call('GET', '/v1/agl/spans?rollout_id=ro-nope&attempt_id=latest&limit=3')).toMatchObject(emptyPage(3, 0));
    const started = obj((await s.call('POST', '/v1/agl/rollouts', { input: 1 })).json);
    const rid = started['rollout_id'] as string;
    const aid = obj(started['attempt'])['attempt_id'] as string;
    expect((await s.call('POST', '/v1/agl/spans', aglSpan(rid, aid, 's1'))).status).toBe(201);
    expect(await s.call('POST', '/v1/agl/spans/search', { rollout_id: rid, attempt_id: 'at-nope' })).toMatchObject(emptyPage(-1, 0));
    expect(obj((await s.call('POST', '/v1/agl/spans/search', { rollout_id: rid, attempt_id: aid })).json)['total']).toBe(1);
    // Paging is still checked first, as the reference validates the request before reading.
    expect((await s.call('POST', '/v1/agl/spans/search', { rollout_id: 'ro-nope', limit: 0 })).status).toBe(400);
  });

  it('a wait leaves unknown ids out and still answers the finished known ones in request order', async () => {
    const [a] = ((await s.call('POST', '/v1/agl/queues/rollouts/enqueue', { rollouts: [{ input: 1 }] })).json as { rollout_id: string }[]).map((r) => r.rollout_id);
    await s.call('POST', `/v1/agl/rollouts/${a!}`, { status: 'cancelled' });
    expect(await s.call('POST', '/v1/agl/waits/rollouts', { rollout_ids: ['ro-nope'], timeout: 0 })).toMatchObject({ status: 200, json: [] });
    const started = Date.now();
    const done = await s.call('POST', '/v1/agl/waits/rollouts', { rollout_ids: ['ro-nope', a, 'ro-other', a], timeout: 5 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect((done.json as { rollout_id: string }[]).map((r) => r.rollout_id)).toEqual([a, a]);
  });

  it('enqueue, start and update accept a resources_id that names no snapshot, as the reference does', async () => {
    const [queued] = (await s.call('POST', '/v1/agl/queues/rollouts/enqueue', { rollouts: [{ input: 1, resources_id: 'rs-later' }] })).json as Record<string, unknown>[];
    expect(queued!['resources_id']).toBe('rs-later');
    const started = await s.call('POST', '/v1/agl/rollouts', { input: 1, resources_id: 'rs-gone' });
    expect(started).toMatchObject({ status: 201, json: { resources_id: 'rs-gone' } });
    const rid = obj(started.json)['rollout_id'] as string;
    expect(await s.call('POST', `/v1/agl/rollouts/${rid}`, { resources_id: 'rs-other' })).toMatchObject({ status: 200, json: { resources_id: 'rs-other' } });
    // gRPC keeps its stricter rule: the same store refuses an unknown id there.
    await expect(s.t.server.store.updateRollout(rid, { resourcesId: 'rs-strict' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('ids have the reference shape, and update_attempt keeps worker_id "" as given', async () => {
    const started = obj((await s.call('POST', '/v1/agl/rollouts', { input: 1, worker_id: 'w1' })).json);
    expect(started['rollout_id']).toMatch(/^ro-[0-9a-f]{12}$/);
    const attempt = obj(started['attempt']);
    expect(attempt['attempt_id']).toMatch(/^at-[0-9a-f]{8}$/);
    expect(obj((await s.call('POST', '/v1/agl/resources', {})).json)['resources_id']).toMatch(/^rs-[0-9a-f]{12}$/);
    const path = `/v1/agl/rollouts/${started['rollout_id'] as string}/attempts/${attempt['attempt_id'] as string}`;
    const updated = await s.call('POST', path, { worker_id: '' });
    expect(updated).toMatchObject({ status: 200, json: { worker_id: '' } });
    expect(obj(obj((await s.call('GET', `/v1/agl/rollouts/${started['rollout_id'] as string}`)).json)['attempt'])['worker_id']).toBe('');
  });
});
