import type { RolloutConfig } from '../../src/domain/records';
import { describeEachBackend } from './harness';
import { addStored, claimOne, expectCode, llmResources, ownerOf, policy, retrying, span, spec, startOne } from './fixtures';

/** Tries to change a property of a returned or submitted object; frozen objects silently refuse. */
function tamper(target: object, key: PropertyKey, value: unknown): void {
  Reflect.set(target, key, value);
}

describeEachBackend('data handling', (t) => {
  it('round-trips rollout input and metadata JSON byte for byte', async () => {
    const input = '{ "id": 12345678901234567890, "a.b": {"$x": [1.0, -0, 1e400]}, "gen_ai.prompt.0.content": "\\ud83d\\ude00" }';
    const metadata = '{"big":-9223372036854775809,"$set":{"k.j":true}}';
    const c = await startOne(t.store, spec({ input, metadata }));
    expect([c.rollout.input, c.rollout.metadata]).toEqual([input, metadata]);
    const read = (await t.store.getRollout(c.rollout.rolloutId)).rollout;
    expect([read.input, read.metadata]).toEqual([input, metadata]);
    for (const other of ['"text"', '42', 'null', '[1, 2]']) {
      expect((await t.store.updateRollout(c.rollout.rolloutId, { input: other })).input).toBe(other);
      expect((await t.store.getRollout(c.rollout.rolloutId)).rollout.input).toBe(other);
    }
    const attemptMeta = '{"n":9007199254740993}';
    await t.store.updateAttempt(c.rollout.rolloutId, 'latest', { metadata: attemptMeta });
    expect((await t.store.getLatestAttempt(c.rollout.rolloutId))?.metadata).toBe(attemptMeta);
  });

  it('rejects invalid JSON and non-object metadata with INVALID_ARGUMENT', async () => {
    await expectCode(t.store.startRollout(spec({ input: '{"a":' }), null), 'INVALID_ARGUMENT');
    await expectCode(t.store.startRollout(spec({ metadata: '[1]' }), null), 'INVALID_ARGUMENT');
    await expectCode(t.store.startRollout(spec({ metadata: '"x"' }), null), 'INVALID_ARGUMENT');
    const c = await startOne(t.store, spec({ metadata: 'null' }));
    expect(c.rollout.metadata).toBe('null');
    await expectCode(t.store.updateRollout(c.rollout.rolloutId, { metadata: '3' }), 'INVALID_ARGUMENT');
    await expectCode(t.store.updateRollout(c.rollout.rolloutId, { input: 'nope' }), 'INVALID_ARGUMENT');
    await expectCode(t.store.updateAttempt(c.rollout.rolloutId, 'latest', { metadata: '[]' }), 'INVALID_ARGUMENT');
    await expectCode(t.store.updateAttempt(c.rollout.rolloutId, 'latest', { lastHeartbeatTime: Number.NaN }), 'INVALID_ARGUMENT');
    expect((await t.store.statistics()).totalRollouts).toBe(1);
    expect((await t.store.getRollout(c.rollout.rolloutId)).rollout).toEqual(c.rollout);
  });

  it.each<[string, Partial<RolloutConfig>]>([
    ['max_attempts 0', { maxAttempts: 0 }],
    ['fractional max_attempts', { maxAttempts: 1.5 }],
    ['negative timeout', { timeoutSeconds: -1 }],
    ['infinite timeout', { timeoutSeconds: Number.POSITIVE_INFINITY }],
    ['NaN unresponsive', { unresponsiveSeconds: Number.NaN }],
    ['negative unresponsive', { unresponsiveSeconds: -0.5 }],
  ])('rejects a policy with %s', async (_what, bad) => {
    await expectCode(t.store.startRollout(spec({ config: policy(bad) }), null), 'INVALID_ARGUMENT');
    const c = await startOne(t.store);
    await expectCode(t.store.updateRollout(c.rollout.rolloutId, { config: policy(bad) }), 'INVALID_ARGUMENT');
    expect((await t.store.getRollout(c.rollout.rolloutId)).rollout.config).toEqual(policy());
  });

  it('accepts a zero timeout and keeps the policy as given', async () => {
    const config = policy({ timeoutSeconds: 0, unresponsiveSeconds: 2.5, maxAttempts: 4, retryCondition: ['timeout', 'failed'] });
    const c = await startOne(t.store, spec({ config }));
    expect((await t.store.getRollout(c.rollout.rolloutId)).rollout.config).toEqual(config);
  });

  it('generates ids with the reference prefixes', async () => {
    const c = await startOne(t.store);
    expect(c.rollout.rolloutId).toMatch(/^ro-[0-9a-f]{12}$/);
    expect(c.attempt.attemptId).toMatch(/^at-[0-9a-f]{8}$/);
  });

  it('returned rollouts and attempts cannot be changed by reference', async () => {
    const c = await claimOne(t.store, retrying(['failed'], 3));
    const stored = structuredClone(await t.store.getRollout(c.rollout.rolloutId));
    for (const ar of [c, await t.store.getRollout(c.rollout.rolloutId), (await t.store.queryRollouts({})).items[0]]) {
      if (!ar?.attempt) throw new Error('expected an attempt');
      tamper(ar.rollout, 'status', 'succeeded');
      tamper(ar.rollout.config, 'maxAttempts', 99);
      tamper(ar.rollout.config.retryCondition, 0, 'timeout');
      tamper(ar.attempt, 'status', 'failed');
    }
    const updated = await t.store.updateRollout(c.rollout.rolloutId, { metadata: '{"a":1}' });
    tamper(updated, 'metadata', '{"a":2}');
    const attempts = await t.store.queryAttempts(c.rollout.rolloutId, {});
    tamper(attempts.items[0] ?? {}, 'sequenceId', 7);
    expect(await t.store.getRollout(c.rollout.rolloutId)).toEqual({
      ...stored,
      rollout: { ...stored.rollout, metadata: '{"a":1}' },
    });
  });

  it('returned spans, resources and workers cannot be changed by reference', async () => {
    const c = await claimOne(t.store, spec(), 'w1');
    const context = { traceId: 't', spanId: 's', isRemote: false, traceState: { k: 'v' }, extra: '{}' };
    const events = [{ name: 'e', attributes: '{}', timestamp: 1, extra: '{}' }];
    const [stored] = await addStored(t.store, [span(ownerOf(c), 's', { context, events })]);
    if (!stored?.context || !stored.events[0]) throw new Error('expected a stored span');
    const spanBefore = structuredClone(stored);
    tamper(stored, 'name', 'changed');
    tamper(stored.context.traceState, 'k', 'changed');
    tamper(stored.events[0], 'name', 'changed');
    expect((await t.store.querySpans({ rolloutId: c.rollout.rolloutId })).items).toEqual([spanBefore]);
    const resources = await t.store.addResources(llmResources('m'));
    tamper(resources.resources.main ?? {}, 'model', 'changed');
    tamper(resources, 'version', 5);
    expect(await t.store.getResources(resources.resourcesId)).toEqual({ ...resources, version: 1, resources: llmResources('m') });
    const worker = await t.store.getWorker('w1');
    const workerBefore = structuredClone(worker);
    tamper(worker, 'status', 'idle');
    expect(await t.store.getWorker('w1')).toEqual(workerBefore);
  });

  it('changing submitted objects after the call does not change stored records', async () => {
    const config = { timeoutSeconds: null, unresponsiveSeconds: null, maxAttempts: 2, retryCondition: ['failed' as const] };
    const c = await startOne(t.store, spec({ config }));
    tamper(config, 'maxAttempts', 9);
    tamper(config.retryCondition, 0, 'timeout');
    expect((await t.store.getRollout(c.rollout.rolloutId)).rollout.config).toEqual(policy({ maxAttempts: 2, retryCondition: ['failed'] }));
    const traceState = { k: 'v' };
    await addStored(t.store, [span(ownerOf(c), 's', { context: { traceId: 't', spanId: 's', isRemote: false, traceState, extra: '{}' } })]);
    tamper(traceState, 'k', 'changed');
    expect((await t.store.querySpans({ rolloutId: c.rollout.rolloutId })).items[0]?.context?.traceState).toEqual({ k: 'v' });
    const named = llmResources('m');
    const added = await t.store.addResources(named);
    tamper(named.main ?? {}, 'model', 'changed');
    expect((await t.store.getResources(added.resourcesId)).resources).toEqual(llmResources('m'));
  });
});
