import { checkConfig } from './config-rules';
import { checkId, checkOptionalId, checkTime } from './input-limits';
import { checkJson, EMPTY_OBJECT, JSON_NULL } from './json';
import type { NewSpan, RolloutSpec } from './records';
import type { AttemptUpdate, RolloutUpdate } from './rollout-rules';
import { checkSpan } from './span-rules';

/** Validates a rollout spec: JSON payloads, policy and ids. Throws INVALID_ARGUMENT. */
export function checkRolloutSpec(spec: RolloutSpec): RolloutSpec {
  return {
    input: checkJson(spec.input, 'input', 'any', JSON_NULL),
    mode: spec.mode,
    resourcesId: spec.resourcesId === null ? null : checkId(spec.resourcesId, 'resources_id'),
    config: spec.config === null ? null : checkConfig(spec.config),
    metadata: spec.metadata === null ? null : checkJson(spec.metadata, 'metadata', 'object-or-null', EMPTY_OBJECT),
  };
}

/** Validates the fields of a rollout update. Throws INVALID_ARGUMENT. */
export function checkRolloutUpdate(update: RolloutUpdate): RolloutUpdate {
  return {
    ...update,
    ...(update.input !== undefined ? { input: checkJson(update.input, 'input', 'any', JSON_NULL) } : {}),
    ...(update.metadata !== undefined ? { metadata: checkJson(update.metadata, 'metadata', 'object-or-null', JSON_NULL) } : {}),
    ...(update.config !== undefined ? { config: checkConfig(update.config) } : {}),
    ...(typeof update.resourcesId === 'string' ? { resourcesId: checkId(update.resourcesId, 'resources_id') } : {}),
  };
}

/** Validates the fields of an attempt update. Throws INVALID_ARGUMENT. */
export function checkAttemptUpdate(update: AttemptUpdate): AttemptUpdate {
  if (typeof update.lastHeartbeatTime === 'number') checkTime(update.lastHeartbeatTime, 'last_heartbeat_time');
  return {
    ...update,
    ...(update.metadata !== undefined ? { metadata: checkJson(update.metadata, 'metadata', 'object-or-null', JSON_NULL) } : {}),
  };
}

/** Validates a span, including every JSON payload it carries. Throws INVALID_ARGUMENT. */
export function checkNewSpan(span: NewSpan): NewSpan {
  checkSpan(span);
  const extra = (text: string, field: string) => checkJson(text, field, 'object', EMPTY_OBJECT);
  const context = (c: NewSpan['context'], field: string) => {
    if (c === null) return null;
    checkOptionalId(c.traceId, `${field}.trace_id`);
    checkOptionalId(c.spanId, `${field}.span_id`);
    return { ...c, extra: extra(c.extra, `${field}.extra`) };
  };
  return {
    ...span,
    status: { ...span.status, extra: extra(span.status.extra, 'span.status.extra') },
    attributes: checkJson(span.attributes, 'span.attributes', 'object', EMPTY_OBJECT),
    events: span.events.map((e, i) => ({
      ...e,
      timestamp: checkTime(e.timestamp, `span.events[${i}].timestamp`),
      attributes: checkJson(e.attributes, `span.events[${i}].attributes`, 'object', EMPTY_OBJECT),
      extra: extra(e.extra, `span.events[${i}].extra`),
    })),
    links: span.links.map((l, i) => ({
      context: context(l.context, `span.links[${i}].context`) ?? l.context,
      attributes: checkJson(l.attributes, `span.links[${i}].attributes`, 'object-or-null', JSON_NULL),
      extra: extra(l.extra, `span.links[${i}].extra`),
    })),
    context: context(span.context, 'span.context'),
    parent: context(span.parent, 'span.parent'),
    resource: { ...span.resource, attributes: checkJson(span.resource.attributes, 'span.resource.attributes', 'object', EMPTY_OBJECT) },
    extra: extra(span.extra, 'span.extra'),
  };
}
