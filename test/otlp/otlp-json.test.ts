import { StoreError } from '../../src/domain/errors';
import { exportRequestFromJson, exportResponseToJson } from '../../src/otlp/otlp-json';

/** What `fn` throws (undefined when it returns). */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

/** The first span of a one-span request built around `span`. */
function decodeSpan(span: unknown) {
  const request = exportRequestFromJson({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] });
  return request.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
}

/** The value of a one-attribute span whose attribute value is `value`. */
function decodeValue(value: unknown) {
  return decodeSpan({ attributes: [{ key: 'k', value }] }).attributes[0]!.value;
}

describe('exportRequestFromJson', () => {
  it('reads hex ids, int64 as strings or numbers, enums as numbers or names, and proto field names', () => {
    const span = decodeSpan({
      traceId: '5B8EFFF798038103D269B633813FC60C',
      span_id: 'eee19b7ec3c1b174',
      parentSpanId: '',
      startTimeUnixNano: '1700000000000000001',
      end_time_unix_nano: 1700000000,
      kind: 'SPAN_KIND_CLIENT',
      flags: 257,
      status: { code: 2, message: 'm' },
      events: [{ timeUnixNano: 5, name: 'e' }],
      links: [{ traceId: '01', spanId: '02', flags: '512' }],
      droppedAttributesCount: 3,
    });
    expect(span).toMatchObject({
      traceId: Buffer.from('5b8efff798038103d269b633813fc60c', 'hex'),
      spanId: Buffer.from('eee19b7ec3c1b174', 'hex'),
      parentSpanId: Buffer.alloc(0),
      startTimeUnixNano: '1700000000000000001',
      endTimeUnixNano: '1700000000',
      kind: 3,
      flags: 257,
      status: { code: 2, message: 'm' },
      events: [{ timeUnixNano: '5', name: 'e', attributes: [] }],
      links: [{ traceId: Buffer.from('01', 'hex'), spanId: Buffer.from('02', 'hex'), flags: 512 }],
      droppedAttributesCount: 3,
    });
  });

  it('fills absent and null fields with proto defaults and ignores unknown ones', () => {
    const request = exportRequestFromJson({ resourceSpans: [{ resource: null, scopeSpans: [{ spans: [{ name: null, somethingNew: 1 }] }] }] });
    expect(request.resourceSpans[0]!.resource).toBeUndefined();
    expect(request.resourceSpans[0]!.scopeSpans[0]!.spans[0]).toMatchObject({ name: '', traceId: Buffer.alloc(0), startTimeUnixNano: '0', status: undefined });
    expect(exportRequestFromJson({})).toEqual({ resourceSpans: [] });
  });

  it.each([
    [{ stringValue: '' }, { $case: 'stringValue', value: '' }],
    [{ boolValue: false }, { $case: 'boolValue', value: false }],
    [{ intValue: '-9223372036854775808' }, { $case: 'intValue', value: '-9223372036854775808' }],
    [{ intValue: 42 }, { $case: 'intValue', value: '42' }],
    [{ intValue: '007' }, { $case: 'intValue', value: '7' }],
    [{ doubleValue: 1.5 }, { $case: 'doubleValue', value: 1.5 }],
    [{ doubleValue: '2.5' }, { $case: 'doubleValue', value: 2.5 }],
    [{ doubleValue: 'NaN' }, { $case: 'doubleValue', value: NaN }],
    [{ bytesValue: 'yv4=' }, { $case: 'bytesValue', value: Buffer.from([0xca, 0xfe]) }],
    [{ arrayValue: {} }, { $case: 'arrayValue', value: { values: [] } }],
    [{ kvlistValue: { values: [{ key: 'a', value: { intValue: 1 } }] } }, { $case: 'kvlistValue', value: { values: [{ key: 'a', value: { value: { $case: 'intValue', value: '1' } } }] } }],
    [{}, undefined],
  ])('reads the value %j', (json, value) => {
    expect(decodeValue(json)).toEqual({ value });
  });

  it('reads an attribute without a value as unset', () => {
    expect(decodeSpan({ attributes: [{ key: 'k' }] }).attributes).toEqual([{ key: 'k', value: undefined }]);
  });

  it.each([
    [[], 'OTLP/JSON request must be a JSON object'],
    [{ resourceSpans: {} }, 'OTLP/JSON resourceSpans: expected an array'],
    [{ resourceSpans: [1] }, 'OTLP/JSON resourceSpans[0]: expected an object'],
    [{ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'abc' }] }] }] }, 'OTLP/JSON resourceSpans[0].scopeSpans[0].spans[0].traceId: expected a hex string'],
    [{ resourceSpans: [{ scopeSpans: [{ spans: [{ name: 5 }] }] }] }, 'OTLP/JSON resourceSpans[0].scopeSpans[0].spans[0].name: expected a string'],
    [
      { resourceSpans: [{ scopeSpans: [{ spans: [{ startTimeUnixNano: '-1' }] }] }] },
      'OTLP/JSON resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: expected an integer from 0 to 18446744073709551615',
    ],
    [{ resourceSpans: [{ scopeSpans: [{ spans: [{ kind: 'SPAN_KIND_ODD' }] }] }] }, 'OTLP/JSON resourceSpans[0].scopeSpans[0].spans[0].kind: expected an enum number'],
    [
      { resourceSpans: [{ resource: { attributes: [{ key: 'k', value: { intValue: '9223372036854775808' } }] } }] },
      'OTLP/JSON resourceSpans[0].resource.attributes[0].value.intValue: expected an integer from -9223372036854775808 to 9223372036854775807',
    ],
    [{ resourceSpans: [{ resource: { attributes: [{ key: 'k', value: { boolValue: 'yes' } }] } }] }, 'OTLP/JSON resourceSpans[0].resource.attributes[0].value.boolValue: expected true or false'],
    [{ resourceSpans: [{ resource: { attributes: [{ key: 'k', value: { bytesValue: '%%' } }] } }] }, 'OTLP/JSON resourceSpans[0].resource.attributes[0].value.bytesValue: expected a base64 string'],
    [{ resourceSpans: [{ resource: { attributes: [{ key: 'k', value: { doubleValue: 'lots' } }] } }] }, 'OTLP/JSON resourceSpans[0].resource.attributes[0].value.doubleValue: expected a number'],
    [{ resourceSpans: [{ scopeSpans: [{ scope: 'lib' }] }] }, 'OTLP/JSON resourceSpans[0].scopeSpans[0].scope: expected an object'],
  ])('refuses %j as INVALID_ARGUMENT', (json, message) => {
    const error = thrownBy(() => exportRequestFromJson(json));
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'INVALID_ARGUMENT', message });
  });
});

describe('exportResponseToJson', () => {
  it('writes {} without partial_success and rejectedSpans as a decimal string with it', () => {
    expect(exportResponseToJson({ partialSuccess: undefined })).toEqual({});
    expect(exportResponseToJson({ partialSuccess: { rejectedSpans: 2, errorMessage: 'why' } })).toEqual({
      partialSuccess: { rejectedSpans: '2', errorMessage: 'why' },
    });
  });
});
