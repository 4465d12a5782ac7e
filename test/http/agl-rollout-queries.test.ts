import type { AglServer } from './agl-support';
import { obj, startAglServer } from './agl-support';

describe('agent-lightning REST: rollout queries', () => {
  let s: AglServer;
  let ids: string[];
  beforeAll(async () => {
    s = await startAglServer();
    ids = ((await s.call('POST', '/v1/agl/queues/rollouts/enqueue', { rollouts: [{ input: 0 }, { input: 1 }, { input: 2 }, { input: 3 }] })).json as { rollout_id: string }[]).map((r) => r.rollout_id);
    await s.call('POST', '/v1/agl/queues/rollouts/dequeue', { limit: 2, worker_id: 'W' });
    await s.call('POST', `/v1/agl/rollouts/${ids[3]!}`, { status: 'cancelled' });
  });
  afterAll(async () => {
    await s.stop();
  });

  const itemIds = (res: { json: unknown }) => (obj(res.json)['items'] as { rollout_id: string }[]).map((r) => r.rollout_id);

  it('lists every rollout in creation order by default, attempted ones with their attempt', async () => {
    const all = await s.call('POST', '/v1/agl/rollouts/search', { limit: -1, offset: 0, filter_logic: 'and' });
    expect(all.json).toMatchObject({ limit: -1, offset: 0, total: 4 });
    expect(itemIds(all)).toEqual(ids);
    expect((obj(all.json)['items'] as Record<string, unknown>[]).map((r) => 'attempt' in r)).toEqual([true, true, false, false]);
  });

  it('filters by status and ids, by POST body and by repeated query keys', async () => {
    expect(itemIds(await s.call('POST', '/v1/agl/rollouts/search', { status_in: ['preparing'] }))).toEqual([ids[0], ids[1]]);
    expect(itemIds(await s.call('GET', '/v1/agl/rollouts?status_in=queuing&status_in=cancelled'))).toEqual([ids[2], ids[3]]);
    expect(itemIds(await s.call('GET', `/v1/agl/rollouts?rollout_id_in=${ids[1]!}&rollout_id_in=${ids[2]!}`))).toEqual([ids[1], ids[2]]);
    expect(itemIds(await s.call('POST', '/v1/agl/rollouts/search', { rollout_id_contains: ids[2]!.slice(3) }))).toEqual([ids[2]]);
    expect(itemIds(await s.call('POST', '/v1/agl/rollouts/search', { status_in: ['cancelled'], rollout_id_in: [ids[0]], filter_logic: 'or' }))).toEqual([ids[0], ids[3]]);
    expect(itemIds(await s.call('POST', '/v1/agl/rollouts/search', { status_in: ['cancelled'], rollout_id_in: [ids[0]] }))).toEqual([]);
  });

  it('treats an explicit null list as no condition and an empty list as matching nothing', async () => {
    expect((await s.call('POST', '/v1/agl/rollouts/search', { status_in: null })).json).toMatchObject({ total: 4 });
    expect((await s.call('POST', '/v1/agl/rollouts/search', { status_in: [] })).json).toMatchObject({ total: 0, items: [] });
  });

  it('sorts and pages; total counts every match', async () => {
    const sorted = await s.call('POST', '/v1/agl/rollouts/search', { sort_by: 'rollout_id', sort_order: 'desc' });
    expect(itemIds(sorted)).toEqual([...ids].sort().reverse());
    const page = await s.call('GET', '/v1/agl/rollouts?sort_by=status&limit=2&offset=1');
    expect(page.json).toMatchObject({ limit: 2, offset: 1, total: 4 });
    expect((obj(page.json)['items'] as { status: string }[]).map((r) => r.status)).toEqual(['preparing', 'preparing']);
    expect((await s.call('GET', '/v1/agl/rollouts?offset=10')).json).toMatchObject({ items: [], total: 4, offset: 10 });
  });
});
