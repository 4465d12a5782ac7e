import type { ExportTraceServiceRequest } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service';
import type { InstrumentationScope } from '../../gen/opentelemetry/proto/common/v1/common';
import type { Span as OtlpSpan, Span_Link, Status } from '../../gen/opentelemetry/proto/trace/v1/trace';
import { Span_SpanKind, Status_StatusCode } from '../../gen/opentelemetry/proto/trace/v1/trace';
import { invalidArgument } from '../domain/errors';
import { EMPTY_OBJECT } from '../domain/json';
import type { JsonText, NewSpan, OtelResource, SpanContext, TraceStatus } from '../domain/records';
import type { IngestItem } from '../domain/ingest-results';
import { ATTEMPT_ID_KEY, resolveAglIds, ROLLOUT_ID_KEY } from './agl-ids';
import { keyValuesJson } from './any-value';

/** Lowercase hex of an id, left-padded with zeros to `width`; no bytes give all zeros. */
export function hexId(bytes: Uint8Array, width: number): string {
  return Buffer.from(bytes).toString('hex').padStart(width, '0');
}

/** Nanoseconds since the epoch (a decimal string) as float seconds; 0 is null (not set). */
export function nanosToSeconds(nanos: string): number | null {
  const n = BigInt(nanos);
  if (n === 0n) return null;
  const billion = 1_000_000_000n;
  return Number(n / billion) + Number(n % billion) / 1e9;
}

/** A W3C tracestate header value as a map; malformed members are skipped, the first of a key wins. */
export function parseTraceState(header: string): Record<string, string> {
  const state: Record<string, string> = {};
  for (const member of header.split(',')) {
    const eq = member.indexOf('=');
    const key = member.slice(0, eq).trim();
    if (eq <= 0 || key === '' || key in state) continue;
    state[key] = member.slice(eq + 1).trim();
  }
  return state;
}

// Bits of Span.flags and Link.flags that say whether the context is remote, and whether that is known.
const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;

function contextOf(traceId: string, spanId: string, traceState: string, isRemote: boolean): SpanContext {
  return { traceId, spanId, isRemote, traceState: parseTraceState(traceState), extra: EMPTY_OBJECT };
}

const STATUS_CODES: Readonly<Record<number, TraceStatus['statusCode']>> = {
  [Status_StatusCode.STATUS_CODE_UNSET]: 'UNSET',
  [Status_StatusCode.STATUS_CODE_OK]: 'OK',
  [Status_StatusCode.STATUS_CODE_ERROR]: 'ERROR',
};

/** OTLP status -> store status; an unknown code is UNSET, an empty message no description. */
function statusOf(status: Status | undefined): TraceStatus {
  return {
    statusCode: STATUS_CODES[status?.code ?? 0] ?? 'UNSET',
    description: status?.message ? status.message : null,
    extra: EMPTY_OBJECT,
  };
}

function linkOf(link: Span_Link): NewSpan['links'][number] {
  const isRemote = (link.flags & (HAS_IS_REMOTE | IS_REMOTE)) === (HAS_IS_REMOTE | IS_REMOTE);
  return {
    context: contextOf(hexId(link.traceId, 32), hexId(link.spanId, 16), link.traceState, isRemote),
    attributes: link.attributes.length > 0 ? keyValuesJson(link.attributes) : 'null',
    extra: EMPTY_OBJECT,
  };
}

const KIND_NAMES: Readonly<Record<number, string>> = {
  [Span_SpanKind.SPAN_KIND_INTERNAL]: 'INTERNAL',
  [Span_SpanKind.SPAN_KIND_SERVER]: 'SERVER',
  [Span_SpanKind.SPAN_KIND_CLIENT]: 'CLIENT',
  [Span_SpanKind.SPAN_KIND_PRODUCER]: 'PRODUCER',
  [Span_SpanKind.SPAN_KIND_CONSUMER]: 'CONSUMER',
};

/**
 * The extra top-level keys of an ingested span, shaped as the client's span exporter writes them: `kind`
 * (the SpanKind name, null when unspecified) and `instrumentation_scope` ({name, version, schema_url},
 * empty strings as null). Scope attributes have no place there and are dropped.
 */
function extraOf(span: OtlpSpan, scope: InstrumentationScope | undefined, scopeSchemaUrl: string): JsonText {
  const orNull = (text: string | undefined): string | null => (text ? text : null);
  return JSON.stringify({
    kind: KIND_NAMES[span.kind] ?? null,
    instrumentation_scope: { name: orNull(scope?.name), version: orNull(scope?.version), schema_url: orNull(scopeSchemaUrl) },
  });
}

/** Why a span without store ids is refused. */
function missingIdsMessage(rolloutId: string | null, attemptId: string | null): string {
  const missing = [rolloutId === null ? ROLLOUT_ID_KEY : null, attemptId === null ? ATTEMPT_ID_KEY : null].filter((k) => k !== null);
  return `span has no ${missing.join(' and no ')} attribute (on the span or its resource)`;
}

/**
 * Converts an OTLP export request into store spans, in request order (reference §10.7 field mapping).
 * Each span's rollout, attempt and sequence ids come from its agentlightning.* attributes, falling back
 * to its resource's; a span without a rollout or attempt id becomes an INVALID_ARGUMENT item naming
 * what is missing. A span without a sequence id is left for the store to number.
 */
export function convertExportRequest(request: ExportTraceServiceRequest): IngestItem[] {
  const items: IngestItem[] = [];
  for (const resourceSpans of request.resourceSpans) {
    const resourceAttributes = resourceSpans.resource?.attributes ?? [];
    const resource: OtelResource = { attributes: keyValuesJson(resourceAttributes), schemaUrl: resourceSpans.schemaUrl };
    for (const scopeSpans of resourceSpans.scopeSpans) {
      for (const span of scopeSpans.spans) {
        const ids = resolveAglIds(span.attributes, resourceAttributes);
        const traceId = hexId(span.traceId, 32);
        const spanId = hexId(span.spanId, 16);
        if (ids.rolloutId === null || ids.attemptId === null) {
          const unconverted = { rolloutId: ids.rolloutId ?? '', attemptId: ids.attemptId ?? '', spanId };
          items.push({ unconverted, error: invalidArgument(missingIdsMessage(ids.rolloutId, ids.attemptId)) });
          continue;
        }
        items.push({
          span: {
            rolloutId: ids.rolloutId,
            attemptId: ids.attemptId,
            sequenceId: ids.sequenceId,
            traceId,
            spanId,
            parentId: span.parentSpanId.length > 0 ? hexId(span.parentSpanId, 16) : null,
            name: span.name,
            status: statusOf(span.status),
            attributes: keyValuesJson(span.attributes),
            events: span.events.map((event) => ({
              name: event.name,
              attributes: keyValuesJson(event.attributes),
              timestamp: nanosToSeconds(event.timeUnixNano),
              extra: EMPTY_OBJECT,
            })),
            links: span.links.map(linkOf),
            startTime: nanosToSeconds(span.startTimeUnixNano),
            endTime: nanosToSeconds(span.endTimeUnixNano),
            context: contextOf(traceId, spanId, span.traceState, false),
            parent: null,
            resource,
            extra: extraOf(span, scopeSpans.scope, scopeSpans.schemaUrl),
          },
        });
      }
    }
  }
  return items;
}
