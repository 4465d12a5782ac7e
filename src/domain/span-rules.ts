import { checkExplicitSequenceId, checkId, checkOptionalId, checkTime } from './input-limits';
import type { NewSpan } from './records';

/**
 * Validates a submitted span: ids present, a non-negative integer sequence id when given, finite times.
 * Trace and span ids are opaque strings (OpenTelemetry sends lowercase hex). Throws INVALID_ARGUMENT.
 */
export function checkSpan(span: NewSpan): NewSpan {
  checkId(span.rolloutId, 'span.rollout_id');
  checkId(span.attemptId, 'span.attempt_id');
  checkId(span.spanId, 'span.span_id');
  checkOptionalId(span.traceId, 'span.trace_id');
  if (span.parentId !== null) checkOptionalId(span.parentId, 'span.parent_id');
  if (span.sequenceId !== null) checkExplicitSequenceId(span.sequenceId, 'span.sequence_id');
  checkTime(span.startTime, 'span.start_time');
  checkTime(span.endTime, 'span.end_time');
  return span;
}

/** The key that makes a span unique: a second span with the same key is a duplicate. */
export function spanKey(span: { rolloutId: string; attemptId: string; spanId: string }): string {
  return `${span.rolloutId}\u0000${span.attemptId}\u0000${span.spanId}`;
}
