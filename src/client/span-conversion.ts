import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Attributes, HrTime, SpanContext as OtelSpanContext } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { StatusCode } from '../../gen/lightning/store/v1/spans';
import type { Span, SpanContext, SpanEvent, SpanLink, TraceStatus } from '../../gen/lightning/store/v1/spans';
import type { SpanTarget } from './span-target';

const STATUS_CODES: Readonly<Record<SpanStatusCode, StatusCode>> = {
  [SpanStatusCode.UNSET]: StatusCode.STATUS_CODE_UNSET,
  [SpanStatusCode.OK]: StatusCode.STATUS_CODE_OK,
  [SpanStatusCode.ERROR]: StatusCode.STATUS_CODE_ERROR,
};

/** Seconds since the epoch of an OpenTelemetry time; [0, 0] (never set) is absent, as in the reference. */
export function hrTimeToSeconds(time: HrTime): number | undefined {
  const [seconds, nanos] = time;
  return seconds === 0 && nanos === 0 ? undefined : seconds + nanos / 1e9;
}

/** Lowercase hex id, left-padded with zeros to `length` characters. */
function hexId(id: string, length: number): string {
  return id.toLowerCase().padStart(length, '0');
}

/** Attributes as JSON text; values JSON cannot hold (NaN, Infinity) become null. */
function attributesJson(attributes: Attributes): string {
  return JSON.stringify(attributes);
}

/** The entries of a W3C trace state ("k1=v1,k2=v2"). */
function traceStateEntries(context: OtelSpanContext): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const member of (context.traceState?.serialize() ?? '').split(',')) {
    const at = member.indexOf('=');
    if (at > 0) entries[member.slice(0, at).trim()] = member.slice(at + 1).trim();
  }
  return entries;
}

function contextToWire(context: OtelSpanContext): SpanContext {
  return {
    traceId: hexId(context.traceId, 32),
    spanId: hexId(context.spanId, 16),
    isRemote: context.isRemote ?? false,
    traceState: traceStateEntries(context),
    extraJson: '',
  };
}

function statusToWire(span: ReadableSpan): TraceStatus {
  const message = span.status.message;
  return {
    statusCode: STATUS_CODES[span.status.code] ?? StatusCode.STATUS_CODE_UNSET,
    description: message === undefined || message === '' ? undefined : message,
    extraJson: '',
  };
}

function eventsToWire(span: ReadableSpan): SpanEvent[] {
  return span.events.map((event) => ({
    name: event.name,
    attributesJson: attributesJson(event.attributes ?? {}),
    timestamp: hrTimeToSeconds(event.time),
    extraJson: '',
  }));
}

function linksToWire(span: ReadableSpan): SpanLink[] {
  return span.links.map((link) => ({
    context: contextToWire(link.context),
    // Empty link attributes are null, as in the reference.
    attributesJson: link.attributes && Object.keys(link.attributes).length > 0 ? attributesJson(link.attributes) : '',
    extraJson: '',
  }));
}

/**
 * The span's fields that the Span record has no place for, kept as extra keys: `kind` (the OpenTelemetry
 * SpanKind name, e.g. "CLIENT") and `instrumentation_scope` ({name, version, schema_url}).
 */
function extraJson(span: ReadableSpan): string {
  const scope = span.instrumentationScope;
  return JSON.stringify({
    kind: SpanKind[span.kind],
    instrumentation_scope: { name: scope.name, version: scope.version ?? null, schema_url: scope.schemaUrl ?? null },
  });
}

/**
 * A finished OpenTelemetry span as a wire Span of `target`, the way the reference converts SDK spans:
 * ids as zero-padded lowercase hex, times in float seconds, attributes of the span, its events, links and
 * resource as JSON objects (kept whole, agentlightning.* keys included), status UNSET/OK/ERROR with the
 * message as description, `parent` set only when the span has a parent, and kind and instrumentation
 * scope as extra keys. Pure: reads only the span.
 */
export function readableSpanToWire(span: ReadableSpan, target: SpanTarget): Span {
  const context = contextToWire(span.spanContext());
  const parent = span.parentSpanContext ? contextToWire(span.parentSpanContext) : undefined;
  return {
    rolloutId: target.rolloutId,
    attemptId: target.attemptId,
    sequenceId: target.sequenceId,
    traceId: context.traceId,
    spanId: context.spanId,
    parentId: parent?.spanId,
    name: span.name,
    status: statusToWire(span),
    attributesJson: attributesJson(span.attributes),
    events: eventsToWire(span),
    links: linksToWire(span),
    startTime: hrTimeToSeconds(span.startTime),
    endTime: hrTimeToSeconds(span.endTime),
    context,
    parent,
    resource: { attributesJson: attributesJson(span.resource.attributes), schemaUrl: span.resource.schemaUrl ?? '' },
    extraJson: extraJson(span),
  };
}
