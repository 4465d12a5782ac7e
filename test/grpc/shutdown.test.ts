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
import { createStore } from '../../src/store/create-store';
import { systemClock } from '../../src/domain/clock';
import { wrapStore } from '../support/store-wrapper';

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

  it('writes the spans still waiting in the ingest pipeline before it closes the store', async () => {
    const inner = createStore({ backend: 'memory', clock: systemClock });
    let written = 0;
    const store = wrapStore(inner, {
      addSpans: async (batch, options) => {
        await sleep(150); // a slow database: batches queue up behind each other
        const outcomes = await inner.addSpans(batch, options);
        written += outcomes.filter((o) => o.kind === 'stored').length;
        return outcomes;
      },
      close: () => Promise.resolve(), // kept open so that the test can count afterwards
    });
    t = await startTestServer({ store, drainSeconds: 0 });
    const started = (await call(t.client, 'startRollout', { rollout: {} })).rollout!;
    pair = { rolloutId: started.rollout!.rolloutId, attemptId: started.attempt!.attemptId };
    const { stream, done } = openStream(t.client);
    for (let i = 0; i < 5; i++) stream.write(spans(10));
    await sleep(50); // received; the first batch is being written, the rest wait
    await t.server.close();
    await done;
    expect(written).toBe(50);
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
