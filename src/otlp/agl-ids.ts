import type { AnyValue, KeyValue } from '../../gen/opentelemetry/proto/common/v1/common';
import type { AttributeReader, ScalarAttribute, SpanIds } from '../domain/span-ids';
import { ATTEMPT_ID_ATTRIBUTE, resolveSpanIds, ROLLOUT_ID_ATTRIBUTE, SEQUENCE_ID_ATTRIBUTE } from '../domain/span-ids';
import { findAttribute } from './any-value';

/** Attribute naming the rollout a span belongs to. */
export const ROLLOUT_ID_KEY = ROLLOUT_ID_ATTRIBUTE;
/** Attribute naming the attempt a span belongs to. */
export const ATTEMPT_ID_KEY = ATTEMPT_ID_ATTRIBUTE;
/** Attribute carrying a span's sequence id (optional; the store assigns one when it is missing). */
export const SEQUENCE_ID_KEY = SEQUENCE_ID_ATTRIBUTE;

/** The store ids an OTLP span carries; null where it carries none. */
export type AglIds = SpanIds;

function scalar(value: AnyValue | undefined): ScalarAttribute | undefined {
  const v = value?.value;
  if (v === undefined) return undefined;
  if (v.$case === 'stringValue') return { kind: 'string', value: v.value };
  if (v.$case === 'intValue') return { kind: 'int', value: v.value };
  if (v.$case === 'doubleValue') return { kind: 'double', value: v.value };
  return { kind: 'other' };
}

function reader(attributes: readonly KeyValue[]): AttributeReader {
  return (key) => scalar(findAttribute(attributes, key));
}

/** The ids of an OTLP span and its resource's attributes (the rule of src/domain/span-ids.ts). */
export function resolveAglIds(span: readonly KeyValue[], resource: readonly KeyValue[]): AglIds {
  return resolveSpanIds(reader(span), reader(resource));
}
