import { AttemptStatus, RolloutMode, RolloutStatus, WorkerStatus } from '../../gen/lightning/store/v1/records';
import { PromptTemplateEngine } from '../../gen/lightning/store/v1/resources';
import { SortOrder } from '../../gen/lightning/store/v1/queries';
import { call, ingest } from '../support/client';
import type { TestServer } from '../support/server';
import { startTestServer } from '../support/server';
import { wireSpan } from '../support/spans';

describe('every RPC in one round', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(async () => {
    await t.stop();
  });

  it('runs resources, queue, attempts, spans, workers, statistics and wait end to end', async () => {
    const { client } = t;
    // Resources: add, update (upsert), read.
    const llm = { kind: { $case: 'llm' as const, value: { endpoint: 'http://llm', model: 'm', samplingParametersJson: '{"t":0.5}' } } };
    const added = (await call(client, 'addResources', { resources: { main: llm } })).resources!;
    expect(added.version).toBe(1);
    expect(added.resourcesId).toMatch(/^rs-/);
    const prompt = { kind: { $case: 'promptTemplate' as const, value: { template: 'Hi {name}', engine: PromptTemplateEngine.PROMPT_TEMPLATE_ENGINE_F_STRING } } };
    const updated = (await call(client, 'updateResources', { resourcesId: added.resourcesId, resources: { main: llm, prompt } })).resources!;
    expect(updated.version).toBe(2);
    expect(updated.resources['prompt']).toEqual(prompt);
    expect((await call(client, 'getResources', { resourcesId: added.resourcesId })).resources).toEqual(updated);
    expect((await call(client, 'getLatestResources')).resources?.resourcesId).toBe(added.resourcesId);
    const resPage = await call(client, 'queryResources', { resourcesIdContains: 'rs-' });
    expect(resPage.resources).toHaveLength(1);
    expect(resPage.page).toEqual({ limit: 1000, offset: 0, total: 1 }); // no limit asked: the server's page cap

    // Queue: enqueue one and many, start one directly.
    const config = { timeoutSeconds: 60, maxAttempts: 2, retryCondition: [AttemptStatus.ATTEMPT_STATUS_FAILED] };
    const first = (await call(client, 'enqueueRollout', { rollout: { inputJson: '{"q":1}', mode: RolloutMode.ROLLOUT_MODE_TRAIN, config } })).rollout!;
    expect(first).toMatchObject({ status: RolloutStatus.ROLLOUT_STATUS_QUEUING, inputJson: '{"q":1}', mode: RolloutMode.ROLLOUT_MODE_TRAIN, resourcesId: added.resourcesId, metadataJson: '{}' });
    expect(first.config).toEqual({ timeoutSeconds: 60, unresponsiveSeconds: undefined, maxAttempts: 2, retryCondition: [AttemptStatus.ATTEMPT_STATUS_FAILED] });
    const many = (await call(client, 'enqueueManyRollouts', { rollouts: [{ inputJson: '2' }, { inputJson: '3' }] })).rollouts;
    expect(many.map((r) => r.inputJson)).toEqual(['2', '3']);
    expect(many[0]!.config?.maxAttempts).toBe(1);
    const started = (await call(client, 'startRollout', { rollout: { inputJson: '"direct"' }, workerId: 'w-3' })).rollout!;
    expect(started.rollout?.status).toBe(RolloutStatus.ROLLOUT_STATUS_PREPARING);
    expect(started.attempt).toMatchObject({ sequenceId: 1, workerId: 'w-3', status: AttemptStatus.ATTEMPT_STATUS_PREPARING });

    // Claims: FIFO, with workers.
    const claimed = (await call(client, 'dequeueRollout', { workerId: 'w-1' })).rollout!;
    expect(claimed.rollout?.rolloutId).toBe(first.rolloutId);
    expect(claimed.attempt).toMatchObject({ sequenceId: 1, workerId: 'w-1', status: AttemptStatus.ATTEMPT_STATUS_PREPARING });
    const rest = (await call(client, 'dequeueManyRollouts', { limit: 5, workerId: 'w-2' })).rollouts;
    expect(rest.map((r) => r.rollout?.rolloutId)).toEqual(many.map((r) => r.rolloutId));
    expect((await call(client, 'dequeueRollout', { workerId: 'w-4' })).rollout).toBeUndefined();
    const second = (await call(client, 'startAttempt', { rolloutId: many[0]!.rolloutId })).rollout!;
    expect(second.attempt?.sequenceId).toBe(2);

    // Spans: sequence ids, one, many (with a duplicate), streamed.
    const rid = first.rolloutId;
    const aid = claimed.attempt!.attemptId;
    expect((await call(client, 'getNextSpanSequenceId', { rolloutId: rid, attemptId: aid })).sequenceId).toBe(1);
    const ids = (await call(client, 'getManySpanSequenceIds', { targets: [{ rolloutId: rid, attemptId: aid }, { rolloutId: rid, attemptId: aid }] })).sequenceIds;
    expect(ids).toEqual([2, 3]);
    const one = wireSpan(rid, aid);
    const addedSpan = await call(client, 'addSpan', { span: one });
    expect(addedSpan.duplicate).toBe(false);
    expect(addedSpan.span).toMatchObject({ spanId: one.spanId, sequenceId: 4, attributesJson: '{"k":1}' });
    expect(await call(client, 'addSpan', { span: one })).toEqual({ span: undefined, duplicate: true });
    const manySpans = await call(client, 'addManySpans', { spans: [wireSpan(rid, aid), one, wireSpan(rid, aid, { sequenceId: 10 })] });
    expect(manySpans.duplicates).toBe(1);
    // A supplied id raises the counter before the batch allocates, so the span without one gets 11.
    expect(manySpans.spans.map((s) => s.sequenceId)).toEqual([11, 10]);
    const streamed = await ingest(client, [{ spans: [wireSpan(rid, aid), wireSpan(rid, aid)] }]);
    expect(streamed).toEqual({ accepted: 2, duplicates: 0, rejected: [], rejectedCount: 0 });

    // The attempt ran (spans are heartbeats) and now succeeds.
    expect((await call(client, 'getLatestAttempt', { rolloutId: rid })).attempt?.status).toBe(AttemptStatus.ATTEMPT_STATUS_RUNNING);
    const done = (await call(client, 'updateAttempt', { rolloutId: rid, attemptId: 'latest', status: AttemptStatus.ATTEMPT_STATUS_SUCCEEDED })).attempt!;
    expect(done.status).toBe(AttemptStatus.ATTEMPT_STATUS_SUCCEEDED);
    expect(done.endTime).toEqual(expect.any(Number));

    // Reads.
    const spans = await call(client, 'querySpans', { rolloutId: rid, attemptId: aid, sort: { field: 'sequence_id', order: SortOrder.SORT_ORDER_DESC }, page: { limit: 2 } });
    expect(spans.page).toEqual({ limit: 2, offset: 0, total: 5 });
    expect(spans.spans.map((s) => s.sequenceId)).toEqual([13, 12]);
    const succeeded = await call(client, 'queryRollouts', { statusIn: [RolloutStatus.ROLLOUT_STATUS_SUCCEEDED] });
    expect(succeeded.rollouts.map((r) => r.rollout?.rolloutId)).toEqual([rid]);
    expect(succeeded.rollouts[0]!.attempt?.attemptId).toBe(aid);
    const attempts = await call(client, 'queryAttempts', { rolloutId: many[0]!.rolloutId });
    expect(attempts.attempts.map((a) => a.sequenceId)).toEqual([1, 2]);
    const got = (await call(client, 'getRollout', { rolloutId: rid })).rollout!;
    expect(got.rollout).toMatchObject({ status: RolloutStatus.ROLLOUT_STATUS_SUCCEEDED, endTime: expect.any(Number) as number });
    const changed = (await call(client, 'updateRollout', { rolloutId: rid, metadataJson: '{"tag":"x"}' })).rollout!;
    expect(changed.metadataJson).toBe('{"tag":"x"}');

    // Workers.
    expect((await call(client, 'getWorker', { workerId: 'w-1' })).worker).toMatchObject({ status: WorkerStatus.WORKER_STATUS_IDLE, currentAttemptId: undefined });
    const busy = await call(client, 'queryWorkers', { statusIn: [WorkerStatus.WORKER_STATUS_BUSY], sort: { field: 'worker_id' } });
    expect(busy.workers.map((w) => w.workerId)).toEqual(['w-2', 'w-3']);
    const beat = (await call(client, 'updateWorker', { workerId: 'w-1', heartbeatStatsJson: '{"gpu":0.5}' })).worker!;
    expect(beat).toMatchObject({ heartbeatStatsJson: '{"gpu":0.5}', lastHeartbeatTime: expect.any(Number) as number });

    // Statistics and wait.
    const stats = await call(client, 'getStatistics');
    expect(stats).toMatchObject({ backend: 'memory', totalRollouts: 4, totalAttempts: 5, totalSpans: 5, totalResources: 1, totalWorkers: 4 });
    expect(stats.rolloutsByStatus).toMatchObject({ succeeded: 1, preparing: 3, queuing: 0 });
    const waited = await call(client, 'waitForRollouts', { rolloutIds: [rid, many[1]!.rolloutId], timeoutSeconds: 0 });
    expect(waited.rollouts.map((r) => r.rolloutId)).toEqual([rid]);
  });
});
