import { EventEmitter } from 'node:events';
import type { ServerReadableStream } from '@grpc/grpc-js';
import pino from 'pino';
import { IngestSpansRequest } from '../../gen/lightning/store/v1/store_service';
import type { IngestSpansResponse } from '../../gen/lightning/store/v1/store_service';
import { systemClock } from '../../src/domain/clock';
import { DEFAULT_LIMITS } from '../../src/grpc/limits';
import { ingestSpansHandler } from '../../src/grpc/service/ingest-spans';
import { createStore } from '../../src/server';
import { wireSpan } from '../support/spans';
import { wrapStore } from '../support/store-wrapper';

/** The parts of a grpc-js server stream the handler uses, recording pause and resume. */
class FakeStream extends EventEmitter {
  readonly flow: string[] = [];
  cancelled = false;
  pause(): this {
    this.flow.push('pause');
    return this;
  }
  resume(): this {
    this.flow.push('resume');
    return this;
  }
  getPath(): string {
    return '/lightning.store.v1.LightningStoreService/IngestSpans';
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('IngestSpans stream adapter', () => {
  it('pauses the stream while a batch is written, resumes after, and answers once on end', async () => {
    const inner = createStore({ backend: 'memory', clock: systemClock });
    const { rollout, attempt } = await inner.startRollout({ input: '', mode: null, resourcesId: null, config: null, metadata: null }, null);
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const writes: number[] = [];
    const store = wrapStore(inner, {
      addSpans: async (spans, options) => {
        writes.push(spans.length);
        await gate;
        return inner.addSpans(spans, options);
      },
    });
    const handler = ingestSpansHandler({
      store,
      logger: pino({ level: 'silent' }),
      limits: { ...DEFAULT_LIMITS, ingestBatchSize: 3 },
      shutdown: new AbortController().signal,
    });
    const stream = new FakeStream();
    const answers: (IngestSpansResponse | undefined)[] = [];
    handler(stream as unknown as ServerReadableStream<IngestSpansRequest, IngestSpansResponse>, (err, value) => {
      expect(err).toBeNull();
      answers.push(value ?? undefined);
    });
    const message = (n: number) => IngestSpansRequest.fromPartial({ spans: Array.from({ length: n }, () => wireSpan(rollout.rolloutId, attempt!.attemptId)) });

    stream.emit('data', message(2));
    await tick();
    expect(stream.flow).toEqual([]);
    expect(writes).toEqual([]);

    stream.emit('data', message(2));
    await tick();
    expect(stream.flow).toEqual(['pause']);
    expect(writes).toEqual([3]);

    release();
    await tick();
    expect(stream.flow).toEqual(['pause', 'resume']);

    stream.emit('end');
    await tick();
    expect(writes).toEqual([3, 1]);
    expect(answers).toEqual([{ accepted: 4, duplicates: 0, rejected: [], rejectedCount: 0 }]);
    stream.emit('end');
    await tick();
    expect(answers).toHaveLength(1);
  });
});
