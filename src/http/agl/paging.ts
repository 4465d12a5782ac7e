import type { FilterLogic, Page, SortOrder } from '../../domain/query';
import type { QueryWindow } from '../../store/store';
import { HttpError } from '../errors';
import type { FieldSource } from './fields';
import { enumField, intField, stringField } from './fields';
import type { JsonOut } from './json-out';

const SORT_ORDERS: readonly SortOrder[] = ['asc', 'desc'];
const FILTER_LOGICS: readonly FilterLogic[] = ['and', 'or'];

/**
 * limit, offset, sort_by and sort_order of a paginated request (reference §10.5): `limit` -1 (the
 * default) means no limit; 0 or below -1 is a 400, and so is a negative offset. A `sort_by` that is not
 * one of the record's declared `fields` is a 400 with the reference's message; the store rejects a
 * declared field it cannot sort by (400 too). `sort_by` absent or null means the store's default order,
 * which for attempts and spans is `defaultSortBy` (sequence_id): `sort_order` desc alone reverses it.
 */
export function windowOf(src: FieldSource, fields: readonly string[], defaultSortBy?: string): QueryWindow {
  const sortBy = stringField(src, 'sort_by');
  if (typeof sortBy === 'string' && !fields.includes(sortBy)) {
    throw new HttpError(400, `Invalid sort_by: ${sortBy}, allowed fields are: ${fields.join(', ')}`);
  }
  const limit = intField(src, 'limit') ?? -1;
  const offset = intField(src, 'offset') ?? 0;
  if (limit === 0 || limit < -1) throw new HttpError(400, 'Limit must be greater than 0 or -1 for no limit');
  if (offset < 0) throw new HttpError(400, 'Offset must be greater than or equal to 0');
  const order = enumField(src, 'sort_order', SORT_ORDERS) ?? 'asc';
  const field = sortBy ?? (order === 'desc' ? defaultSortBy : undefined);
  return {
    page: { limit: limit === -1 ? null : limit, offset },
    ...(typeof field === 'string' ? { sort: { field, order } } : {}),
  };
}

/** filter_logic: "and" (default) or "or". */
export function logicOf(src: FieldSource): FilterLogic {
  return enumField(src, 'filter_logic', FILTER_LOGICS) ?? 'and';
}

/** A page as agent-lightning's PaginatedResult: `{items, limit, offset, total}`, no limit as -1. */
export function pageJson<T>(page: Page<T>, item: (value: T) => JsonOut): JsonOut {
  return { items: page.items.map(item), limit: page.limit ?? -1, offset: page.offset, total: page.total };
}
