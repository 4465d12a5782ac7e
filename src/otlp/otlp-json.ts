import type {
  ExportTraceServiceRequest,
  ExportTraceServiceResponse,
} from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service';
import type { AnyValue, InstrumentationScope, KeyValue } from '../../gen/opentelemetry/proto/common/v1/common';
import type { Resource } from '../../gen/opentelemetry/proto/resource/v1/resource';
import type { ResourceSpans, ScopeSpans, Span, Span_Event, Span_Link, Status } from '../../gen/opentelemetry/proto/trace/v1/trace';
import { invalidArgument } from '../domain/errors';

// OTLP/JSON is proto3 JSON with two OTLP rules: trace and span ids are hex (not base64) and enums are
// integers. Field names are lowerCamelCase; the proto names are accepted too, as proto3 JSON readers do.

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
const SPAN_KINDS: Readonly<Record<string, number>> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};
const STATUS_CODES: Readonly<Record<string, number>> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The fields of one JSON object at `path`; every reader throws INVALID_ARGUMENT naming the field. */
class Fields {
  constructor(
    private readonly fields: Readonly<Record<string, unknown>>,
    private readonly path: string,
  ) {}

  /** The value under `name` (lowerCamelCase) or its snake_case proto name; null is absent. */
  private get(name: string): unknown {
    const value = this.fields[name] ?? this.fields[name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)];
    return value === null ? undefined : value;
  }

  private fail(name: string, expected: string): never {
    throw invalidArgument(`OTLP/JSON ${this.path}${name}: expected ${expected}`);
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  string(name: string): string {
    const v = this.get(name);
    if (v === undefined) return '';
    return typeof v === 'string' ? v : this.fail(name, 'a string');
  }

  bool(name: string): boolean {
    const v = this.get(name);
    if (v === undefined) return false;
    return typeof v === 'boolean' ? v : this.fail(name, 'true or false');
  }

  double(name: string): number {
    const v = this.get(name);
    if (v === undefined) return 0;
    if (typeof v === 'number') return v;
    if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return Number(v);
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
    return this.fail(name, 'a number');
  }

  /** A 64-bit integer (a number or a decimal string) as a canonical decimal string. */
  integer(name: string, min: bigint, max: bigint): string {
    const v = this.get(name);
    if (v === undefined) return '0';
    let n: bigint | null = null;
    if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v);
    else if (typeof v === 'string' && /^-?\d+$/.test(v)) n = BigInt(v);
    if (n === null || n < min || n > max) return this.fail(name, `an integer from ${min} to ${max}`);
    return n.toString();
  }

  int64(name: string): string {
    return this.integer(name, INT64_MIN, INT64_MAX);
  }

  uint64(name: string): string {
    return this.integer(name, 0n, UINT64_MAX);
  }

  uint32(name: string): number {
    return Number(this.integer(name, 0n, 2n ** 32n - 1n));
  }

  /** An enum: its number (unknown numbers are kept, as proto3 enums are open) or its name. */
  enumeration(name: string, names: Readonly<Record<string, number>>): number {
    const v = this.get(name);
    if (v === undefined) return 0;
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    if (typeof v === 'string' && names[v] !== undefined) return names[v];
    return this.fail(name, 'an enum number');
  }

  /** Bytes written as hex (OTLP's rule for trace and span ids). */
  hex(name: string): Buffer {
    const v = this.get(name);
    if (v === undefined) return Buffer.alloc(0);
    return typeof v === 'string' && /^(?:[0-9a-fA-F]{2})*$/.test(v) ? Buffer.from(v, 'hex') : this.fail(name, 'a hex string');
  }

  /** Bytes written as base64 (standard or URL-safe; proto3 JSON's rule for bytes values). */
  base64(name: string): Buffer {
    const v = this.get(name);
    if (v === undefined) return Buffer.alloc(0);
    return typeof v === 'string' && /^[A-Za-z0-9+/_-]*={0,2}$/.test(v) ? Buffer.from(v, 'base64') : this.fail(name, 'a base64 string');
  }

  object(name: string): Fields | undefined {
    const v = this.get(name);
    if (v === undefined) return undefined;
    return isObject(v) ? new Fields(v, `${this.path}${name}.`) : this.fail(name, 'an object');
  }

  /** A repeated message field; absent is empty. */
  list(name: string): Fields[] {
    const v = this.get(name);
    if (v === undefined) return [];
    if (!Array.isArray(v)) return this.fail(name, 'an array');
    return v.map((item: unknown, i) => (isObject(item) ? new Fields(item, `${this.path}${name}[${i}].`) : this.fail(`${name}[${i}]`, 'an object')));
  }
}

