import type { NamedResources } from '../../src/domain/records';
import { describeEachBackend } from './harness';
import { enqueueOne, expectCode, llmResources, spec, startOne } from './fixtures';

describeEachBackend('resources', (t) => {
  it('add_resources creates version 1 under a generated id and makes it the latest', async () => {
    const added = await t.store.addResources(llmResources('m1'));
    expect(added).toEqual({
      resourcesId: added.resourcesId,
      createTime: t.clock.now(),
      updateTime: t.clock.now(),
      version: 1,
      resources: llmResources('m1'),
    });
    expect(added.resourcesId).toMatch(/^rs-[0-9a-f]{12}$/);
    expect(await t.store.getResources(added.resourcesId)).toEqual(added);
    expect(await t.store.getLatestResources()).toEqual(added);
  });

  it('has no latest snapshot before the first one; unknown ids are NOT_FOUND', async () => {
    expect(await t.store.getLatestResources()).toBeNull();
    await expectCode(t.store.getResources('rs-unknown'), 'NOT_FOUND');
  });

  it('update_resources creates an unknown id with version 1 (upsert)', async () => {
    const created = await t.store.updateResources('v0', llmResources('m1'));
    const now = t.clock.now();
    expect(created).toEqual({ resourcesId: 'v0', createTime: now, updateTime: now, version: 1, resources: llmResources('m1') });
    expect(await t.store.getLatestResources()).toEqual(created);
  });

  it('update_resources replaces the resources, bumps the version, keeps create_time and becomes the latest', async () => {
    const first = await t.store.addResources({
      main: { kind: 'prompt_template', template: 'Hi {name}', engine: 'f-string' },
      ...llmResources('m1'),
    });
    t.clock.advance(10);
    const other = await t.store.addResources(llmResources('other'));
    expect((await t.store.getLatestResources())?.resourcesId).toBe(other.resourcesId);
    t.clock.advance(10);
    const updated = await t.store.updateResources(first.resourcesId, llmResources('m2'));
    expect(updated).toEqual({
      resourcesId: first.resourcesId,
      createTime: first.createTime,
      updateTime: t.clock.now(),
      version: 2,
      resources: llmResources('m2'),
    });
    expect(await t.store.getLatestResources()).toEqual(updated);
    t.clock.advance(1);
    expect((await t.store.updateResources(first.resourcesId, llmResources('m3'))).version).toBe(3);
    expect(await t.store.getResources(other.resourcesId)).toEqual(other);
  });

  it('the latest is the greatest update_time; on a tie the one written last', async () => {
    const a = await t.store.addResources(llmResources('a'));
    const b = await t.store.addResources(llmResources('b'));
    expect((await t.store.getLatestResources())?.resourcesId).toBe(b.resourcesId);
    await t.store.updateResources(a.resourcesId, llmResources('a2'));
    expect((await t.store.getLatestResources())?.resourcesId).toBe(a.resourcesId);
  });

  it('rollouts get the latest resources id at creation', async () => {
    const before = await enqueueOne(t.store);
    expect(before.resourcesId).toBeNull();
    const first = await t.store.addResources(llmResources('m1'));
    const queued = await enqueueOne(t.store);
    const started = await startOne(t.store);
    expect([queued.resourcesId, started.rollout.resourcesId]).toEqual([first.resourcesId, first.resourcesId]);
    t.clock.advance(1);
    const second = await t.store.addResources(llmResources('m2'));
    const batch = await t.store.enqueueRollouts([spec(), spec({ resourcesId: first.resourcesId })]);
    expect(batch.map((r) => r.resourcesId)).toEqual([second.resourcesId, first.resourcesId]);
    expect((await t.store.getRollout(queued.rolloutId)).rollout.resourcesId).toBe(first.resourcesId);
  });

  it('an explicit unknown resources id is NOT_FOUND on enqueue, start and update', async () => {
    await t.store.addResources(llmResources('m1'));
    await expectCode(t.store.enqueueRollouts([spec({ resourcesId: 'rs-unknown' })]), 'NOT_FOUND');
    await expectCode(t.store.startRollout(spec({ resourcesId: 'rs-unknown' }), null), 'NOT_FOUND');
    const queued = await enqueueOne(t.store);
    await expectCode(t.store.updateRollout(queued.rolloutId, { resourcesId: 'rs-unknown' }), 'NOT_FOUND');
    expect((await t.store.getRollout(queued.rolloutId)).rollout.resourcesId).toBe(queued.resourcesId);
    expect((await t.store.statistics()).totalRollouts).toBe(1);
  });

  it('update_rollout can point a rollout at other resources or none', async () => {
    const r1 = await t.store.addResources(llmResources('m1'));
    const r2 = await t.store.addResources(llmResources('m2'));
    const queued = await enqueueOne(t.store, spec({ resourcesId: r1.resourcesId }));
    expect((await t.store.updateRollout(queued.rolloutId, { resourcesId: r2.resourcesId })).resourcesId).toBe(r2.resourcesId);
    expect((await t.store.updateRollout(queued.rolloutId, { resourcesId: null })).resourcesId).toBeNull();
  });

  it('rejects invalid resources with INVALID_ARGUMENT and stores nothing', async () => {
    const noEndpoint: NamedResources = { main: { kind: 'llm', endpoint: '', model: 'm', apiKey: null, samplingParameters: '{}' } };
    const noModel: NamedResources = {
      main: { kind: 'proxy_llm', endpoint: 'http://x', model: '', apiKey: null, samplingParameters: '{}' },
    };
    const noName: NamedResources = { '': { kind: 'prompt_template', template: 't', engine: 'jinja' } };
    for (const bad of [noEndpoint, noModel, noName]) {
      await expectCode(t.store.addResources(bad), 'INVALID_ARGUMENT');
      await expectCode(t.store.updateResources('v1', bad), 'INVALID_ARGUMENT');
    }
    await expectCode(t.store.updateResources('', llmResources('m')), 'INVALID_ARGUMENT');
    expect((await t.store.statistics()).totalResources).toBe(0);
  });

  it('query_resources filters by exact id and contains, ANDed, in insertion order', async () => {
    const a = await t.store.updateResources('prompt-v1', llmResources('a'));
    const b = await t.store.updateResources('prompt-v2', llmResources('b'));
    await t.store.updateResources('other', llmResources('c'));
    const contains = await t.store.queryResources({ resourcesIdContains: 'prompt' });
    expect(contains.items).toEqual([a, b]);
    expect((await t.store.queryResources({ resourcesId: 'prompt-v2', resourcesIdContains: 'prompt' })).items).toEqual([b]);
    expect((await t.store.queryResources({ resourcesId: 'prompt-v2', resourcesIdContains: 'v1' })).total).toBe(0);
    expect((await t.store.queryResources({})).total).toBe(3);
  });
});
