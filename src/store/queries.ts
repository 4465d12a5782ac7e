import type { Condition, FilterLogic, PageRequest, Query, RecordKind, SortKey } from '../domain/query';
import { ALL, checkPage, resolveSort } from '../domain/query';
import type { QueryWindow, ResourcesQuery, RolloutQuery, SpanQuery, WorkerQuery } from './store';

/** Builds backend queries from store queries: the one place where filters are assembled. */

function window(kind: RecordKind, w: QueryWindow, defaultSort: readonly SortKey[]): { sort: readonly SortKey[]; page: PageRequest } {
  return {
    sort: w.sort ? [resolveSort(kind, w.sort.field, w.sort.order)] : defaultSort,
    page: checkPage(w.page ?? ALL),
  };
}

function text(field: string, value: string | undefined, op: 'eq' | 'contains'): Condition[] {
  return value === undefined ? [] : [{ field, op, value }];
}

function list(field: string, values: readonly string[] | undefined): Condition[] {
  return values === undefined ? [] : [{ field, op: 'in', values }];
}

/** query_rollouts: status and id conditions combine by the query's logic. */
export function rolloutQuery(q: RolloutQuery): Query {
  const pool = [
    ...list('status', q.statusIn),
    ...list('rolloutId', q.rolloutIdIn),
    ...text('rolloutId', q.rolloutIdContains, 'contains'),
  ];
  return { filter: { must: [], pool, logic: q.logic ?? 'and' }, ...window('rollout', q, []) };
}

/** query_attempts of one rollout; default order sequence_id ascending. */
export function attemptQuery(rolloutId: string, w: QueryWindow): Query {
  const must: Condition[] = [{ field: 'rolloutId', op: 'eq', value: rolloutId }];
  return { filter: { must, pool: [], logic: 'and' }, ...window('attempt', w, [{ field: 'sequenceId', order: 'asc' }]) };
}

/** query_spans with the attempt already resolved (null: every attempt). */
export function spanQuery(q: SpanQuery, attemptId: string | null): Query {
  const must: Condition[] = [
    { field: 'rolloutId', op: 'eq', value: q.rolloutId },
    ...(attemptId === null ? [] : [{ field: 'attemptId', op: 'eq' as const, value: attemptId }]),
  ];
  const pool = [
    ...text('traceId', q.traceId, 'eq'),
    ...text('traceId', q.traceIdContains, 'contains'),
    ...text('spanId', q.spanId, 'eq'),
    ...text('spanId', q.spanIdContains, 'contains'),
    ...text('parentId', q.parentId, 'eq'),
    ...text('parentId', q.parentIdContains, 'contains'),
    ...text('name', q.name, 'eq'),
    ...text('name', q.nameContains, 'contains'),
  ];
  const defaultSort: SortKey[] = [
    { field: 'sequenceId', order: 'asc' },
    { field: 'startTime', order: 'asc' },
  ];
  return { filter: { must, pool, logic: q.logic ?? 'and' }, ...window('span', q, defaultSort) };
}

/** query_resources: id conditions are ANDed. */
export function resourcesQuery(q: ResourcesQuery): Query {
  const pool = [...text('resourcesId', q.resourcesId, 'eq'), ...text('resourcesId', q.resourcesIdContains, 'contains')];
  return { filter: { must: [], pool, logic: 'and' }, ...window('resources', q, []) };
}

/** query_workers: status and id conditions combine by the query's logic. */
export function workerQuery(q: WorkerQuery): Query {
  const pool = [...list('status', q.statusIn), ...text('workerId', q.workerIdContains, 'contains')];
  const logic: FilterLogic = q.logic ?? 'and';
  return { filter: { must: [], pool, logic }, ...window('worker', q, []) };
}
