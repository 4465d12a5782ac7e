import type { NewSpan, SpanContext } from './records';

/** Bookkeeping a span costs beyond its strings (object headers, numbers), roughly. */
const SPAN_OVERHEAD = 256;

function contextBytes(c: SpanContext | null): number {
  return c === null ? 0 : c.traceId.length + c.spanId.length + c.extra.length + 64;
}

/**
 * Roughly the bytes a span holds in memory while it waits to be stored: its strings and a fixed overhead.
 * Budgets count with it; it is an estimate, not an exact size.
 */
export function spanBytes(span: NewSpan): number {
  let bytes = SPAN_OVERHEAD + span.rolloutId.length + span.attemptId.length + span.traceId.length + span.spanId.length;
  bytes += (span.parentId?.length ?? 0) + span.name.length + span.attributes.length + span.extra.length;
  bytes += span.status.extra.length + (span.status.description?.length ?? 0) + span.resource.attributes.length;
  for (const e of span.events) bytes += 64 + e.name.length + e.attributes.length + e.extra.length;
  for (const l of span.links) bytes += 64 + contextBytes(l.context) + l.attributes.length + l.extra.length;
  return bytes + contextBytes(span.context) + contextBytes(span.parent);
}
