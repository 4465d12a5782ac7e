import { invalidArgument } from './errors';

/**
 * Query semantics shared by every backend: conditions, sorting and paging. `runQuery` evaluates them
 * over records in memory (the memory backend, and any backend that filters records it has read); the
 * SQL and document backends translate them.
 */

export type SortOrder = 'asc' | 'desc';
export type FilterLogic = 'and' | 'or';

/** One sort key, by record property name (camelCase). */
export interface SortKey {
  readonly field: string;
  readonly order: SortOrder;
}

/** A page window; `limit` null means no limit, 0 means "count only". */
export interface PageRequest {
  readonly limit: number | null;
  readonly offset: number;
}

/** One page of results; `total` counts all matches before paging. */
export interface Page<T> {
  readonly items: T[];
  readonly limit: number | null;
  readonly offset: number;
  readonly total: number;
}

/** A condition on one scalar property; `contains` is a case-sensitive substring test. */
export type Condition =
  | { readonly field: string; readonly op: 'eq'; readonly value: string }
  | { readonly field: string; readonly op: 'in'; readonly values: readonly string[] }
  | { readonly field: string; readonly op: 'contains'; readonly value: string };

/**
 * `must` conditions always hold; the optional `pool` combines by `logic`. An empty pool constrains
 * nothing under either logic.
 */
export interface Filter {
  readonly must: readonly Condition[];
  readonly pool: readonly Condition[];
  readonly logic: FilterLogic;
}

/** A complete query for a backend: filter, sort keys (ties then fall to insertion order), page. */
export interface Query {
  readonly filter: Filter;
  readonly sort: readonly SortKey[];
  readonly page: PageRequest;
}

/** The whole collection, unsorted, unpaged. */
export const ALL: PageRequest = { limit: null, offset: 0 };

/** Sortable (scalar) fields of each record kind: wire name -> property name. */
export const SORTABLE_FIELDS = {
  rollout: {
    rollout_id: 'rolloutId',
    start_time: 'startTime',
    end_time: 'endTime',
    mode: 'mode',
    resources_id: 'resourcesId',
    status: 'status',
  },
  attempt: {
    rollout_id: 'rolloutId',
    attempt_id: 'attemptId',
    sequence_id: 'sequenceId',
    start_time: 'startTime',
    end_time: 'endTime',
    status: 'status',
    worker_id: 'workerId',
    last_heartbeat_time: 'lastHeartbeatTime',
  },
  span: {
    rollout_id: 'rolloutId',
    attempt_id: 'attemptId',
    sequence_id: 'sequenceId',
    trace_id: 'traceId',
    span_id: 'spanId',
    parent_id: 'parentId',
    name: 'name',
    start_time: 'startTime',
    end_time: 'endTime',
  },
  resources: {
    resources_id: 'resourcesId',
    create_time: 'createTime',
    update_time: 'updateTime',
    version: 'version',
  },
  worker: {
    worker_id: 'workerId',
    status: 'status',
    last_heartbeat_time: 'lastHeartbeatTime',
    last_dequeue_time: 'lastDequeueTime',
    last_busy_time: 'lastBusyTime',
    last_idle_time: 'lastIdleTime',
    current_rollout_id: 'currentRolloutId',
    current_attempt_id: 'currentAttemptId',
  },
} as const;

/** A record kind that can be queried. */
export type RecordKind = keyof typeof SORTABLE_FIELDS;

/**
 * Resolves a wire sort request (snake_case field name) to a sort key. Object-valued and unknown fields
 * are rejected with INVALID_ARGUMENT.
 */
export function resolveSort(kind: RecordKind, field: string, order: SortOrder): SortKey {
  const fields: Readonly<Record<string, string>> = SORTABLE_FIELDS[kind];
  const property = fields[field];
  if (property === undefined) {
    throw invalidArgument(`Invalid sort field ${JSON.stringify(field)}; allowed fields are: ${Object.keys(fields).join(', ')}`);
  }
  return { field: property, order };
}

/** Validates a page window. Throws INVALID_ARGUMENT for a negative limit or offset. */
export function checkPage(page: PageRequest): PageRequest {
  if (page.limit !== null && (!Number.isInteger(page.limit) || page.limit < 0)) {
    throw invalidArgument(`limit must be an integer >= 0 (or absent for no limit), got ${page.limit}`);
  }
  if (!Number.isInteger(page.offset) || page.offset < 0) {
    throw invalidArgument(`offset must be an integer >= 0, got ${page.offset}`);
  }
  return page;
}

type Scalar = string | number | null | undefined;

function fieldOf(record: object, field: string): Scalar {
  return (record as Record<string, Scalar>)[field];
}

function holds(record: object, c: Condition): boolean {
  const value = fieldOf(record, c.field);
  switch (c.op) {
    case 'eq':
      return value === c.value;
    case 'in':
      return typeof value === 'string' && c.values.includes(value);
    case 'contains':
      return typeof value === 'string' && value.includes(c.value);
  }
}

/** True when `record` satisfies `filter`. */
export function matchesFilter(record: object, filter: Filter): boolean {
  if (!filter.must.every((c) => holds(record, c))) return false;
  if (filter.pool.length === 0) return true;
  return filter.logic === 'and' ? filter.pool.every((c) => holds(record, c)) : filter.pool.some((c) => holds(record, c));
}

/** Compares strings by Unicode code point, which is also UTF-8 byte order (as SQLite and MongoDB do). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function compareScalars(a: Scalar, b: Scalar): number {
  const aNull = a === null || a === undefined;
  const bNull = b === null || b === undefined;
  if (aNull || bNull) return aNull === bNull ? 0 : aNull ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a === b ? 0 : a < b ? -1 : 1;
  return compareCodePoints(String(a), String(b));
}

/**
 * Orders two records by the sort keys: a missing (null) value sorts before every present value, so it
 * comes first ascending and last descending. Returns 0 on a full tie (callers then keep insertion order).
 */
export function compareRecords(a: object, b: object, keys: readonly SortKey[]): number {
  for (const key of keys) {
    const c = compareScalars(fieldOf(a, key.field), fieldOf(b, key.field));
    if (c !== 0) return key.order === 'asc' ? c : -c;
  }
  return 0;
}

/** Cuts a page out of an already filtered and sorted list. */
export function paginate<T>(items: readonly T[], page: PageRequest): Page<T> {
  const end = page.limit === null ? undefined : page.offset + page.limit;
  return { items: items.slice(page.offset, end), limit: page.limit, offset: page.offset, total: items.length };
}

/**
 * Runs a query over records held in insertion order: filter, stable sort (full ties keep insertion
 * order), page. `view` picks the object the conditions and sort keys read (default: the record itself).
 */
export function runQuery<T extends object>(records: Iterable<T>, query: Query, view: (r: T) => object = (r) => r): Page<T> {
  const matched: T[] = [];
  for (const r of records) if (matchesFilter(view(r), query.filter)) matched.push(r);
  if (query.sort.length > 0) matched.sort((a, b) => compareRecords(view(a), view(b), query.sort));
  return paginate(matched, query.page);
}
