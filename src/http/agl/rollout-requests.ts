import { JSON_NULL } from '../../domain/json';
import type { RolloutConfig, RolloutSpec } from '../../domain/records';
import { ATTEMPT_STATUSES, ROLLOUT_MODES, ROLLOUT_STATUSES } from '../../domain/records';
import type { RolloutUpdate } from '../../domain/rollout-rules';
import type { RolloutQuery } from '../../store/store';
import type { FieldSource } from './fields';
import {
  anyTextField,
  enumField,
  intField,
  notNull,
  numberField,
  objectFields,
  objectTextField,
  optionalObjectFields,
  stringField,
  stringListField,
  unprocessable,
} from './fields';
import type { JsonNode } from './json-source';
import { ROLLOUT_FIELDS } from './model-fields';
import { logicOf, windowOf } from './paging';

/*
 * Rollout request bodies and queries (reference §10.3 routes 2-8, §10.4). Types are checked here (422);
 * values (max_attempts >= 1, known resources ids, ...) are the store's rules.
 */

/** RolloutConfig JSON -> domain; absent keys take the reference defaults. */
export function configFromAgl(node: JsonNode, path: string): RolloutConfig {
  const src = objectFields(node, path);
  return {
    timeoutSeconds: numberField(src, 'timeout_seconds') ?? null,
    unresponsiveSeconds: numberField(src, 'unresponsive_seconds') ?? null,
    maxAttempts: intField(src, 'max_attempts') ?? 1,
    retryCondition: stringListField(src, 'retry_condition', ATTEMPT_STATUSES) ?? [],
  };
}

function optionalConfig(src: FieldSource): RolloutConfig | null | undefined {
  const node = src.get('config');
  if (node === undefined) return undefined;
  return node.kind === 'null' ? null : configFromAgl(node, `${src.path}.config`);
}

/** A rollout to create (EnqueueRolloutRequest / RolloutRequest): `input` is required, may be null. */
export function specFromAgl(src: FieldSource): RolloutSpec {
  const input = anyTextField(src, 'input');
  if (input === undefined) throw unprocessable(src.path, 'input', 'a value (the key is required)');
  return {
    input,
    mode: enumField(src, 'mode', ROLLOUT_MODES) ?? null,
    resourcesId: stringField(src, 'resources_id') ?? null,
    config: optionalConfig(src) ?? null,
    metadata: objectTextField(src, 'metadata') ?? null,
  };
}

/** The body of POST /rollouts: a rollout spec plus the worker that starts it. */
export function startRolloutFromAgl(node: JsonNode): { spec: RolloutSpec; workerId: string | null } {
  const src = objectFields(node, 'body');
  return { spec: specFromAgl(src), workerId: stringField(src, 'worker_id') ?? null };
}

/** The body of POST /queues/rollouts/enqueue: `{"rollouts": [...]}`. */
export function enqueueFromAgl(node: JsonNode): RolloutSpec[] {
  const src = objectFields(node, 'body');
  const list = src.get('rollouts');
  if (list === undefined || list.kind !== 'array') throw unprocessable('body', 'rollouts', 'a list (required)');
  return list.items.map((item, i) => specFromAgl(objectFields(item, `body.rollouts[${i}]`)));
}

/** The optional body of POST /queues/rollouts/dequeue: limit (default 1) and worker. */
export function dequeueFromAgl(node: JsonNode): { limit: number; workerId: string | null } {
  const src = optionalObjectFields(node, 'body');
  return { limit: intField(src, 'limit') ?? 1, workerId: stringField(src, 'worker_id') ?? null };
}

/**
 * The body of POST /rollouts/{id}: an absent key leaves the field alone, null clears it; null is a 400
 * for `status` and `config`.
 */
export function rolloutUpdateFromAgl(node: JsonNode): RolloutUpdate {
  const src = objectFields(node, 'body');
  const update: { -readonly [K in keyof RolloutUpdate]: RolloutUpdate[K] } = {};
  const input = anyTextField(src, 'input');
  if (input !== undefined) update.input = input;
  const mode = enumField(src, 'mode', ROLLOUT_MODES);
  if (mode !== undefined) update.mode = mode;
  const resourcesId = stringField(src, 'resources_id');
  if (resourcesId !== undefined) update.resourcesId = resourcesId;
  const status = notNull(enumField(src, 'status', ROLLOUT_STATUSES), 'status');
  if (status !== undefined) update.status = status;
  const config = notNull(optionalConfig(src), 'config');
  if (config !== undefined) update.config = config;
  const metadata = objectTextField(src, 'metadata');
  if (metadata !== undefined) update.metadata = metadata ?? JSON_NULL;
  return update;
}

/**
 * GET /rollouts (query) or POST /rollouts/search (body) -> RolloutQuery. A list condition absent or null
 * is no condition; an empty list matches nothing.
 */
export function rolloutQueryFromAgl(src: FieldSource): RolloutQuery {
  return {
    statusIn: stringListField(src, 'status_in', ROLLOUT_STATUSES) ?? undefined,
    rolloutIdIn: stringListField(src, 'rollout_id_in') ?? undefined,
    rolloutIdContains: stringField(src, 'rollout_id_contains') ?? undefined,
    logic: logicOf(src),
    ...windowOf(src, ROLLOUT_FIELDS),
  };
}

/** The body of POST /waits/rollouts: ids (required) and a timeout in seconds (null: the server's cap). */
export function waitFromAgl(node: JsonNode): { rolloutIds: string[]; timeout: number | null } {
  const src = objectFields(node, 'body');
  const rolloutIds = stringListField(src, 'rollout_ids');
  if (rolloutIds === undefined || rolloutIds === null) throw unprocessable('body', 'rollout_ids', 'a list of strings (required)');
  return { rolloutIds, timeout: numberField(src, 'timeout') ?? null };
}
