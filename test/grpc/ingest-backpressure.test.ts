import { EventEmitter } from 'node:events';
import type { ServerReadableStream } from '@grpc/grpc-js';
import pino from 'pino';
import { IngestSpansRequest } from '../../gen/lightning/store/v1/store_service';
import type { IngestSpansResponse } from '../../gen/lightning/store/v1/store_service';
import { systemClock } from '../../src/domain/clock';
import { DEFAULT_LIMITS } from '../../src/frontend/limits';
import { ingestSpansHandler } from '../../src/grpc/service/ingest-spans';
import { Ingest, memoryBudget } from '../../src/ingest/ingest';
import { createStore } from '../../src/store/create-store';
import { wireSpan } from '../support/spans';
import { wrapStore } from '../support/store-wrapper';

/** The parts of a grpc-js server stream the handler uses, recording pause and resume. */
class FakeStream extends EventEmitter {
  readonly flow: string[] = [];
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
const ticks = async (n: number) => {
  for (let i = 0; i < n; i++) await tick();
};

describe('IngestSpans stream adapter', () => {
  it('writes each message at once, pauses while a message waits for room in the stream bound, and answers once on end', async () => {
    const inner = createStore({ backend: 'memory', clock: systemClock });
    const { rollout, attempt } = await inner.startRollout({ input: '', mode: null, resourcesId: null, config: null, metadata: null }, null);
    const gates: (() => void)[] = [];
    const writes: number[] = [];
    const store = wrapStore(inner, {
      addSpans: async (spans, options) => {
        writes.push(spans.length);
        await new Promise<void>((resolve) => gates.push(resolve));
        return inner.addSpans(spans, options);
      },
    });
    // A stream bound of one span's bytes: the second message must wait until the first is written.
    const ingest = new Ingest(store, memoryBudget(64 * 1024 * 1024), { maxStreamBytes: 600 });
    const handler = ingestSpansHandler({ store, ingest, logger: pino({ level: 'silent' }), limits: DEFAULT_LIMITS, shutdown: new AbortController().signal });
    const stream = new FakeStream();
    const answers: (IngestSpansResponse | undefined)[] = [];
    handler(stream as unknown as ServerReadableStream<IngestSpansRequest, IngestSpansResponse>, (err, value) => {
      expect(err).toBeNull();
      answers.push(value ?? undefined);
    });
    const message = (n: number) => IngestSpansRequest.fromPartial({ spans: Array.from({ length: n }, () => wireSpan(rollout.rolloutId, attempt!.attemptId)) });

    stream.emit('data', message(1));
    await ticks(3);
    expect(writes).toEqual([1]); // written without waiting for more spans or the end
    expect(stream.flow).toEqual(['pause', 'resume']);

    stream.emit('data', message(1));
    await ticks(3);
    expect(stream.flow).toEqual(['pause', 'resume', 'pause']); // waits: the first message still holds the bound
    expect(writes).toEqual([1]);

    gates.shift()!();
    await ticks(5);
    expect(stream.flow).toEqual(['pause', 'resume', 'pause', 'resume']);
    expect(writes).toEqual([1, 1]);

    stream.emit('end');
    gates.shift()!();
    await ticks(5);
    expect(answers).toEqual([{ accepted: 2, duplicates: 0, rejected: [], rejectedCount: 0 }]);
    stream.emit('end');
    await ticks(3);
    expect(answers).toHaveLength(1);
  });
});
