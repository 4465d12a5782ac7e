import type { AnyValue, KeyValue } from '../../gen/opentelemetry/proto/common/v1/common';

/** An OTLP value from a JS value: strings, booleans, integers (number or bigint) as int, other numbers as double. */
export function anyValue(v: string | number | bigint | boolean | Uint8Array | null): AnyValue {
  if (v === null) return { value: undefined };
  if (typeof v === 'string') return { value: { $case: 'stringValue', value: v } };
  if (typeof v === 'boolean') return { value: { $case: 'boolValue', value: v } };
  if (typeof v === 'bigint') return { value: { $case: 'intValue', value: v.toString() } };
  if (v instanceof Uint8Array) return { value: { $case: 'bytesValue', value: Buffer.from(v) } };
  return Number.isInteger(v) ? { value: { $case: 'intValue', value: String(v) } } : { value: { $case: 'doubleValue', value: v } };
}

/** OTLP attributes from an object's entries, in order. */
export function attrs(object: Record<string, string | number | bigint | boolean | Uint8Array | null>): KeyValue[] {
  return Object.entries(object).map(([key, v]) => ({ key, value: anyValue(v) }));
}