function anyValue(f: Fields): AnyValue {
  if (f.has('stringValue')) return { value: { $case: 'stringValue', value: f.string('stringValue') } };
  if (f.has('boolValue')) return { value: { $case: 'boolValue', value: f.bool('boolValue') } };
  if (f.has('intValue')) return { value: { $case: 'intValue', value: f.int64('intValue') } };
  if (f.has('doubleValue')) return { value: { $case: 'doubleValue', value: f.double('doubleValue') } };
  const array = f.object('arrayValue');
  if (array) return { value: { $case: 'arrayValue', value: { values: array.list('values').map(anyValue) } } };
  const kvlist = f.object('kvlistValue');
  if (kvlist) return { value: { $case: 'kvlistValue', value: { values: kvlist.list('values').map(keyValue) } } };
  if (f.has('bytesValue')) return { value: { $case: 'bytesValue', value: f.base64('bytesValue') } };
  return { value: undefined };
}

function keyValue(f: Fields): KeyValue {
  const value = f.object('value');
  return { key: f.string('key'), value: value ? anyValue(value) : undefined };
}

function attributes(f: Fields): KeyValue[] {
  return f.list('attributes').map(keyValue);
}

function resource(f: Fields): Resource {
  return { attributes: attributes(f), droppedAttributesCount: f.uint32('droppedAttributesCount') };
}

function scope(f: Fields): InstrumentationScope {
  return { name: f.string('name'), version: f.string('version'), attributes: attributes(f), droppedAttributesCount: f.uint32('droppedAttributesCount') };
}

function event(f: Fields): Span_Event {
  return { timeUnixNano: f.uint64('timeUnixNano'), name: f.string('name'), attributes: attributes(f), droppedAttributesCount: f.uint32('droppedAttributesCount') };
}

function link(f: Fields): Span_Link {
  return {
    traceId: f.hex('traceId'),
    spanId: f.hex('spanId'),
    traceState: f.string('traceState'),
    attributes: attributes(f),
    droppedAttributesCount: f.uint32('droppedAttributesCount'),
    flags: f.uint32('flags'),
  };
}

function status(f: Fields): Status {
  return { message: f.string('message'), code: f.enumeration('code', STATUS_CODES) };
}

function span(f: Fields): Span {
  const s = f.object('status');
  return {
    traceId: f.hex('traceId'),
    spanId: f.hex('spanId'),
    traceState: f.string('traceState'),
    parentSpanId: f.hex('parentSpanId'),
    flags: f.uint32('flags'),
    name: f.string('name'),
    kind: f.enumeration('kind', SPAN_KINDS),
    startTimeUnixNano: f.uint64('startTimeUnixNano'),
    endTimeUnixNano: f.uint64('endTimeUnixNano'),
    attributes: attributes(f),
    droppedAttributesCount: f.uint32('droppedAttributesCount'),
    events: f.list('events').map(event),
    droppedEventsCount: f.uint32('droppedEventsCount'),
    links: f.list('links').map(link),
    droppedLinksCount: f.uint32('droppedLinksCount'),
    status: s ? status(s) : undefined,
  };
}

function scopeSpans(f: Fields): ScopeSpans {
  const sc = f.object('scope');
  return { scope: sc ? scope(sc) : undefined, spans: f.list('spans').map(span), schemaUrl: f.string('schemaUrl') };
}

function resourceSpans(f: Fields): ResourceSpans {
  const r = f.object('resource');
  return { resource: r ? resource(r) : undefined, scopeSpans: f.list('scopeSpans').map(scopeSpans), schemaUrl: f.string('schemaUrl') };
}

/**
 * Reads a parsed OTLP/JSON ExportTraceServiceRequest. Unknown fields are ignored; a field of the wrong
 * type is INVALID_ARGUMENT naming its path.
 */
export function exportRequestFromJson(json: unknown): ExportTraceServiceRequest {
  if (!isObject(json)) throw invalidArgument('OTLP/JSON request must be a JSON object');
  return { resourceSpans: new Fields(json, '').list('resourceSpans').map(resourceSpans) };
}

/** An ExportTraceServiceResponse as OTLP/JSON; int64 as a decimal string; no partial_success is {}. */
export function exportResponseToJson(response: ExportTraceServiceResponse): unknown {
  const p = response.partialSuccess;
  return p ? { partialSuccess: { rejectedSpans: String(p.rejectedSpans), errorMessage: p.errorMessage } } : {};
}
