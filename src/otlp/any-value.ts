import type { AnyValue, KeyValue } from '../../gen/opentelemetry/proto/common/v1/common';
import type { JsonText } from '../domain/records';

/**
 * JSON text of one OTLP value (reference §10.7): strings, booleans and numbers as themselves, 64-bit
 * integers with every digit, doubles always with a fraction or an exponent (see doubleJson), arrays element by element, a key-value list as an object, bytes as a
 * lowercase hex string, an unset value as null. JSON has no NaN or infinities: those doubles become the
 * strings "NaN", "Infinity" and "-Infinity".
 */
export function anyValueJson(value: AnyValue | undefined): JsonText {
  const v = value?.value;
  if (v === undefined) return 'null';
  switch (v.$case) {
    case 'stringValue':
      return JSON.stringify(v.value);
    case 'boolValue':
      return v.value ? 'true' : 'false';
    case 'intValue':
      // Decoders hand over a canonical decimal string, which is valid JSON as it stands.
      return v.value;
    case 'doubleValue':
      return doubleJson(v.value);
    case 'arrayValue':
      return `[${v.value.values.map(anyValueJson).join(',')}]`;
    case 'kvlistValue':
      return keyValuesJson(v.value.values);
    case 'bytesValue':
      return JSON.stringify(Buffer.from(v.value).toString('hex'));
  }
}

/**
 * A double as JSON text that reads back as a double: a whole number keeps a fraction (`1.0`, `-0.0`), as
 * Python's json writes it, so a reward of exactly 1 stays a float for the client and its dataframes.
 */
export function doubleJson(value: number): JsonText {
  if (!Number.isFinite(value)) return JSON.stringify(String(value));
  if (Object.is(value, -0)) return '-0.0';
  const text = JSON.stringify(value);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

/** JSON object text of an attribute list; a repeated key keeps its first position and its last value. */
export function keyValuesJson(attributes: readonly KeyValue[]): JsonText {
  const entries = new Map<string, JsonText>();
  for (const kv of attributes) entries.set(kv.key, anyValueJson(kv.value));
  return `{${[...entries].map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;
}

/** The value of the last attribute named `key`, or undefined when there is none. */
export function findAttribute(attributes: readonly KeyValue[], key: string): AnyValue | undefined {
  for (let i = attributes.length - 1; i >= 0; i--) {
    const kv = attributes[i]!;
    if (kv.key === key) return kv.value ?? { value: undefined };
  }
  return undefined;
}
