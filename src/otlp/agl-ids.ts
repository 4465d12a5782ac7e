import type { AnyValue, KeyValue } from '../../gen/opentelemetry/proto/common/v1/common';
import { findAttribute } from './any-value';

/** Attribute naming the rollout a span belongs to. */
export const ROLLOUT_ID_KEY = 'agentlightning.rollout_id';
/** Attribute naming the attempt a span belongs to. */
export const ATTEMPT_ID_KEY = 'agentlightning.attempt_id';
/** Attribute carrying a span's sequence id (optional; the store assigns one when it is missing). */
export const SEQUENCE_ID_KEY = 'agentlightning.span_sequence_id';

/** The store ids an OTLP span carries; null where it carries none. */
export interface AglIds {
  readonly rolloutId: string | null;
  readonly attemptId: string | null;
  readonly sequenceId: number | null;
}

function isMissing(value: AnyValue | undefined): boolean {
  const v = value?.value;
  return v === undefined || (v.$case === 'stringValue' && v.value === '');
}

/** The span's attribute unless it is missing (absent, unset or ""), else the resource's. */
function pick(key: string, span: readonly KeyValue[], resource: readonly KeyValue[]): AnyValue | undefined {
  const own = findAttribute(span, key);
  return isMissing(own) ? findAttribute(resource, key) : own;
}

/** An id: a non-empty string as is, an integer in decimal; anything else counts as missing. */
function idOf(value: AnyValue | undefined): string | null {
  const v = value?.value;
  if (v?.$case === 'stringValue') return v.value === '' ? null : v.value;
  if (v?.$case === 'intValue') return v.value;
  return null;
}

/**
 * A sequence id: an integer (or a decimal string of one, or an integral double) from 0 to 2^53 - 1.
 * Anything else, negative numbers included, counts as missing, so the store assigns a number.
 */
function sequenceIdOf(value: AnyValue | undefined): number | null {
  const v = value?.value;
  let n: number;
  if (v?.$case === 'intValue') n = Number(v.value);
  else if (v?.$case === 'doubleValue') n = v.value;
  else if (v?.$case === 'stringValue' && /^\s*\+?\d+\s*$/.test(v.value)) n = Number(v.value);
  else return null;
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/**
 * The ids of a span (reference §10.7): each of the three attributes is read from the span, or from its
 * resource when the span's is missing; "" counts as missing.
 */
export function resolveAglIds(span: readonly KeyValue[], resource: readonly KeyValue[]): AglIds {
  return {
    rolloutId: idOf(pick(ROLLOUT_ID_KEY, span, resource)),
    attemptId: idOf(pick(ATTEMPT_ID_KEY, span, resource)),
    sequenceId: sequenceIdOf(pick(SEQUENCE_ID_KEY, span, resource)),
  };
}
