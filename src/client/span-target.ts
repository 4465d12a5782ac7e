import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { AttributeReader, ScalarAttribute } from '../domain/span-ids';
import { resolveSpanIds } from '../domain/span-ids';

export { ATTEMPT_ID_ATTRIBUTE, ROLLOUT_ID_ATTRIBUTE, SEQUENCE_ID_ATTRIBUTE } from '../domain/span-ids';

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

function scalar(value: AttributeValue | undefined): ScalarAttribute | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return { kind: 'string', value };
  if (typeof value === 'number') return Number.isSafeInteger(value) ? { kind: 'int', value: String(value) } : { kind: 'double', value };
  return { kind: 'other' };
}

function reader(attributes: Attributes): AttributeReader {
  return (key) => scalar(attributes[key]);
}

/**
 * Resolves where a span goes (reference §10.7, the rule OTLP ingest applies too): each of the three
 * attributes is taken from the span, or from its resource when the span's is missing (absent or ""),
 * then parsed; an unusable value counts as missing. A missing rollout or attempt id falls back to
 * `defaults`. Returns undefined when the rollout or the attempt id is still missing.
 */
export function resolveSpanTarget(spanAttributes: Attributes, resourceAttributes: Attributes, defaults: TargetDefaults = {}): SpanTarget | undefined {
  const ids = resolveSpanIds(reader(spanAttributes), reader(resourceAttributes));
  const rolloutId = ids.rolloutId ?? (defaults.rolloutId || null);
  const attemptId = ids.attemptId ?? (defaults.attemptId || null);
  if (rolloutId === null || attemptId === null) return undefined;
  return { rolloutId, attemptId, sequenceId: ids.sequenceId ?? undefined };
}
