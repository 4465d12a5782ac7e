import { JSON_NULL } from '../../domain/json';
import type { JsonText, NewSpan, SpanContext, SpanEvent, SpanLink, TraceStatus } from '../../domain/records';
import { SPAN_STATUS_CODES } from '../../domain/records';
import type { SequenceTarget, SpanQuery } from '../../store/store';
import type { FieldSource } from './fields';
import {
  booleanField,
  enumField,
  intField,
  numberField,
  objectFields,
  objectTextField,
  requiredString,
  stringField,
  unprocessable,
} from './fields';
import type { JsonNode } from './json-source';
import { SPAN_FIELDS } from './model-fields';
import { logicOf, windowOf } from './paging';

/*
 * Span JSON -> store span (reference §1.7). As in the reference's models every declared key of a Span
 * must be present (nullable ones may be null), and unknown keys of the span and of its status, context,
 * events and links are kept. One extension: `sequence_id: null` lets the server assign the next number.
 */

function present(src: FieldSource, key: string): JsonNode {
  const node = src.get(key);
  if (node === undefined) throw unprocessable(src.path, key, 'a value (the key is required)');
  return node;
}

function required<T>(value: T | null | undefined, src: FieldSource, key: string, expected: string): T {
  if (value === undefined || value === null) throw unprocessable(src.path, key, expected);
  return value;
}

/** The keys of an object node other than `declared`, as a JSON object text. */
function extraOf(node: JsonNode, declared: readonly string[]): JsonText {
  if (node.kind !== 'object') return '{}';
  const extra = [...node.entries].filter(([key]) => !declared.includes(key));
  return `{${extra.map(([key, value]) => `${JSON.stringify(key)}:${value.raw}`).join(',')}}`;
}

function stringMap(src: FieldSource, key: string): Record<string, string> {
  const node = present(src, key);
  if (node.kind !== 'object') throw unprocessable(src.path, key, 'an object of strings');
  const map: Record<string, string> = {};
  for (const [name, value] of node.entries) {
    if (value.kind !== 'string') throw unprocessable(src.path, key, 'an object of strings');
    map[name] = value.value;
  }
  return map;
}

function contextFrom(node: JsonNode, path: string): SpanContext {
  const src = objectFields(node, path);
  return {
    traceId: requiredString(src, 'trace_id'),
    spanId: requiredString(src, 'span_id'),
    isRemote: required(booleanField(src, 'is_remote'), src, 'is_remote', 'a boolean'),
    traceState: stringMap(src, 'trace_state'),
    extra: extraOf(node, ['trace_id', 'span_id', 'is_remote', 'trace_state']),
  };
}

function optionalContext(src: FieldSource, key: string): SpanContext | null {
  const node = present(src, key);
  return node.kind === 'null' ? null : contextFrom(node, `${src.path}.${key}`);
}

function statusFrom(node: JsonNode, path: string): TraceStatus {
  const src = objectFields(node, path);
  return {
    statusCode: required(enumField(src, 'status_code', SPAN_STATUS_CODES), src, 'status_code', 'a status code'),
    description: stringField(src, 'description') ?? null,
    extra: extraOf(node, ['status_code', 'description']),
  };
}

function listOf<T>(src: FieldSource, key: string, item: (node: JsonNode, path: string) => T): T[] {
  const node = present(src, key);
  if (node.kind !== 'array') throw unprocessable(src.path, key, 'a list');
  return node.items.map((n, i) => item(n, `${src.path}.${key}[${i}]`));
}

function eventFrom(node: JsonNode, path: string): SpanEvent {
  const src = objectFields(node, path);
  return {
    name: requiredString(src, 'name'),
    attributes: required(objectTextField(src, 'attributes'), src, 'attributes', 'a JSON object'),
    timestamp: numberField(src, 'timestamp') ?? null,
    extra: extraOf(node, ['name', 'attributes', 'timestamp']),
  };
}

function linkFrom(node: JsonNode, path: string): SpanLink {
  const src = objectFields(node, path);
  return {
    context: contextFrom(present(src, 'context'), `${path}.context`),
    attributes: objectTextField(src, 'attributes') ?? JSON_NULL,
    extra: extraOf(node, ['context', 'attributes']),
  };
}

/** The body of POST /spans -> a span to store. 422 for a missing key or a value of the wrong type. */
export function spanFromAgl(node: JsonNode): NewSpan {
  const src = objectFields(node, 'span');
  for (const key of SPAN_FIELDS) present(src, key);
  const resource = objectFields(present(src, 'resource'), 'span.resource');
  return {
    rolloutId: requiredString(src, 'rollout_id'),
    attemptId: requiredString(src, 'attempt_id'),
    sequenceId: intField(src, 'sequence_id') ?? null,
    traceId: requiredString(src, 'trace_id'),
    spanId: requiredString(src, 'span_id'),
    parentId: stringField(src, 'parent_id') ?? null,
    name: requiredString(src, 'name'),
    status: statusFrom(present(src, 'status'), 'span.status'),
    attributes: required(objectTextField(src, 'attributes'), src, 'attributes', 'a JSON object'),
    events: listOf(src, 'events', eventFrom),
    links: listOf(src, 'links', linkFrom),
    startTime: numberField(src, 'start_time') ?? null,
    endTime: numberField(src, 'end_time') ?? null,
    context: optionalContext(src, 'context'),
    parent: optionalContext(src, 'parent'),
    // The reference ignores unknown keys of the resource.
    resource: {
      attributes: required(objectTextField(resource, 'attributes'), resource, 'attributes', 'a JSON object'),
      schemaUrl: requiredString(resource, 'schema_url'),
    },
    extra: extraOf(node, SPAN_FIELDS),
  };
}

/** GET /spans (query) or POST /spans/search (body) -> SpanQuery; `rollout_id` is required. */
export function spanQueryFromAgl(src: FieldSource): SpanQuery {
  const text = (key: string) => stringField(src, key) ?? undefined;
  return {
    rolloutId: requiredString(src, 'rollout_id'),
    attemptId: text('attempt_id'),
    traceId: text('trace_id'),
    traceIdContains: text('trace_id_contains'),
    spanId: text('span_id'),
    spanIdContains: text('span_id_contains'),
    parentId: text('parent_id'),
    parentIdContains: text('parent_id_contains'),
    name: text('name'),
    nameContains: text('name_contains'),
    logic: logicOf(src),
    ...windowOf(src, SPAN_FIELDS, 'sequence_id'),
  };
}

/** The body of POST /spans/next. */
export function sequenceTargetFromAgl(node: JsonNode): SequenceTarget {
  const src = objectFields(node, 'body');
  return { rolloutId: requiredString(src, 'rollout_id'), attemptId: requiredString(src, 'attempt_id') };
}
