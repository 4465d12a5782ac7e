import type { Condition, Query } from '../../domain/query';

/** Record property (camelCase) to document field (snake_case); the domain only names scalar fields. */
export function field(property: string): string {
  if (!/^[a-z][a-zA-Z]*$/.test(property)) throw new Error(`not a field property: ${property}`);
  return property.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function condition(c: Condition): Record<string, unknown> {
  const name = field(c.field);
  switch (c.op) {
    case 'eq':
      return { [name]: c.value };
    case 'in':
      return { [name]: { $in: [...c.values] } };
    case 'contains':
      // Case-sensitive substring; a null or missing field never matches a regex.
      return { [name]: { $regex: escapeRegex(c.value) } };
  }
}

/** A domain query as a MongoDB filter (scoped to `ns`), sort and window. */
export interface CompiledQuery {
  readonly filter: Record<string, unknown>;
  readonly sort: [string, 1 | -1][];
  readonly skip: number;
  readonly limit: number | null;
}

/**
 * Compiles the domain's filter, sort and page. MongoDB orders null (and missing) before every value
 * ascending and after descending, and compares strings by UTF-8 bytes without a collation, as the domain
 * requires; `arrival` (insertion order) breaks ties.
 */
export function compileQuery(ns: string, q: Query): CompiledQuery {
  const and: Record<string, unknown>[] = [{ ns }, ...q.filter.must.map(condition)];
  if (q.filter.pool.length > 0) {
    const pool = q.filter.pool.map(condition);
    and.push(q.filter.logic === 'and' ? { $and: pool } : { $or: pool });
  }
  return {
    filter: { $and: and },
    sort: [...q.sort.map((k): [string, 1 | -1] => [field(k.field), k.order === 'asc' ? 1 : -1]), ['arrival', 1]],
    skip: q.page.offset,
    limit: q.page.limit,
  };
}
