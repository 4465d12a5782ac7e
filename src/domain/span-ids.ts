/**
 * Where a span reported through OpenTelemetry belongs (reference §10.7): the rollout, attempt and
 * sequence id attributes, each read from the span, or from its resource when the span's is missing.
 * One rule for every OpenTelemetry path (OTLP ingest, the TypeScript span exporter).
 */

/** Attribute naming the rollout a span belongs to. */
export const ROLLOUT_ID_ATTRIBUTE = 'agentlightning.rollout_id';
/** Attribute naming the attempt a span belongs to. */
export const ATTEMPT_ID_ATTRIBUTE = 'agentlightning.attempt_id';
/** Attribute carrying a span's sequence id (optional; the store assigns one when it is missing). */
export const SEQUENCE_ID_ATTRIBUTE = 'agentlightning.span_sequence_id';

/** A scalar attribute value as the rule sees it; integers as decimal text so 64-bit ones stay exact. */
export type ScalarAttribute =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'int'; readonly value: string }
  | { readonly kind: 'double'; readonly value: number }
  | { readonly kind: 'other' };

/** Reads one attribute (absent: undefined). */
export type AttributeReader = (key: string) => ScalarAttribute | undefined;

/** The ids a span carries; null where it carries none (or nothing usable). */
export interface SpanIds {
  readonly rolloutId: string | null;
  readonly attemptId: string | null;
  readonly sequenceId: number | null;
}

function isMissing(value: ScalarAttribute | undefined): boolean {
  return value === undefined || (value.kind === 'string' && value.value === '');
}

/** An id: a non-empty string as is, an integer in decimal; anything else counts as missing. */
function idOf(value: ScalarAttribute | undefined): string | null {
  if (value?.kind === 'string') return value.value === '' ? null : value.value;
  if (value?.kind === 'int') return value.value;
  return null;
}

/**
 * A sequence id: an integer (or decimal text of one, or an integral double) from 0 to 2^53 - 1. Anything
 * else, negative numbers included, counts as missing, so the store assigns a number.
 */
function sequenceIdOf(value: ScalarAttribute | undefined): number | null {
  let n: number;
  if (value?.kind === 'int') n = Number(value.value);
  else if (value?.kind === 'double') n = value.value;
  else if (value?.kind === 'string' && /^\s*\+?\d+\s*$/.test(value.value)) n = Number(value.value);
  else return null;
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** The ids of a span: each attribute from the span unless missing there (absent or ""), else from its resource. */
export function resolveSpanIds(span: AttributeReader, resource: AttributeReader): SpanIds {
  const pick = (key: string): ScalarAttribute | undefined => {
    const own = span(key);
    return isMissing(own) ? resource(key) : own;
  };
  return {
    rolloutId: idOf(pick(ROLLOUT_ID_ATTRIBUTE)),
    attemptId: idOf(pick(ATTEMPT_ID_ATTRIBUTE)),
    sequenceId: sequenceIdOf(pick(SEQUENCE_ID_ATTRIBUTE)),
  };
}
