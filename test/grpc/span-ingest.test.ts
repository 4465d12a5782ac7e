import { systemClock } from '../../src/domain/clock';
import { Span as WireSpan } from '../../gen/lightning/store/v1/spans';
import { SpanIngest } from '../../src/grpc/span-ingest';
import { createStore } from '../../src/server';
import { wireSpan } from '../support/spans';

describe('SpanIngest', () => {
  it('lists at most maxRejectedListed rejections and counts the rest', async () => {
    const store = createStore({ backend: 'memory', clock: systemClock });
    const ingest = new SpanIngest(store, { batchSize: 10, maxRejectedListed: 2 });
    ingest.add([1, 2, 3].map(() => WireSpan.fromPartial(wireSpan('ro-missing', 'at-1'))));
    await ingest.flush(true);
    const result = ingest.result();
    expect(result.rejected.map((r) => r.index)).toEqual([0, 1]);
    expect(ingest.unlistedRejections).toBe(1);
    expect(result.rejectedCount).toBe(3);
    expect(result.accepted + result.duplicates).toBe(0);
  });

  it('writes only full batches until told to write everything', async () => {
    const store = createStore({ backend: 'memory', clock: systemClock });
    const { rollout, attempt } = await store.startRollout({ input: '', mode: null, resourcesId: null, config: null, metadata: null }, null);
    const ingest = new SpanIngest(store, { batchSize: 4 });
    const spans = (n: number) => Array.from({ length: n }, () => WireSpan.fromPartial(wireSpan(rollout.rolloutId, attempt!.attemptId)));
    expect(ingest.add(spans(3))).toBe(false);
    expect(ingest.add(spans(6))).toBe(true);
    await ingest.flush(false);
    expect(ingest.result().accepted).toBe(8);
    await ingest.flush(true);
    expect(ingest.result().accepted).toBe(9);
    expect(() => new SpanIngest(store, { maxSpansPerMessage: 2 }).add(spans(3))).toThrow(/at most 2 items per request, got 3/);
  });
});
