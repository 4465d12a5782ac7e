import type { Page, PageRequest } from '../../domain/query';
import type { QueryWindow, ResourcesQuery, RolloutQuery, SortRequest, SpanQuery, WorkerQuery } from '../../store/store';
import type { Page as WirePage, PageInfo, Sort as WireSort } from '../../../gen/lightning/store/v1/queries';
import type {
  QueryResourcesRequest,
  QueryRolloutsRequest,
  QuerySpansRequest,
  QueryWorkersRequest,
} from '../../../gen/lightning/store/v1/store_service';
import { filterLogic, rolloutStatus, sortOrder, workerStatus } from './enums';

// Absent optional conditions map to `undefined` properties, which the store treats as "no condition".

/** Wire Sort -> sort request; absent means the query's default order. The store checks the field name. */
export function sortFromWire(wire: WireSort | undefined): SortRequest | undefined {
  return wire === undefined ? undefined : { field: wire.field, order: sortOrder.toDomain(wire.order, 'sort.order') };
}

/** Wire Page -> page request; absent means everything, an absent limit means no limit. */
export function pageFromWire(wire: WirePage | undefined): PageRequest | undefined {
  return wire === undefined ? undefined : { limit: wire.limit ?? null, offset: wire.offset };
}

/** How a page was cut -> wire PageInfo; no limit is -1. */
export function pageInfoToWire(page: Page<unknown>): PageInfo {
  return { limit: page.limit ?? -1, offset: page.offset, total: page.total };
}

/** The sort and page of any query request -> QueryWindow. */
export function windowFromWire(req: { sort?: WireSort | undefined; page?: WirePage | undefined }): QueryWindow {
  return { sort: sortFromWire(req.sort), page: pageFromWire(req.page) };
}

/** An empty repeated field cannot be told from an absent one on the wire, so it means "no condition". */
function listCondition<T>(values: readonly T[]): readonly T[] | undefined {
  return values.length === 0 ? undefined : values;
}

/** QueryRolloutsRequest -> RolloutQuery. */
export function rolloutQueryFromWire(req: QueryRolloutsRequest): RolloutQuery {
  return {
    statusIn: listCondition(req.statusIn.map((s, i) => rolloutStatus.toDomain(s, `status_in[${i}]`))),
    rolloutIdIn: listCondition(req.rolloutIdIn),
    rolloutIdContains: req.rolloutIdContains,
    logic: filterLogic.toDomain(req.filterLogic, 'filter_logic'),
    ...windowFromWire(req),
  };
}

/** QuerySpansRequest -> SpanQuery. */
export function spanQueryFromWire(req: QuerySpansRequest): SpanQuery {
  return {
    rolloutId: req.rolloutId,
    attemptId: req.attemptId,
    traceId: req.traceId,
    traceIdContains: req.traceIdContains,
    spanId: req.spanId,
    spanIdContains: req.spanIdContains,
    parentId: req.parentId,
    parentIdContains: req.parentIdContains,
    name: req.name,
    nameContains: req.nameContains,
    logic: filterLogic.toDomain(req.filterLogic, 'filter_logic'),
    ...windowFromWire(req),
  };
}

/** QueryResourcesRequest -> ResourcesQuery. */
export function resourcesQueryFromWire(req: QueryResourcesRequest): ResourcesQuery {
  return { resourcesId: req.resourcesId, resourcesIdContains: req.resourcesIdContains, ...windowFromWire(req) };
}

/** QueryWorkersRequest -> WorkerQuery. */
export function workerQueryFromWire(req: QueryWorkersRequest): WorkerQuery {
  return {
    statusIn: listCondition(req.statusIn.map((s, i) => workerStatus.toDomain(s, `status_in[${i}]`))),
    workerIdContains: req.workerIdContains,
    logic: filterLogic.toDomain(req.filterLogic, 'filter_logic'),
    ...windowFromWire(req),
  };
}
