import type { Condition, Query } from '../../domain/query';

/** A query compiled to SQL fragments with positional parameters. */
export interface CompiledQuery {
  readonly where: string;
  readonly params: unknown[];
  readonly orderBy: string;
  readonly limit: number;
  readonly offset: number;
}

/** Record property (camelCase) to column (snake_case); the domain only names scalar fields. */
export function column(property: string): string {
  if (!/^[a-z][a-zA-Z]*$/.test(property)) throw new Error(`not a column property: ${property}`);
  return property.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

function condition(c: Condition, params: unknown[]): string {
  const col = column(c.field);
  switch (c.op) {
    case 'eq':
      params.push(c.value);
      return `${col} = ?`;
    case 'in':
      if (c.values.length === 0) return '0';
      params.push(...c.values);
      return `${col} IN (${c.values.map(() => '?').join(', ')})`;
    case 'contains':
      // instr() is a case-sensitive substring test and is false (NULL) for a NULL column.
      params.push(c.value);
      return `instr(${col}, ?) > 0`;
  }
}

/**
 * Compiles the domain's filter, sort and page. SQLite already orders NULL before every value ascending
 * and after descending, and compares text by bytes (UTF-8 = code point order), as the domain requires;
 * `seq` (insertion order) breaks ties.
 */
export function compileQuery(q: Query): CompiledQuery {
  const params: unknown[] = [];
  const parts = q.filter.must.map((c) => condition(c, params));
  if (q.filter.pool.length > 0) {
    const joined = q.filter.pool.map((c) => condition(c, params)).join(q.filter.logic === 'and' ? ' AND ' : ' OR ');
    parts.push(`(${joined})`);
  }
  const keys = q.sort.map((k) => `${column(k.field)} ${k.order === 'asc' ? 'ASC' : 'DESC'}`);
  return {
    where: parts.length === 0 ? '1' : parts.join(' AND '),
    params,
    orderBy: [...keys, 'seq ASC'].join(', '),
    limit: q.page.limit ?? -1,
    offset: q.page.offset,
  };
}

/** The page query `page()` runs for a compiled query on `table`; parameters: q.params, limit, offset. */
export function selectSql(table: string, q: CompiledQuery): string {
  return `SELECT doc FROM ${table} WHERE ${q.where} ORDER BY ${q.orderBy} LIMIT ? OFFSET ?`;
}

/** The total-count query for a compiled query on `table`; parameters: q.params. */
export function countSql(table: string, q: CompiledQuery): string {
  return `SELECT count(*) AS total FROM ${table} WHERE ${q.where}`;
}
