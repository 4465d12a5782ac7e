import { checkId } from './config-rules';
import { invalidArgument } from './errors';
import type { NewSpan } from './records';

/**
 * Validates a submitted span: ids present, a non-negative integer sequence id when given, finite times.
 * Trace and span ids are opaque strings (OpenTelemetry sends lowercase hex). Throws INVALID_ARGUMENT.
 */
export function checkSpan(span: NewSpan): NewSpan {
  checkId(span.rolloutId, 'span.rollout_id');
  checkId(span.attemptId, 'span.attempt_id');
  checkId(span.spanId, 'span.span_id');
  if (span.sequenceId !== null && (!Number.isSafeInteger(span.sequenceId) || span.sequenceId < 0)) {
    throw invalidArgument(`span.sequence_id must be an integer >= 0, got ${span.sequenceId}`);
  }
  for (const [field, value] of [
    ['span.start_time', span.startTime],
    ['span.end_time', span.endTime],
  ] as const) {
    if (value !== null && !Number.isFinite(value)) throw invalidArgument(`${field} must be a finite number`);
  }
  return span;
}

/** The key that makes a span unique: a second span with the same key is a duplicate. */
export function spanKey(span: { rolloutId: string; attemptId: string; spanId: string }): string {
  return `${span.rolloutId}\u0000${span.attemptId}\u0000${span.spanId}`;
}
