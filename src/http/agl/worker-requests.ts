import type { JsonText } from '../../domain/records';
import { WORKER_STATUSES } from '../../domain/records';
import type { WorkerQuery } from '../../store/store';
import type { FieldSource } from './fields';
import { notNull, objectTextField, optionalObjectFields, stringField, stringListField } from './fields';
import type { JsonNode } from './json-source';
import { WORKER_FIELDS } from './model-fields';
import { logicOf, windowOf } from './paging';

/**
 * The optional body of POST /workers/{id}: `heartbeat_stats` (an object) replaces the statistics; no
 * body or no key keeps them; an explicit null is a 400.
 */
export function workerStatsFromAgl(node: JsonNode): JsonText | null {
  const src = optionalObjectFields(node, 'body');
  return notNull(objectTextField(src, 'heartbeat_stats'), 'heartbeat_stats') ?? null;
}

/** GET /workers (query) or POST /workers/search (body) -> WorkerQuery. */
export function workerQueryFromAgl(src: FieldSource): WorkerQuery {
  return {
    statusIn: stringListField(src, 'status_in', WORKER_STATUSES) ?? undefined,
    workerIdContains: stringField(src, 'worker_id_contains') ?? undefined,
    logic: logicOf(src),
    ...windowOf(src, WORKER_FIELDS),
  };
}
