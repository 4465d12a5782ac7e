import { status } from '@grpc/grpc-js';
import { AttemptStatus, RolloutMode, RolloutStatus } from '../../gen/lightning/store/v1/records';
import { call } from '../support/client';
import type { TestServer } from '../support/server';
import { startTestServer } from '../support/server';

describe('update semantics: absent leaves unchanged, clear_fields sets null', () => {
  let t: TestServer;
  let resourcesId: string;
  beforeEach(async () => {
    t = await startTestServer();
    const llm = { kind: { $case: 'llm' as const, value: { endpoint: 'http://e', model: 'm', samplingParametersJson: '{}' } } };
    resourcesId = (await call(t.client, 'addResources', { resources: { main: llm } })).resources!.resourcesId;
  });
  afterEach(async () => {
    await t.stop();
  });

  it('rollout: an update with one field leaves the others; clear_fields nulls input, mode, resources_id and metadata', async () => {
    const { client } = t;
    const spec = { inputJson: '{"a":1}', mode: RolloutMode.ROLLOUT_MODE_VAL, resourcesId, metadataJson: '{"m":1}' };
    const created = (await call(client, 'enqueueRollout', { rollout: spec })).rollout!;
    const rolloutId = created.rolloutId;

    const onlyStatus = (await call(client, 'updateRollout', { rolloutId, status: RolloutStatus.ROLLOUT_STATUS_CANCELLED })).rollout!;
    expect(onlyStatus).toMatchObject({ ...spec, status: RolloutStatus.ROLLOUT_STATUS_CANCELLED });
    expect(onlyStatus.config).toEqual(created.config);

    const empty = (await call(client, 'updateRollout', { rolloutId })).rollout!;
    expect(empty).toEqual(onlyStatus);

    const cleared = (await call(client, 'updateRollout', { rolloutId, clearFields: ['input', 'mode', 'resources_id', 'metadata'] })).rollout!;
    expect(cleared).toMatchObject({ inputJson: 'null', mode: RolloutMode.ROLLOUT_MODE_UNSPECIFIED, resourcesId: undefined, metadataJson: 'null' });
    expect(cleared.status).toBe(RolloutStatus.ROLLOUT_STATUS_CANCELLED);

    const set = (await call(client, 'updateRollout', { rolloutId, mode: RolloutMode.ROLLOUT_MODE_TEST, config: { maxAttempts: 3 } })).rollout!;
    expect(set).toMatchObject({ mode: RolloutMode.ROLLOUT_MODE_TEST, inputJson: 'null', config: { maxAttempts: 3, retryCondition: [] } });
  });

  it('rollout: refuses clearing status or config, setting and clearing one field, and mode UNSPECIFIED', async () => {
    const { client } = t;
    const rolloutId = (await call(client, 'enqueueRollout', { rollout: {} })).rollout!.rolloutId;
    const refused = (request: Parameters<typeof call<'updateRollout'>>[2], details: RegExp) =>
      expect(call(client, 'updateRollout', { rolloutId, ...request })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT, details: expect.stringMatching(details) as string });
    await refused({ clearFields: ['status'] }, /"status" cannot be cleared/);
    await refused({ clearFields: ['config'] }, /"config" cannot be cleared/);
    await refused({ inputJson: '1', clearFields: ['input'] }, /"input" is both set and named in clear_fields/);
    await refused({ mode: RolloutMode.ROLLOUT_MODE_UNSPECIFIED }, /use clear_fields/);
    expect((await call(client, 'getRollout', { rolloutId })).rollout?.rollout?.status).toBe(RolloutStatus.ROLLOUT_STATUS_QUEUING);
  });

  it('attempt: absent fields stay; clear_fields nulls worker_id, last_heartbeat_time and metadata', async () => {
    const { client } = t;
    const started = (await call(client, 'startRollout', { rollout: {}, workerId: 'w-1' })).rollout!;
    const rolloutId = started.rollout!.rolloutId;
    const attemptId = started.attempt!.attemptId;
    const set = (await call(client, 'updateAttempt', { rolloutId, attemptId, lastHeartbeatTime: 1234.5, metadataJson: '{"x":2}' })).attempt!;
    expect(set).toMatchObject({ workerId: 'w-1', lastHeartbeatTime: 1234.5, metadataJson: '{"x":2}', status: AttemptStatus.ATTEMPT_STATUS_PREPARING });

    const statusOnly = (await call(client, 'updateAttempt', { rolloutId, attemptId: 'latest', status: AttemptStatus.ATTEMPT_STATUS_RUNNING })).attempt!;
    expect(statusOnly).toMatchObject({ workerId: 'w-1', lastHeartbeatTime: 1234.5, metadataJson: '{"x":2}', status: AttemptStatus.ATTEMPT_STATUS_RUNNING });

    const cleared = (await call(client, 'updateAttempt', { rolloutId, attemptId, clearFields: ['worker_id', 'last_heartbeat_time', 'metadata'] })).attempt!;
    expect(cleared).toMatchObject({ workerId: undefined, lastHeartbeatTime: undefined, metadataJson: 'null', status: AttemptStatus.ATTEMPT_STATUS_RUNNING });

    await expect(call(client, 'updateAttempt', { rolloutId, attemptId, clearFields: ['status'] })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(call(client, 'updateAttempt', { rolloutId, attemptId, workerId: 'w-2', clearFields: ['worker_id'] })).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
    });
  });
});
