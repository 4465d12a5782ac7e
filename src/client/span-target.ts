import type { Attributes, AttributeValue } from '@opentelemetry/api';

/** Span or resource attribute naming the rollout a span belongs to. */
export const ROLLOUT_ID_ATTRIBUTE = 'agentlightning.rollout_id';
/** Span or resource attribute naming the attempt a span belongs to. */
export const ATTEMPT_ID_ATTRIBUTE = 'agentlightning.attempt_id';
/** Span or resource attribute carrying the span's sequence id (optional; the server assigns one when absent). */
export const SEQUENCE_ID_ATTRIBUTE = 'agentlightning.span_sequence_id';

/** Where a span goes: its rollout and attempt, and its sequence id when the span carries one. */
export interface SpanTarget {
  readonly rolloutId: string;
  readonly attemptId: string;
  /** Absent: the server assigns the next sequence id of the rollout. */
  readonly sequenceId: number | undefined;
}

/** Ids to fall back on when neither the span nor its resource names them. */
export interface TargetDefaults {
  readonly rolloutId?: string;
  readonly attemptId?: string;
}

/** The span's value of `key` unless it is missing (absent or ""), else the resource's. */
function pick(key: string, span: Attributes, resource: Attributes): AttributeValue | undefined {
  const own = span[key];
  return own === undefined || own === '' ? resource[key] : own;
}

/** An id: a non-empty string as is, an integer in decimal; anything else counts as missing. */
function idOf(value: AttributeValue | undefined): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

/**
 * A sequence id: a non-negative safe integer, given as a number or as decimal text. Anything else
 * (negative, fractional, unparsable) counts as missing, so the server assigns one.
 */
function sequenceIdOf(value: AttributeValue | undefined): number | undefined {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\s*\+?\d+\s*$/.test(value)) n = Number(value);
  return n !== undefined && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/**
 * Resolves where a span goes (reference §10.7, the rule OTLP ingest applies too): each of the three
 * attributes is taken from the span, or from its resource when the span's is missing (absent or ""),
 * then parsed; an unusable value counts as missing. A missing rollout or attempt id falls back to
 * `defaults`. Returns undefined when the rollout or the attempt id is still missing.
 */
export function resolveSpanTarget(spanAttributes: Attributes, resourceAttributes: Attributes, defaults: TargetDefaults = {}): SpanTarget | undefined {
  const rolloutId = idOf(pick(ROLLOUT_ID_ATTRIBUTE, spanAttributes, resourceAttributes)) ?? idOf(defaults.rolloutId);
  const attemptId = idOf(pick(ATTEMPT_ID_ATTRIBUTE, spanAttributes, resourceAttributes)) ?? idOf(defaults.attemptId);
  if (rolloutId === undefined || attemptId === undefined) return undefined;
  const sequenceId = sequenceIdOf(pick(SEQUENCE_ID_ATTRIBUTE, spanAttributes, resourceAttributes));
  return { rolloutId, attemptId, sequenceId };
}
