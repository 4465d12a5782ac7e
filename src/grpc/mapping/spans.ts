import { StoreError } from '../../domain/errors';
import type { IngestItem } from '../../domain/ingest-results';
import type { NewSpan, OtelResource, Span, SpanContext, SpanEvent, SpanLink, TraceStatus } from '../../domain/records';
import type {
  OtelResource as WireOtelResource,
  Span as WireSpan,
  SpanContext as WireSpanContext,
  SpanEvent as WireSpanEvent,
  SpanLink as WireSpanLink,
  TraceStatus as WireTraceStatus,
} from '../../../gen/lightning/store/v1/spans';
import { spanStatusCode } from './enums';
import { required } from './required';

function contextFromWire(wire: WireSpanContext): SpanContext {
  return {
    traceId: wire.traceId,
    spanId: wire.spanId,
    isRemote: wire.isRemote,
    traceState: { ...wire.traceState },
    extra: wire.extraJson,
  };
}

function contextToWire(context: SpanContext): WireSpanContext {
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    isRemote: context.isRemote,
    traceState: { ...context.traceState },
    extraJson: context.extra,
  };
}

function statusFromWire(wire: WireTraceStatus | undefined): TraceStatus {
  if (wire === undefined) return { statusCode: 'UNSET', description: null, extra: '' };
  return {
    statusCode: spanStatusCode.toDomain(wire.statusCode, 'span.status.status_code'),
    description: wire.description ?? null,
    extra: wire.extraJson,
  };
}

function eventFromWire(wire: WireSpanEvent): SpanEvent {
  return { name: wire.name, attributes: wire.attributesJson, timestamp: wire.timestamp ?? null, extra: wire.extraJson };
}

function eventToWire(event: SpanEvent): WireSpanEvent {
  return { name: event.name, attributesJson: event.attributes, timestamp: event.timestamp ?? undefined, extraJson: event.extra };
}

function linkFromWire(wire: WireSpanLink, i: number): SpanLink {
  return {
    context: contextFromWire(required(wire.context, `span.links[${i}].context`)),
    attributes: wire.attributesJson,
    extra: wire.extraJson,
  };
}

function linkToWire(link: SpanLink): WireSpanLink {
  return { context: contextToWire(link.context), attributesJson: link.attributes, extraJson: link.extra };
}

function resourceFromWire(wire: WireOtelResource | undefined): OtelResource {
  return { attributes: wire?.attributesJson ?? '', schemaUrl: wire?.schemaUrl ?? '' };
}

/**
 * Wire Span -> a span to store. Absent optional fields become null (the sequence id is then assigned by
 * the server); JSON text passes through for the engine to validate. INVALID_ARGUMENT for an unknown
 * status code or a link without a context.
 */
export function spanFromWire(wire: WireSpan): NewSpan {
  return {
    rolloutId: wire.rolloutId,
    attemptId: wire.attemptId,
    sequenceId: wire.sequenceId ?? null,
    traceId: wire.traceId,
    spanId: wire.spanId,
    parentId: wire.parentId ?? null,
    name: wire.name,
    status: statusFromWire(wire.status),
    attributes: wire.attributesJson,
    events: wire.events.map(eventFromWire),
    links: wire.links.map(linkFromWire),
    startTime: wire.startTime ?? null,
    endTime: wire.endTime ?? null,
    context: wire.context === undefined ? null : contextFromWire(wire.context),
    parent: wire.parent === undefined ? null : contextFromWire(wire.parent),
    resource: resourceFromWire(wire.resource),
    extra: wire.extraJson,
  };
}

/** A stored span -> wire. */
export function spanToWire(span: Span): WireSpan {
  return {
    rolloutId: span.rolloutId,
    attemptId: span.attemptId,
    sequenceId: span.sequenceId,
    traceId: span.traceId,
    spanId: span.spanId,
    parentId: span.parentId ?? undefined,
    name: span.name,
    status: {
      statusCode: spanStatusCode.toWire(span.status.statusCode),
      description: span.status.description ?? undefined,
      extraJson: span.status.extra,
    },
    attributesJson: span.attributes,
    events: span.events.map(eventToWire),
    links: span.links.map(linkToWire),
    startTime: span.startTime ?? undefined,
    endTime: span.endTime ?? undefined,
    context: span.context === null ? undefined : contextToWire(span.context),
    parent: span.parent === null ? undefined : contextToWire(span.parent),
    resource: { attributesJson: span.resource.attributes, schemaUrl: span.resource.schemaUrl },
    extraJson: span.extra,
  };
}

/** A wire span as an ingest item: converted, or refused with the reason (the stream goes on). */
export function ingestItemOfWire(wire: WireSpan): IngestItem {
  try {
    return { span: spanFromWire(wire) };
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
    return { unconverted: wire, error: err };
  }
}
