import { ExportTraceServiceRequest } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service';
import { Span_SpanKind, Status_StatusCode } from '../../gen/opentelemetry/proto/trace/v1/trace';
import type { NewSpan } from '../../src/domain/records';
import type { IngestItem } from '../../src/domain/ingest-results';
import { convertExportRequest, hexId, nanosToSeconds, parseTraceState } from '../../src/otlp/convert';
import { attrs } from './values';

const IDS = attrs({ 'agentlightning.rollout_id': 'ro-1', 'agentlightning.attempt_id': 'at-1' });

function spanOf(item: IngestItem | undefined): NewSpan {
  if (!item || !('span' in item)) throw new Error(`not a converted span: ${JSON.stringify(item)}`);
  return item.span;
}

describe('hexId', () => {
  it('writes lowercase hex, left-padded, and zeros for no bytes', () => {
    expect(hexId(Buffer.from('0A0b', 'hex'), 16)).toBe('0000000000000a0b');
    expect(hexId(Buffer.alloc(0), 32)).toBe('0'.repeat(32));
    expect(hexId(Buffer.from('5b8efff798038103d269b633813fc60c', 'hex'), 32)).toBe('5b8efff798038103d269b633813fc60c');
  });
});

describe('nanosToSeconds', () => {
  it('turns nanoseconds into float seconds and 0 into null', () => {
    expect(nanosToSeconds('0')).toBeNull();
    expect(nanosToSeconds('1700000001500000000')).toBe(1_700_000_001.5);
    expect(nanosToSeconds('1')).toBe(1e-9);
    expect(nanosToSeconds('18446744073709551615')! - 18_446_744_073).toBeCloseTo(0.709551615, 5);
  });
});

describe('parseTraceState', () => {
  it('reads list members, trims them, skips malformed ones, and keeps the first of a key', () => {
    expect(parseTraceState('')).toEqual({});
    expect(parseTraceState('a=1, b=x=y ,,=bad,nokey,a=2')).toEqual({ a: '1', b: 'x=y' });
  });
});

describe('convertExportRequest', () => {
  it('maps an OTLP span onto a store span (reference §10.7)', () => {
    const request = ExportTraceServiceRequest.fromPartial({
      resourceSpans: [
        {
          resource: { attributes: IDS },
          schemaUrl: 'res-schema',
          scopeSpans: [
            {
              scope: { name: 'lib', version: '' },
              spans: [
                {
                  traceId: Buffer.from('0102', 'hex'),
                  spanId: Buffer.from('ff', 'hex'),
                  parentSpanId: Buffer.from('0000000000000009', 'hex'),
                  traceState: 'k=v',
                  name: 'step',
                  kind: Span_SpanKind.SPAN_KIND_PRODUCER,
                  startTimeUnixNano: '2000000000',
                  endTimeUnixNano: '0',
                  attributes: attrs({ n: 1 }),
                  events: [{ timeUnixNano: '0', name: 'e' }],
                  links: [{ traceId: Buffer.from('01', 'hex'), spanId: Buffer.from('02', 'hex'), flags: 0x100 }],
                  status: { code: Status_StatusCode.STATUS_CODE_OK, message: '' },
                },
              ],
            },
          ],
        },
      ],
    });
    const items = convertExportRequest(request);
    expect(items).toHaveLength(1);
    expect(spanOf(items[0])).toEqual({
      rolloutId: 'ro-1',
      attemptId: 'at-1',
      sequenceId: null,
      traceId: '0'.repeat(28) + '0102',
      spanId: '00000000000000ff',
      parentId: '0000000000000009',
      name: 'step',
      status: { statusCode: 'OK', description: null, extra: '{}' },
      attributes: '{"n":1}',
      events: [{ name: 'e', attributes: '{}', timestamp: null, extra: '{}' }],
      links: [
        {
          // flags 0x100 says "remoteness known", without the remote bit: a local context.
          context: { traceId: '0'.repeat(30) + '01', spanId: '0'.repeat(14) + '02', isRemote: false, traceState: {}, extra: '{}' },
          attributes: 'null',
          extra: '{}',
        },
      ],
      startTime: 2,
      endTime: null,
      context: { traceId: '0'.repeat(28) + '0102', spanId: '00000000000000ff', isRemote: false, traceState: { k: 'v' }, extra: '{}' },
      parent: null,
      resource: { attributes: '{"agentlightning.rollout_id":"ro-1","agentlightning.attempt_id":"at-1"}', schemaUrl: 'res-schema' },
      extra: '{"kind":"PRODUCER","instrumentation_scope":{"name":"lib","version":null,"schema_url":null}}',
    });
  });

  it('maps unknown and absent statuses and kinds to UNSET and null', () => {
    const request = ExportTraceServiceRequest.fromPartial({
      resourceSpans: [{ resource: { attributes: IDS }, scopeSpans: [{ spans: [{ status: { code: 7, message: 'odd' } }, {}] }] }],
    });
    const [odd, bare] = convertExportRequest(request).map(spanOf);
    expect(odd!.status).toEqual({ statusCode: 'UNSET', description: 'odd', extra: '{}' });
    expect(bare!.status).toEqual({ statusCode: 'UNSET', description: null, extra: '{}' });
    expect(bare!.traceId).toBe('0'.repeat(32));
    expect(bare!.parentId).toBeNull();
    expect(JSON.parse(bare!.extra)).toEqual({ kind: null, instrumentation_scope: { name: null, version: null, schema_url: null } });
  });

  it('keeps request order across resources and scopes, and turns spans without ids into rejections', () => {
    const request = ExportTraceServiceRequest.fromPartial({
      resourceSpans: [
        { resource: { attributes: IDS }, scopeSpans: [{ spans: [{ name: 'a' }] }, { spans: [{ name: 'b', spanId: Buffer.from('0b', 'hex') }] }] },
        {
          resource: { attributes: attrs({ 'agentlightning.rollout_id': 'ro-2' }) },
          scopeSpans: [{ spans: [{ name: 'c', spanId: Buffer.from('0c', 'hex') }, { name: 'd', attributes: attrs({ 'agentlightning.attempt_id': 'at-2' }) }] }],
        },
        { scopeSpans: [{ spans: [{ name: 'e' }] }] },
      ],
    });
    const items = convertExportRequest(request);
    expect(items.map((i) => ('span' in i ? i.span.name : `rejected ${i.unconverted.spanId}`))).toEqual([
      'a',
      'b',
      'rejected 000000000000000c',
      'd',
      'rejected 0000000000000000',
    ]);
    expect(items[2]).toMatchObject({
      unconverted: { rolloutId: 'ro-2', attemptId: '', spanId: '000000000000000c' },
      error: { code: 'INVALID_ARGUMENT', message: 'span has no agentlightning.attempt_id attribute (on the span or its resource)' },
    });
    expect(items[4]).toMatchObject({
      error: { message: 'span has no agentlightning.rollout_id and no agentlightning.attempt_id attribute (on the span or its resource)' },
    });
    expect(spanOf(items[3])).toMatchObject({ rolloutId: 'ro-2', attemptId: 'at-2' });
  });
});
