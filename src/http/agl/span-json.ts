import type { JsonText, Span, SpanContext, SpanEvent, SpanLink, TraceStatus } from '../../domain/records';
import type { JsonOut } from './json-out';
import { raw, RawJson } from './json-out';
import { parseJsonSource } from './json-source';

/**
 * Stored spans -> agent-lightning Span JSON (reference §1.7). Unknown keys a client sent (kept by the
 * store as `extra`) come back as keys of their object, after the declared ones (COMPAT).
 */

/** The keys of a stored `extra` object that do not clash with `declared`, with their JSON verbatim. */
export function extraEntries(extra: JsonText, declared: readonly string[]): [string, JsonOut][] {
  if (extra.trim() === '' || extra.trim() === '{}') return [];
  const node = parseJsonSource(extra);
  if (node.kind !== 'object') return [];
  return [...node.entries].filter(([key]) => !declared.includes(key)).map(([key, value]) => [key, new RawJson(value.raw)]);
}

function withExtra(fields: Record<string, JsonOut>, extra: JsonText): JsonOut {
  return Object.fromEntries([...Object.entries(fields), ...extraEntries(extra, Object.keys(fields))]);
}

function contextJson(context: SpanContext): JsonOut {
  return withExtra(
    { trace_id: context.traceId, span_id: context.spanId, is_remote: context.isRemote, trace_state: { ...context.traceState } },
    context.extra,
  );
}

function statusJson(status: TraceStatus): JsonOut {
  return withExtra({ status_code: status.statusCode, description: status.description }, status.extra);
}

function eventJson(event: SpanEvent): JsonOut {
  return withExtra({ name: event.name, attributes: raw(event.attributes), timestamp: event.timestamp }, event.extra);
}

function linkJson(link: SpanLink): JsonOut {
  return withExtra({ context: contextJson(link.context), attributes: raw(link.attributes) }, link.extra);
}

/** Span -> JSON with every declared key, then the span's unknown keys. */
export function spanJson(span: Span): JsonOut {
  return withExtra(
    {
      rollout_id: span.rolloutId,
      attempt_id: span.attemptId,
      sequence_id: span.sequenceId,
      trace_id: span.traceId,
      span_id: span.spanId,
      parent_id: span.parentId,
      name: span.name,
      status: statusJson(span.status),
      attributes: raw(span.attributes),
      events: span.events.map(eventJson),
      links: span.links.map(linkJson),
      start_time: span.startTime,
      end_time: span.endTime,
      context: span.context === null ? null : contextJson(span.context),
      parent: span.parent === null ? null : contextJson(span.parent),
      resource: { attributes: raw(span.resource.attributes), schema_url: span.resource.schemaUrl },
    },
    span.extra,
  );
}
