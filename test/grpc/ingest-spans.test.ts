import { status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { AttemptStatus } from '../../gen/lightning/store/v1/records';
import type { Span, StatusCode } from '../../gen/lightning/store/v1/spans';
import { IngestSpansRequest } from '../../gen/lightning/store/v1/store_service';
import { unavailable } from '../../src/domain/errors';
import type { Store } from '../../src/store/store';
import { createStore } from '../../src/store/create-store';
import { systemClock } from '../../src/domain/clock';
import type { DeepPartial } from '../support/client';
import { call, ingest } from '../support/client';
import type { TestServer } from '../support/server';
import { startTestServer } from '../support/server';
import { wireSpan } from '../support/spans';
import { wrapStore } from '../support/store-wrapper';

/** A memory store that records the size of every addSpans call. */
function countingStore(): { store: Store; batches: number[] } {
  const inner = createStore({ backend: 'memory', clock: systemClock });
  const batches: number[] = [];
  const store = wrapStore(inner, {
    addSpans: (spans, options) => {
      batches.push(spans.length);
      return inner.addSpans(spans, options);
    },
  });
  return { store, batches };
}

describe('IngestSpans', () => {
  let t: TestServer;
  afterEach(async () => {
    await t.stop();
  });

  it('stores 1,000 spans for 10 attempts in batches, as heartbeats, with unique sequence ids per rollout', async () => {
    const { store, batches } = countingStore();
    t = await startTestServer({ store, ingest: { maxBatchSpans: 100 } });
    const { client } = t;
    const pairs: { rolloutId: string; attemptId: string }[] = [];
    for (let r = 0; r < 5; r++) {
      const started = (await call(client, 'startRollout', { rollout: { inputJson: `${r}` } })).rollout!;
      const rolloutId = started.rollout!.rolloutId;
      const again = (await call(client, 'startAttempt', { rolloutId })).rollout!;
      pairs.push({ rolloutId, attemptId: started.attempt!.attemptId }, { rolloutId, attemptId: again.attempt!.attemptId });
    }
    // 100 messages of 10 spans; each message mixes all 10 (rollout, attempt) pairs.
    const messages = Array.from({ length: 100 }, () => ({ spans: pairs.map((p) => wireSpan(p.rolloutId, p.attemptId)) }));
    const answer = await ingest(client, messages);
    expect(answer).toEqual({ accepted: 1000, duplicates: 0, rejected: [], rejectedCount: 0 });
    // Written as they arrive, together when several wait, never more than the batch size at once.
    expect(batches.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(Math.max(...batches)).toBeLessThanOrEqual(100);

    for (const { rolloutId, attemptId } of pairs) {
      const attempt = (await call(client, 'queryAttempts', { rolloutId })).attempts.find((a) => a.attemptId === attemptId)!;
      expect(attempt.status).toBe(AttemptStatus.ATTEMPT_STATUS_RUNNING);
      expect(attempt.lastHeartbeatTime).toEqual(expect.any(Number));
    }
    for (const rolloutId of new Set(pairs.map((p) => p.rolloutId))) {
      const spans = (await call(client, 'querySpans', { rolloutId })).spans;
      expect(spans).toHaveLength(200);
      expect(new Set(spans.map((s) => s.sequenceId)).size).toBe(200);
    }
  });

  it('reports each bad span with its stream index and reason, counts duplicates, and stores the rest', async () => {
    t = await startTestServer();
    const { client } = t;
    const started = (await call(client, 'startRollout', { rollout: {} })).rollout!;
    const rid = started.rollout!.rolloutId;
    const aid = started.attempt!.attemptId;
    const stored = wireSpan(rid, aid);
    await call(client, 'addSpan', { span: stored });
    const repeated = wireSpan(rid, aid);
    const messages: DeepPartial<{ spans: Span[] }>[] = [
      { spans: [wireSpan(rid, aid), wireSpan(rid, 'at-missing')] }, // 0 ok, 1 unknown attempt
      { spans: [wireSpan('ro-missing', aid), wireSpan(rid, aid, { attributesJson: '{bad' })] }, // 2, 3
      { spans: [wireSpan(rid, aid, { spanId: '' }), stored, repeated, repeated] }, // 4 empty id, 5-7 duplicates
      { spans: [wireSpan(rid, aid, { status: { statusCode: 99 as StatusCode } }), wireSpan(rid, aid)] }, // 8 bad enum, 9 ok
    ];
    const answer = await ingest(client, messages);
    expect(answer.accepted).toBe(3);
    expect(answer.duplicates).toBe(2);
    expect(answer.rejected.map((r) => [r.index, r.code])).toEqual([
      [1, 'NOT_FOUND'],
      [2, 'NOT_FOUND'],
      [3, 'INVALID_ARGUMENT'],
      [4, 'INVALID_ARGUMENT'],
      [8, 'INVALID_ARGUMENT'],
    ]);
    expect(answer.rejectedCount).toBe(5);
    const byIndex = new Map(answer.rejected.map((r) => [r.index, r]));
    expect(byIndex.get(1)).toMatchObject({ rolloutId: rid, attemptId: 'at-missing', reason: `Attempt at-missing not found for rollout ${rid}` });
    expect(byIndex.get(2)?.reason).toBe('Rollout ro-missing not found');
    expect(byIndex.get(3)?.reason).toMatch(/attributes is not valid JSON/);
    expect(byIndex.get(4)?.reason).toMatch(/span_id must not be empty/);
    expect(byIndex.get(8)?.reason).toMatch(/status_code: 99 is not a known StatusCode/);
    expect((await call(client, 'querySpans', { rolloutId: rid })).page?.total).toBe(4);
  });

  it('fails the stream with INVALID_ARGUMENT when one message carries more spans than the limit', async () => {
    t = await startTestServer({ limits: { maxBatchSize: 5 } });
    const started = (await call(t.client, 'startRollout', { rollout: {} })).rollout!;
    const spans = Array.from({ length: 6 }, () => wireSpan(started.rollout!.rolloutId, started.attempt!.attemptId));
    await expect(ingest(t.client, [{ spans }])).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: expect.stringContaining('at most 5') as string,
    });
  });

  it('ends the stream with the store error when a batch write fails as a whole', async () => {
    const inner = createStore({ backend: 'memory', clock: systemClock });
    const store = wrapStore(inner, { addSpans: () => Promise.reject(unavailable('database is down')) });
    t = await startTestServer({ store });
    const err = (await ingest(t.client, [{ spans: [wireSpan('ro-1', 'at-1')] }]).catch((e: unknown) => e)) as ServiceError;
    expect(err.code).toBe(status.UNAVAILABLE);
    expect(err.details).toBe('database is down');
  });

  it('still writes the spans it received when the client cancels, answers nothing, and the server keeps serving', async () => {
    const inner = createStore({ backend: 'memory', clock: systemClock });
    const batches: number[] = [];
    const store = wrapStore(inner, {
      addSpans: async (spans, options) => {
        batches.push(spans.length);
        await new Promise((resolve) => setTimeout(resolve, 300));
        return inner.addSpans(spans, options);
      },
    });
    t = await startTestServer({ store, ingest: { maxBatchSpans: 2 } });
    const started = (await call(t.client, 'startRollout', { rollout: {} })).rollout!;
    const rid = started.rollout!.rolloutId;
    const aid = started.attempt!.attemptId;
    const outcome = new Promise<ServiceError | null>((resolve) => {
      const stream = t.client.ingestSpans((err) => resolve(err));
      // The cancel arrives while the message's spans are being written.
      stream.write(IngestSpansRequest.fromPartial({ spans: Array.from({ length: 6 }, () => wireSpan(rid, aid)) }));
      setTimeout(() => stream.cancel(), 100);
    });
    expect((await outcome)?.code).toBe(status.CANCELLED);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(batches).toEqual([6]);
    expect((await call(t.client, 'querySpans', { rolloutId: rid })).page?.total).toBe(6);
  });
});
