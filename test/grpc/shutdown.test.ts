import { status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { IngestSpansRequest } from '../../gen/lightning/store/v1/store_service';
import type { IngestSpansResponse } from '../../gen/lightning/store/v1/store_service';
import type { LightningStoreServiceClient } from '../../gen/lightning/store/v1/store_service';
import { call, connect } from '../support/client';
import type { TestServer } from '../support/server';
import { startTestServer } from '../support/server';
import { wireSpan } from '../support/spans';
import { sleep } from '../support/time';


/** Opens an IngestSpans stream; `done` settles with the answer or the error. */
function openStream(client: LightningStoreServiceClient) {
  let settle: (outcome: { err: ServiceError | null; response?: IngestSpansResponse }) => void = () => undefined;
  const done = new Promise<{ err: ServiceError | null; response?: IngestSpansResponse }>((resolve) => (settle = resolve));
  const stream = client.ingestSpans((err, response) => settle({ err, response }));
  return { stream, done };
}

describe('graceful shutdown', () => {
  let t: TestServer;
  let pair: { rolloutId: string; attemptId: string };
  const spans = (n: number) => IngestSpansRequest.fromPartial({ spans: Array.from({ length: n }, () => wireSpan(pair.rolloutId, pair.attemptId)) });

  async function start(drainSeconds: number): Promise<void> {
    t = await startTestServer({ drainSeconds });
    const started = (await call(t.client, 'startRollout', { rollout: {} })).rollout!;
    pair = { rolloutId: started.rollout!.rolloutId, attemptId: started.attempt!.attemptId };
  }
  afterEach(async () => {
    await t.stop();
  });

  it('refuses new calls, lets an open stream finish with its answer, then resolves', async () => {
    await start(10);
    const { stream, done } = openStream(t.client);
    stream.write(spans(3));
    await sleep(100);
    const t0 = performance.now();
    const closing = t.server.close();

    // Neither the connected client nor a new one gets a new call through.
    await expect(call(t.client, 'getStatistics', {}, { deadline: Date.now() + 3000 })).rejects.toMatchObject({ code: status.UNAVAILABLE });
    const fresh = connect(t.server.address);
    try {
      await expect(call(fresh, 'getStatistics', {}, { deadline: Date.now() + 3000 })).rejects.toMatchObject({ code: status.UNAVAILABLE });
    } finally {
      fresh.close();
    }
    stream.write(spans(2));
    stream.end();
    const { err, response } = await done;
    expect(err).toBeNull();
    expect(response).toEqual({ accepted: 5, duplicates: 0, rejected: [], rejectedCount: 0 });
    await closing;
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(t.server.close()).toBe(closing);
  });

  it('cancels a stream that never ends once drainSeconds pass, and close() resolves', async () => {
    await start(0.5);
    const { stream, done } = openStream(t.client);
    stream.write(spans(2));
    await sleep(100);
    const t0 = performance.now();
    await t.server.close();
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(450);
    expect(elapsed).toBeLessThan(3000);
    const { err } = await done;
    expect(err?.code).toBe(status.CANCELLED);
  });

  it('ends server-side waits at once with what is finished instead of holding the drain', async () => {
    await start(10);
    const waiting = call(t.client, 'waitForRollouts', { rolloutIds: [pair.rolloutId], timeoutSeconds: 20 });
    await sleep(100);
    const t0 = performance.now();
    await t.server.close();
    expect(performance.now() - t0).toBeLessThan(3000);
    expect((await waiting).rollouts).toEqual([]);
  });
});
