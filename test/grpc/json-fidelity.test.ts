import { call, ingest } from '../support/client';
import type { TestServer } from '../support/server';
import { startTestServer } from '../support/server';
import { wireSpan } from '../support/spans';

// 12345678901234567890 > 2^64 / 2: it survives only if nobody parses and re-serializes the text.
const BIG = '{"n": 12345678901234567890}';

describe('JSON text fidelity', () => {
  let t: TestServer;
  beforeEach(async () => {
    t = await startTestServer();
  });
  afterEach(async () => {
    await t.stop();
  });

  it('round-trips 64-bit integers byte for byte through input_json, metadata_json and span attributes_json', async () => {
    const { client } = t;
    const started = (await call(client, 'startRollout', { rollout: { inputJson: BIG, metadataJson: BIG } })).rollout!;
    const rid = started.rollout!.rolloutId;
    const aid = started.attempt!.attemptId;
    expect(started.rollout?.inputJson).toBe(BIG);
    const read = (await call(client, 'getRollout', { rolloutId: rid })).rollout!.rollout!;
    expect(read.inputJson).toBe(BIG);
    expect(read.metadataJson).toBe(BIG);

    await call(client, 'addSpan', { span: wireSpan(rid, aid, { spanId: 'unary', attributesJson: BIG }) });
    await ingest(client, [{ spans: [wireSpan(rid, aid, { spanId: 'streamed', attributesJson: BIG, events: [{ name: 'e', attributesJson: BIG }] })] }]);
    const spans = (await call(client, 'querySpans', { rolloutId: rid, sort: { field: 'span_id' } })).spans;
    expect(spans.map((s) => [s.spanId, s.attributesJson])).toEqual([
      ['streamed', BIG],
      ['unary', BIG],
    ]);
    expect(spans[0]!.events[0]!.attributesJson).toBe(BIG);
  });
});
