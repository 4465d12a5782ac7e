import type { Query } from '../../src/domain/query';
import { runQuery } from '../../src/domain/query';

interface Row {
  readonly id: string;
  readonly group: string;
  readonly n: number | null;
}

const rows: Row[] = [
  { id: 'a', group: 'x', n: 2 },
  { id: 'b', group: 'y', n: null },
  { id: 'c', group: 'x', n: 1 },
  { id: 'd', group: 'x', n: 2 },
];

const query = (over: Partial<Query>): Query => ({
  filter: { must: [], pool: [], logic: 'and' },
  sort: [],
  page: { limit: null, offset: 0 },
  ...over,
});

describe('runQuery (filter, sort and page in memory)', () => {
  it('keeps insertion order without sort keys, and on full ties', () => {
    expect(runQuery(rows, query({})).items.map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
    const byN = runQuery(rows, query({ sort: [{ field: 'n', order: 'desc' }] }));
    expect(byN.items.map((r) => r.id)).toEqual(['a', 'd', 'c', 'b']);
  });

  it('filters before paging and counts every match in total', () => {
    const page = runQuery(rows, query({ filter: { must: [{ field: 'group', op: 'eq', value: 'x' }], pool: [], logic: 'and' }, page: { limit: 1, offset: 1 } }));
    expect(page).toEqual({ items: [rows[2]], limit: 1, offset: 1, total: 3 });
  });

  it('reads conditions and sort keys through the view', () => {
    const wrapped = rows.map((row) => ({ row }));
    const page = runQuery(wrapped, query({ filter: { must: [], pool: [{ field: 'id', op: 'in', values: ['b', 'c'] }], logic: 'or' } }), (w) => w.row);
    expect(page.items.map((w) => w.row.id)).toEqual(['b', 'c']);
  });
});
