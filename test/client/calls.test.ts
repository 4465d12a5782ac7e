import { status } from '@grpc/grpc-js';
import { StoreClient, StoreClientError, wire } from '../../src/index';
import type { TestServer } from '../support/server';
import { startTestServer } from '../support/server';
import { wireSpan } from '../support/spans';

/** The rejection of `promise`, which must reject with a StoreClientError. */
async function failure(promise: Promise<unknown>): Promise<StoreClientError> {
  const err: unknown = await promise.then(
    () => new Error('expected the call to fail'),
    (e: unknown) => e,
  );
  if (!(err instanceof StoreClientError)) throw err;
  return err;
}

describe('StoreClient calls', () => {
  let t: TestServer;
  let client: StoreClient;
  beforeEach(async () => {
    t = await startTestServer();
    client = new StoreClient(t.server.address);
  });
  afterEach(async () => {
    client.close();
    await t.stop();
  });

  it('runs a rollout through the queue with typed requests and the generated responses', async () => {
    const queued = (await client.enqueueRollout({ rollout: { inputJson: '{"q":1}', mode: wire.RolloutMode.ROLLOUT_MODE_TRAIN } })).rollout!;
    expect(queued.status).toBe(wire.RolloutStatus.ROLLOUT_STATUS_QUEUING);
    const claimed = (await client.dequeueRollout({ workerId: 'w-1' })).rollout!;
    expect(claimed.rollout?.rolloutId).toBe(queued.rolloutId);
    expect(claimed.attempt).toMatchObject({ sequenceId: 1, workerId: 'w-1', status: wire.AttemptStatus.ATTEMPT_STATUS_PREPARING });
    expect((await client.dequeueRollout()).rollout).toBeUndefined();

    const done = await client.updateAttempt({
      rolloutId: queued.rolloutId,
      attemptId: claimed.attempt!.attemptId,
      status: wire.AttemptStatus.ATTEMPT_STATUS_SUCCEEDED,
    });
    expect(done.attempt?.status).toBe(wire.AttemptStatus.ATTEMPT_STATUS_SUCCEEDED);
    const read = (await client.getRollout({ rolloutId: queued.rolloutId })).rollout!;
    expect(read.rollout).toMatchObject({ status: wire.RolloutStatus.ROLLOUT_STATUS_SUCCEEDED, inputJson: '{"q":1}' });
    const waited = await client.waitForRollouts({ rolloutIds: [queued.rolloutId], timeoutSeconds: 1 });
    expect(waited.rollouts.map((r) => r.rolloutId)).toEqual([queued.rolloutId]);
    expect((await client.getWorker({ workerId: 'w-1' })).worker?.status).toBe(wire.WorkerStatus.WORKER_STATUS_IDLE);
    const stats = await client.getStatistics();
    expect(stats).toMatchObject({ backend: 'memory', totalRollouts: 1, totalAttempts: 1, totalWorkers: 1 });
  });

  it('surfaces NOT_FOUND, INVALID_ARGUMENT and FAILED_PRECONDITION as StoreClientError with the server message', async () => {
    const missing = await failure(client.getRollout({ rolloutId: 'ro-missing' }));
    expect(missing).toMatchObject({ code: status.NOT_FOUND, codeName: 'NOT_FOUND', rpc: 'getRollout', attempts: 1, name: 'StoreClientError' });
    expect(missing.details).toContain('ro-missing');
    expect(missing.message).toBe(`getRollout: NOT_FOUND: ${missing.details}`);
    expect(missing.metadata.getMap()).toEqual(expect.any(Object));

    const invalid = await failure(client.dequeueManyRollouts({ limit: 0 }));
    expect(invalid).toMatchObject({ code: status.INVALID_ARGUMENT, codeName: 'INVALID_ARGUMENT', rpc: 'dequeueManyRollouts' });

    const started = (await client.startRollout({ rollout: {} })).rollout!;
    const rolloutId = started.rollout!.rolloutId;
    await client.updateRollout({ rolloutId, status: wire.RolloutStatus.ROLLOUT_STATUS_CANCELLED });
    const refused = await failure(client.startAttempt({ rolloutId }));
    expect(refused).toMatchObject({ code: status.FAILED_PRECONDITION, codeName: 'FAILED_PRECONDITION', rpc: 'startAttempt' });
  });

  it('streams spans in messages of spansPerMessage and reports rejections by their index in the input', async () => {
    const started = (await client.startRollout({ rollout: {} })).rollout!;
    const rid = started.rollout!.rolloutId;
    const aid = started.attempt!.attemptId;
    const spans = Array.from({ length: 7 }, () => wireSpan(rid, aid));
    spans[5] = wireSpan(rid, 'at-missing');
    spans[6] = spans[0]!;
    const answer = await client.ingestSpans(spans, { spansPerMessage: 2 });
    expect(answer).toMatchObject({ accepted: 5, duplicates: 1, rejectedCount: 1 });
    expect(answer.rejected).toEqual([expect.objectContaining({ index: 5, attemptId: 'at-missing', code: 'NOT_FOUND' })]);
    expect((await client.querySpans({ rolloutId: rid })).spans).toHaveLength(5);
    await expect(client.ingestSpans(spans, { spansPerMessage: 0 })).rejects.toThrow(RangeError);
  });

  it('shares a channel: the borrower sends on it and its close() leaves it open for the owner', async () => {
    const borrower = new StoreClient(t.server.address, { channel: client.channel });
    expect(borrower.channel).toBe(client.channel);
    expect((await borrower.getStatistics()).backend).toBe('memory');
    borrower.close();
    expect((await client.getStatistics()).backend).toBe('memory');
    const afterClose = await failure(borrower.getStatistics());
    expect(afterClose).toMatchObject({ code: status.CANCELLED, details: 'the client is closed', attempts: 0 });
  });

  it('refuses calls after close() with CANCELLED, without touching the network', async () => {
    client.close();
    client.close();
    const err = await failure(client.getRollout({ rolloutId: 'ro-x' }));
    expect(err).toMatchObject({ code: status.CANCELLED, codeName: 'CANCELLED', rpc: 'getRollout' });
  });
});
