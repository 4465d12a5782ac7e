import { gzipSync } from 'node:zlib';
import {
  ExportTraceServiceRequest,
  ExportTraceServiceResponse,
} from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service';
import { systemClock } from '../../src/domain/clock';
import { unavailable } from '../../src/domain/errors';
import { createStore } from '../../src/store/create-store';
import type { TestServer } from '../support/server';
import { startTestServer } from '../support/server';
import { wrapStore } from '../support/store-wrapper';
import { SPEC } from './harness';

const JSON_TYPE = 'application/json';
const PROTOBUF_TYPE = 'application/x-protobuf';

/** An OTLP/JSON request with one resource and one scope holding `spans`. */
function jsonRequest(resourceAttributes: unknown[], spans: unknown[]): unknown {
  return { resourceSpans: [{ resource: { attributes: resourceAttributes }, scopeSpans: [{ spans }] }] };
}

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const pstr = (key: string, value: string) => ({ key, value: { value: { $case: 'stringValue' as const, value } } });

describe('POST /v1/traces with hand-built bodies', () => {
  let t: TestServer;
  let rolloutId: string;
  let attemptId: string;
  beforeEach(async () => {
    t = await startTestServer();
    const started = await t.server.store.startRollout(SPEC, null);
    rolloutId = started.rollout.rolloutId;
    attemptId = started.attempt!.attemptId;
  });
  afterEach(async () => {
    await t.stop();
  });

  const post = (body: Uint8Array | string, headers: Record<string, string>) =>
    fetch(`http://127.0.0.1:${t.server.httpPort}/v1/traces`, { method: 'POST', body, headers });
  const ids = () => [str('agentlightning.rollout_id', rolloutId), str('agentlightning.attempt_id', attemptId)];
  const spans = async () => (await t.server.store.querySpans({ rolloutId })).items;

  it('maps every field of an OTLP/JSON span onto the stored span', async () => {
    const span = {
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: 'eee19b7ec3c1b173',
      traceState: 'vendor=abc, other=1',
      name: 'llm call',
      kind: 3,
      startTimeUnixNano: '1700000000123456789',
      endTimeUnixNano: 1.700000002e18, // a JSON number, not a string
      attributes: [
        { key: 'big', value: { intValue: '9007199254740993' } },
        { key: 'small', value: { intValue: 7 } },
        { key: 'ratio', value: { doubleValue: 0.25 } },
        { key: 'flag', value: { boolValue: true } },
        { key: 'blob', value: { bytesValue: Buffer.from([0xca, 0xfe]).toString('base64') } },
        { key: 'list', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '2' }] } } },
        { key: 'map', value: { kvlistValue: { values: [str('inner', 'v')] } } },
        { key: 'nothing', value: {} },
        { key: 'agentlightning.span_sequence_id', value: { intValue: '12' } },
      ],
      events: [{ timeUnixNano: '1700000000500000000', name: 'chunk', attributes: [str('k', 'v')] }],
      links: [
        { traceId: '00000000000000000000000000000001', spanId: '0000000000000002', traceState: 'a=b', flags: 0x301, attributes: [str('why', 'retry')] },
        { traceId: '00000000000000000000000000000003', spanId: '0000000000000004' },
      ],
      status: { code: 2, message: 'rate limited' },
    };
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [...ids(), str('service.name', 'agent')] },
          schemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
          scopeSpans: [{ scope: { name: 'openai', version: '1.0', attributes: [str('lib', 'x')] }, schemaUrl: 'scope-schema', spans: [span] }],
        },
      ],
    };
    const res = await post(JSON.stringify(body), { 'content-type': `${JSON_TYPE}; charset=utf-8` });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(JSON_TYPE);
    expect(await res.json()).toEqual({});

    const [stored, ...rest] = await spans();
    expect(rest).toEqual([]);
    expect(stored).toMatchObject({
      rolloutId,
      attemptId,
      sequenceId: 12,
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentId: 'eee19b7ec3c1b173',
      name: 'llm call',
      status: { statusCode: 'ERROR', description: 'rate limited' },
      endTime: 1_700_000_002,
      context: { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b174', isRemote: false, traceState: { vendor: 'abc', other: '1' } },
      parent: null,
      resource: { schemaUrl: 'https://opentelemetry.io/schemas/1.21.0' },
    });
    expect(stored!.startTime! - 1_700_000_000).toBeCloseTo(0.123456789, 6);
    // 64-bit integers keep every digit in the stored JSON text.
    expect(stored!.attributes).toContain('"big":9007199254740993,');
    expect(JSON.parse(stored!.attributes)).toEqual({
      big: 9007199254740992, // what JSON.parse makes of the exact digits
      small: 7,
      ratio: 0.25,
      flag: true,
      blob: 'cafe',
      list: ['a', 2],
      map: { inner: 'v' },
      nothing: null,
      'agentlightning.span_sequence_id': 12,
    });
    expect(stored!.events.map((e) => ({ ...e, attributes: JSON.parse(e.attributes) as unknown }))).toEqual([
      { name: 'chunk', attributes: { k: 'v' }, timestamp: 1_700_000_000.5, extra: '{}' },
    ]);
    expect(stored!.links.map((l) => ({ ...l, attributes: JSON.parse(l.attributes) as unknown }))).toEqual([
      {
        context: { traceId: '00000000000000000000000000000001', spanId: '0000000000000002', isRemote: true, traceState: { a: 'b' }, extra: '{}' },
        attributes: { why: 'retry' },
        extra: '{}',
      },
      {
        context: { traceId: '00000000000000000000000000000003', spanId: '0000000000000004', isRemote: false, traceState: {}, extra: '{}' },
        attributes: null,
        extra: '{}',
      },
    ]);
    expect(JSON.parse(stored!.resource.attributes)).toEqual({
      'agentlightning.rollout_id': rolloutId,
      'agentlightning.attempt_id': attemptId,
      'service.name': 'agent',
    });
    expect(JSON.parse(stored!.extra)).toEqual({
      kind: 'CLIENT',
      instrumentation_scope: { name: 'openai', version: '1.0', schema_url: 'scope-schema' },
    });
  });

  it('answers whole doubles as doubles (1.0) and 64-bit integers with every digit on the REST API', async () => {
    const protobuf = ExportTraceServiceRequest.encode(ExportTraceServiceRequest.fromPartial({
      resourceSpans: [
        {
          resource: { attributes: [pstr('agentlightning.rollout_id', rolloutId), pstr('agentlightning.attempt_id', attemptId)], droppedAttributesCount: 0 },
          schemaUrl: '',
          scopeSpans: [
            {
              schemaUrl: '',
              spans: [
                {
                  traceId: Buffer.alloc(16, 1),
                  spanId: Buffer.alloc(8, 2),
                  traceState: '',
                  parentSpanId: Buffer.alloc(0),
                  flags: 0,
                  name: 'agentlightning.annotation',
                  kind: 1,
                  startTimeUnixNano: '1700000000000000000',
                  endTimeUnixNano: '1700000001000000000',
                  attributes: [
                    { key: 'agentlightning.reward.0.value', value: { value: { $case: 'doubleValue', value: 1 } } },
                    { key: 'zero', value: { value: { $case: 'doubleValue', value: 0 } } },
                    { key: 'big', value: { value: { $case: 'intValue', value: '9007199254740993' } } },
                    { key: 'count', value: { value: { $case: 'intValue', value: '1' } } },
                  ],
                  droppedAttributesCount: 0,
                  events: [],
                  droppedEventsCount: 0,
                  links: [],
                  droppedLinksCount: 0,
                  status: { code: 1, message: '' },
                },
              ],
            },
          ],
        },
      ],
    })).finish();
    expect((await post(protobuf, { 'content-type': PROTOBUF_TYPE })).status).toBe(200);
    const res = await fetch(`http://127.0.0.1:${t.server.httpPort}/v1/agl/spans/search`, {
      method: 'POST',
      headers: { 'content-type': JSON_TYPE },
      body: JSON.stringify({ rollout_id: rolloutId }),
    });
    const text = await res.text();
    expect(text).toContain('"agentlightning.reward.0.value":1.0,"zero":0.0,"big":9007199254740993,"count":1}');
  });

  it('answers partial_success in OTLP/JSON, int64 as a string', async () => {
    const body = jsonRequest(ids(), [
      { spanId: '0000000000000001', name: 'kept' },
      { spanId: '0000000000000002', name: 'lost', attributes: [str('agentlightning.rollout_id', 'ro-nope')] },
    ]);
    const res = await post(JSON.stringify(body), { 'content-type': JSON_TYPE });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      partialSuccess: { rejectedSpans: '1', errorMessage: '1 of 2 spans rejected: Rollout ro-nope not found (1 span)' },
    });
    expect((await spans()).map((s) => s.name)).toEqual(['kept']);
  });

  it('answers partial_success in protobuf to a protobuf request', async () => {
    const request = ExportTraceServiceRequest.fromPartial({
      resourceSpans: [
        {
          resource: { attributes: [pstr('agentlightning.rollout_id', rolloutId)] },
          scopeSpans: [
            {
              spans: [
                { spanId: Buffer.from('0000000000000001', 'hex'), name: 'no attempt' },
                {
                  spanId: Buffer.from('0000000000000002', 'hex'),
                  name: 'kept',
                  attributes: [pstr('agentlightning.attempt_id', attemptId)],
                },
              ],
            },
          ],
        },
      ],
    });
    const res = await post(ExportTraceServiceRequest.encode(request).finish(), { 'content-type': PROTOBUF_TYPE });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(PROTOBUF_TYPE);
    expect(ExportTraceServiceResponse.decode(new Uint8Array(await res.arrayBuffer()))).toEqual({
      partialSuccess: {
        rejectedSpans: 1,
        errorMessage: '1 of 2 spans rejected: span has no agentlightning.attempt_id attribute (on the span or its resource) (1 span)',
      },
    });
    const [kept] = await spans();
    expect(kept).toMatchObject({ name: 'kept', sequenceId: 1, traceId: '0'.repeat(32), spanId: '0000000000000002', startTime: null });
  });

  it('takes gzip-compressed bodies in both encodings', async () => {
    const json = jsonRequest(ids(), [{ spanId: '00000000000000aa', name: 'json' }]);
    const res1 = await post(gzipSync(JSON.stringify(json)), { 'content-type': JSON_TYPE, 'content-encoding': 'gzip' });
    expect(res1.status).toBe(200);
    const proto = ExportTraceServiceRequest.fromPartial({
      resourceSpans: [
        {
          resource: { attributes: [pstr('agentlightning.rollout_id', rolloutId), pstr('agentlightning.attempt_id', attemptId)] },
          scopeSpans: [{ spans: [{ spanId: Buffer.from('00000000000000bb', 'hex'), name: 'proto' }] }],
        },
      ],
    });
    const res2 = await post(gzipSync(ExportTraceServiceRequest.encode(proto).finish()), { 'content-type': PROTOBUF_TYPE, 'content-encoding': 'gzip' });
    expect(res2.status).toBe(200);
    expect(new Uint8Array(await res2.arrayBuffer())).toHaveLength(0);
    expect((await spans()).map((s) => s.name)).toEqual(['json', 'proto']);
  });

  it('treats an empty protobuf body as an empty request', async () => {
    const res = await post(new Uint8Array(0), { 'content-type': PROTOBUF_TYPE });
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toHaveLength(0);
  });

  it.each([
    ['a truncated protobuf message', PROTOBUF_TYPE, Buffer.from([0x0a, 0x05, 0x01]), /^Unable to parse OTLP traces payload: /],
    ['malformed JSON', JSON_TYPE, '{"resourceSpans": [', /^request body is not valid JSON/],
    ['JSON that is not an object', JSON_TYPE, '[]', /^OTLP\/JSON request must be a JSON object$/],
    [
      'a span id that is not hex',
      JSON_TYPE,
      JSON.stringify(jsonRequest([], [{ spanId: 'zz' }])),
      /^OTLP\/JSON resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.spanId: expected a hex string$/,
    ],
    [
      'an int value that is not an integer',
      JSON_TYPE,
      JSON.stringify(jsonRequest([{ key: 'n', value: { intValue: '1.5' } }], [])),
      /^OTLP\/JSON resourceSpans\[0\]\.resource\.attributes\[0\]\.value\.intValue: expected an integer/,
    ],
  ])('answers 400 to %s and stores nothing', async (_name, type, body, detail) => {
    const res = await post(body, { 'content-type': type });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toMatch(detail);
    expect(await spans()).toEqual([]);
  });

  it('answers 400 to a corrupt gzip body', async () => {
    const res = await post(Buffer.from('not gzip at all'), { 'content-type': PROTOBUF_TYPE, 'content-encoding': 'gzip' });
    expect(res.status).toBe(400);
  });

  it.each([['text/plain'], ['application/xml'], ['']])('answers 415 to content type %p', async (type) => {
    const body = JSON.stringify(jsonRequest(ids(), [{ spanId: '0000000000000001' }]));
    const res = await fetch(`http://127.0.0.1:${t.server.httpPort}/v1/traces`, {
      method: 'POST',
      body: new TextEncoder().encode(body),
      headers: type ? { 'content-type': type } : {},
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/^a request body must be application\/json or application\/x-protobuf, got /);
    expect(await spans()).toEqual([]);
  });

  it('answers 405 to GET', async () => {
    const res = await fetch(`http://127.0.0.1:${t.server.httpPort}/v1/traces`);
    expect(res.status).toBe(405);
  });

  it.each([['/v1/metrics'], ['/v1/logs'], ['/v1/development/profiles']])('answers 501 to the other OTLP signal %s', async (path) => {
    const res = await fetch(`http://127.0.0.1:${t.server.httpPort}${path}`, { method: 'POST', body: new Uint8Array(), headers: { 'content-type': PROTOBUF_TYPE } });
    expect(res.status).toBe(501);
    expect(((await res.json()) as { detail: string }).detail).toContain('traces only');
  });
});

describe('POST /v1/traces when the store is down', () => {
  it('answers 503 so that the exporter retries', async () => {
    const inner = createStore({ backend: 'memory', clock: systemClock });
    const store = wrapStore(inner, { addSpans: () => Promise.reject(unavailable('backend down')) });
    const t = await startTestServer({ store });
    try {
      const { rollout, attempt } = await inner.startRollout(SPEC, null);
      const body = jsonRequest([str('agentlightning.rollout_id', rollout.rolloutId), str('agentlightning.attempt_id', attempt!.attemptId)], [{ spanId: '0000000000000001' }]);
      const res = await fetch(`http://127.0.0.1:${t.server.httpPort}/v1/traces`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': JSON_TYPE } });
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ detail: 'backend down' });
    } finally {
      await t.stop();
    }
  });
});
