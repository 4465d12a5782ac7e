import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { SpanContext } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { StatusCode } from '../../gen/lightning/store/v1/spans';
import { hrTimeToSeconds, readableSpanToWire } from '../../src/client/span-conversion';
import { recordSpans } from './otel-spans';

const TARGET = { rolloutId: 'ro-1', attemptId: 'at-1', sequenceId: undefined };
const LINKED: SpanContext = {
  traceId: 'ABCDEF0123456789abcdef0123456789',
  spanId: '00000000000000ff',
  traceFlags: 1,
  isRemote: true,
  traceState: new TraceState('vendor=x1,other=y2'),
};

describe('readableSpanToWire', () => {
  let parent: ReadableSpan;
  let child: ReadableSpan;
  beforeAll(async () => {
    [child, parent] = (await recordSpans({ 'service.name': 'agent', 'agentlightning.rollout_id': 'ro-1' }, (tracer) => {
      const root = tracer.startSpan('root', { startTime: [1_700_000_000, 500_000_000] });
      const options = {
        kind: SpanKind.CLIENT,
        startTime: [1_700_000_001, 250_000_000] as [number, number],
        attributes: { model: 'm', tokens: 12, ok: true, list: ['a', 'b'], ratio: NaN },
        links: [{ context: LINKED, attributes: { why: 'retry' } }, { context: LINKED }],
      };
      const span = tracer.startSpan('llm.call', options, trace.setSpan(ROOT_CONTEXT, root));
      span.addEvent('first-token', { index: 0 }, [1_700_000_001, 750_000_000]);
      span.addEvent('bare', [1_700_000_002, 0]);
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited' });
      span.end([1_700_000_003, 0]);
      root.end([1_700_000_004, 0]);
    })) as [ReadableSpan, ReadableSpan];
  });

  it('converts ids, names, times, attributes, kind and scope of a span with a parent', () => {
    const wire = readableSpanToWire(child, { rolloutId: 'ro-1', attemptId: 'at-1', sequenceId: 7 });
    const ids = child.spanContext();
    expect(wire).toMatchObject({
      rolloutId: 'ro-1',
      attemptId: 'at-1',
      sequenceId: 7,
      traceId: ids.traceId,
      spanId: ids.spanId,
      parentId: parent.spanContext().spanId,
      name: 'llm.call',
      startTime: 1_700_000_001.25,
      endTime: 1_700_000_003,
    });
    expect(JSON.parse(wire.attributesJson)).toEqual({ model: 'm', tokens: 12, ok: true, list: ['a', 'b'], ratio: null });
    expect(wire.context).toEqual({ traceId: ids.traceId, spanId: ids.spanId, isRemote: false, traceState: {}, extraJson: '' });
    expect(wire.parent).toMatchObject({ traceId: ids.traceId, spanId: parent.spanContext().spanId, isRemote: false });
    expect(JSON.parse(wire.extraJson)).toEqual({ kind: 'CLIENT', instrumentation_scope: { name: 'test-scope', version: '1.2.3', schema_url: null } });
  });

  it('converts status, events, links and the resource', () => {
    const wire = readableSpanToWire(child, TARGET);
    expect(wire.status).toEqual({ statusCode: StatusCode.STATUS_CODE_ERROR, description: 'rate limited', extraJson: '' });
    expect(wire.events).toEqual([
      { name: 'first-token', attributesJson: '{"index":0}', timestamp: 1_700_000_001.75, extraJson: '' },
      { name: 'bare', attributesJson: '{}', timestamp: 1_700_000_002, extraJson: '' },
    ]);
    const linkContext = {
      traceId: 'abcdef0123456789abcdef0123456789',
      spanId: '00000000000000ff',
      isRemote: true,
      traceState: { vendor: 'x1', other: 'y2' },
      extraJson: '',
    };
    expect(wire.links).toEqual([
      { context: linkContext, attributesJson: '{"why":"retry"}', extraJson: '' },
      { context: linkContext, attributesJson: '', extraJson: '' },
    ]);
    expect(wire.resource?.schemaUrl).toBe('https://example.test/schema');
    expect(JSON.parse(wire.resource!.attributesJson)).toMatchObject({ 'service.name': 'agent', 'agentlightning.rollout_id': 'ro-1' });
  });

  it('leaves parent fields and the sequence id absent for a root span, and an unset status without description', () => {
    const wire = readableSpanToWire(parent, TARGET);
    expect(wire.parentId).toBeUndefined();
    expect(wire.parent).toBeUndefined();
    expect(wire.sequenceId).toBeUndefined();
    expect(wire.status).toEqual({ statusCode: StatusCode.STATUS_CODE_UNSET, description: undefined, extraJson: '' });
    expect(JSON.parse(wire.extraJson)).toMatchObject({ kind: 'INTERNAL' });
    expect(wire.startTime).toBe(1_700_000_000.5);
  });

  it('pads short ids and lowercases them; a time of [0, 0] is absent', () => {
    const bare = { ...parent, spanContext: () => ({ traceId: 'ABC', spanId: 'F', traceFlags: 0 }), startTime: [0, 0] } as ReadableSpan;
    const wire = readableSpanToWire(bare, TARGET);
    expect(wire.traceId).toBe(`${'0'.repeat(29)}abc`);
    expect(wire.spanId).toBe(`${'0'.repeat(15)}f`);
    expect(wire.startTime).toBeUndefined();
    expect(hrTimeToSeconds([0, 0])).toBeUndefined();
    expect(hrTimeToSeconds([0, 1])).toBe(1e-9);
  });
});
