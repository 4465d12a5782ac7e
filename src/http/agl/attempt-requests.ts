import { ATTEMPT_STATUSES } from '../../domain/records';
import type { AttemptUpdate } from '../../domain/rollout-rules';
import { notNull, numberField, objectFields, objectTextField, optionalObjectFields, enumField, stringField } from './fields';
import type { JsonNode } from './json-source';

/** The optional body of POST /rollouts/{id}/attempts: the worker that takes the new attempt. */
export function startAttemptFromAgl(node: JsonNode): string | null {
  return stringField(optionalObjectFields(node, 'body'), 'worker_id') ?? null;
}

/**
 * The body of POST /rollouts/{id}/attempts/{attempt_id} (reference §10.3 route 13): an absent key leaves
 * the field alone; an explicit null is a 400 for every field.
 */
export function attemptUpdateFromAgl(node: JsonNode): AttemptUpdate {
  const src = objectFields(node, 'body');
  const update: { -readonly [K in keyof AttemptUpdate]: AttemptUpdate[K] } = {};
  const status = notNull(enumField(src, 'status', ATTEMPT_STATUSES), 'status');
  if (status !== undefined) update.status = status;
  const workerId = notNull(stringField(src, 'worker_id'), 'worker_id');
  if (workerId !== undefined) update.workerId = workerId;
  const heartbeat = notNull(numberField(src, 'last_heartbeat_time'), 'last_heartbeat_time');
  if (heartbeat !== undefined) update.lastHeartbeatTime = heartbeat;
  const metadata = notNull(objectTextField(src, 'metadata'), 'metadata');
  if (metadata !== undefined) update.metadata = metadata;
  return update;
}
