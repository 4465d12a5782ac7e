import { status } from '@grpc/grpc-js';
import { AttemptStatus, RolloutStatus } from '../../gen/lightning/store/v1/records';
import type { RolloutMode } from '../../gen/lightning/store/v1/records';
import { systemClock } from '../../src/domain/clock';
import { createStore } from '../../src/store/create-store';
import { call, connect } from '../support/client';
import { captureLogs } from '../support/log-capture';
import type { TestServer } from '../support/server';
import { startTestServer } from '../support/server';
import { wireSpan } from '../support/spans';
import { wrapStore } from '../support/store-wrapper';

const code = (c: status, details?: RegExp) => ({ code: c, ...(details ? { details: expect.stringMatching(details) as string } : {}) });

describe('status codes', () => {
  let t: TestServer;
  afterEach(async () => {
    await t.stop();
  });

  describe('on a default server', () => {
    beforeEach(async () => {
      t = await startTestServer({ limits: { maxBatchSize: 3 } });
    });

    it('NOT_FOUND for unknown rollout, attempt, resources and worker ids', async () => {
      const { client } = t;
      await expect(call(client, 'getRollout', { rolloutId: 'ro-nope' })).rejects.toMatchObject(code(status.NOT_FOUND, /Rollout ro-nope not found/));
      await expect(call(client, 'startAttempt', { rolloutId: 'ro-nope' })).rejects.toMatchObject(code(status.NOT_FOUND));
      const started = (await call(client, 'startRollout', { rollout: {} })).rollout!;
      const rid = started.rollout!.rolloutId;
      await expect(call(client, 'updateAttempt', { rolloutId: rid, attemptId: 'at-nope', status: AttemptStatus.ATTEMPT_STATUS_RUNNING })).rejects.toMatchObject(
        code(status.NOT_FOUND, /Attempt at-nope not found/),
      );
      await expect(call(client, 'querySpans', { rolloutId: rid, attemptId: 'at-nope' })).rejects.toMatchObject(code(status.NOT_FOUND));
      await expect(call(client, 'addSpan', { span: wireSpan(rid, 'at-nope') })).rejects.toMatchObject(code(status.NOT_FOUND));
      await expect(call(client, 'getResources', { resourcesId: 'rs-nope' })).rejects.toMatchObject(code(status.NOT_FOUND, /Resources rs-nope not found/));
      await expect(call(client, 'enqueueRollout', { rollout: { resourcesId: 'rs-nope' } })).rejects.toMatchObject(code(status.NOT_FOUND));
      await expect(call(client, 'getWorker', { workerId: 'w-nope' })).rejects.toMatchObject(code(status.NOT_FOUND, /Worker w-nope not found/));
      await expect(call(client, 'waitForRollouts', { rolloutIds: ['ro-nope'], timeoutSeconds: 0 })).rejects.toMatchObject(code(status.NOT_FOUND));
    });

    it('INVALID_ARGUMENT for malformed input', async () => {
      const { client } = t;
      const started = (await call(client, 'startRollout', { rollout: {} })).rollout!;
      const rid = started.rollout!.rolloutId;
      const bad = (promise: Promise<unknown>, details: RegExp) => expect(promise).rejects.toMatchObject(code(status.INVALID_ARGUMENT, details));
      await bad(call(client, 'enqueueRollout', { rollout: { inputJson: '{bad' } }), /input is not valid JSON/);
      await bad(call(client, 'enqueueRollout', { rollout: { metadataJson: '[1]' } }), /metadata must be a JSON object or null/);
      await bad(call(client, 'enqueueRollout', { rollout: { config: { maxAttempts: 0 } } }), /max_attempts must be an integer >= 1/);
      await bad(call(client, 'enqueueRollout', {}), /rollout is required/);
      await bad(call(client, 'enqueueRollout', { rollout: { mode: 42 as RolloutMode } }), /rollout.mode: 42 is not a known RolloutMode/);
      await bad(call(client, 'queryRollouts', { sort: { field: 'input' } }), /Invalid sort field "input"/);
      await bad(call(client, 'queryRollouts', { page: { offset: -1 } }), /offset must be an integer >= 0/);
      await bad(call(client, 'queryRollouts', { statusIn: [RolloutStatus.ROLLOUT_STATUS_UNSPECIFIED] }), /status_in\[0\]: RolloutStatus is UNSPECIFIED/);
      await bad(call(client, 'updateRollout', { rolloutId: rid, clearFields: ['bogus'] }), /clear_fields: unknown field "bogus"/);
      await bad(call(client, 'updateRollout', { rolloutId: rid, status: RolloutStatus.ROLLOUT_STATUS_UNSPECIFIED }), /status: RolloutStatus is UNSPECIFIED/);
      await bad(call(client, 'dequeueManyRollouts', { limit: 0 }), /limit must be at least 1/);
      await bad(call(client, 'addSpan', { span: wireSpan(rid, started.attempt!.attemptId, { attributesJson: '[]' }) }), /attributes must be a JSON object/);
      await bad(call(client, 'addResources', { resources: { empty: {} } }), /resources\["empty"\]: a resource must set one of/);
    });

    it('INVALID_ARGUMENT naming the limit for batches over maxBatchSize', async () => {
      const { client } = t;
      const started = (await call(client, 'startRollout', { rollout: {} })).rollout!;
      const rid = started.rollout!.rolloutId;
      const aid = started.attempt!.attemptId;
      const over = (promise: Promise<unknown>) => expect(promise).rejects.toMatchObject(code(status.INVALID_ARGUMENT, /at most 3 items per request, got 4/));
      await over(call(client, 'enqueueManyRollouts', { rollouts: [{}, {}, {}, {}] }));
      await over(call(client, 'addManySpans', { spans: Array.from({ length: 4 }, () => wireSpan(rid, aid)) }));
      await over(call(client, 'getManySpanSequenceIds', { targets: Array.from({ length: 4 }, () => ({ rolloutId: rid, attemptId: aid })) }));
      await over(call(client, 'dequeueManyRollouts', { limit: 4 }));
      // A batch at the limit is fine and nothing of the refused ones was written.
      expect((await call(client, 'enqueueManyRollouts', { rollouts: [{}, {}, {}] })).rollouts).toHaveLength(3);
      expect((await call(client, 'querySpans', { rolloutId: rid })).spans).toHaveLength(0);
    });

    it('FAILED_PRECONDITION for a transition the state machine forbids', async () => {
      const { client } = t;
      const started = (await call(client, 'startRollout', { rollout: {} })).rollout!;
      const rid = started.rollout!.rolloutId;
      await call(client, 'updateAttempt', { rolloutId: rid, attemptId: 'latest', status: AttemptStatus.ATTEMPT_STATUS_SUCCEEDED });
      await expect(call(client, 'startAttempt', { rolloutId: rid })).rejects.toMatchObject(code(status.FAILED_PRECONDITION, /is succeeded/));
    });
  });

  it('RESOURCE_EXHAUSTED (from grpc-js) for a message over maxMessageBytes', async () => {
    t = await startTestServer({ limits: { maxMessageBytes: 1024 } });
    const big = JSON.stringify({ text: 'x'.repeat(2000) });
    await expect(call(t.client, 'enqueueRollout', { rollout: { inputJson: big } })).rejects.toMatchObject(code(status.RESOURCE_EXHAUSTED, /larger than max/i));
    // A message under the limit on the same server goes through.
    expect((await call(t.client, 'enqueueRollout', { rollout: { inputJson: '"small"' } })).rollout?.inputJson).toBe('"small"');
  });

  it('accepts messages up to the 16 MiB default, above the 4 MiB grpc-js default', async () => {
    t = await startTestServer();
    // The answer repeats the input, so the client must accept large messages too.
    const client = connect(t.server.address, { 'grpc.max_receive_message_length': -1 });
    try {
      const input = JSON.stringify('x'.repeat(6 * 1024 * 1024));
      const rollout = (await call(client, 'enqueueRollout', { rollout: { inputJson: input } })).rollout!;
      expect(rollout.inputJson.length).toBe(input.length);
    } finally {
      client.close();
    }
  });

  it('INTERNAL with a generic message when the store throws a plain Error; the details go to the log', async () => {
    const { logger, lines } = captureLogs();
    const inner = createStore({ backend: 'memory', clock: systemClock });
    const store = wrapStore(inner, {
      getRollout: () => Promise.reject(new Error('connection string postgres://secret')),
      updateWorker: () => {
        throw new TypeError('synchronous bug');
      },
    });
    t = await startTestServer({ store, logger });
    const err = (await call(t.client, 'getRollout', { rolloutId: 'ro-1' }).catch((e: unknown) => e)) as { code: number; details: string };
    expect(err).toMatchObject({ code: status.INTERNAL, details: 'Internal error' });
    await expect(call(t.client, 'updateWorker', { workerId: 'w-1' })).rejects.toMatchObject({ code: status.INTERNAL, details: 'Internal error' });
    const logged = lines.filter((l) => l['msg'] === 'unexpected error in call');
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatchObject({ method: '/lightning.store.v1.LightningStoreService/GetRollout', err: { message: 'connection string postgres://secret' } });
    expect((logged[0]!['err'] as { stack: string }).stack).toContain('Error: connection string');
  });
});
