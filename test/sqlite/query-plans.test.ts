import { SqliteBackend } from '../../src/store/sqlite/sqlite-backend';
import { compileQuery, countSql, selectSql } from '../../src/store/sqlite/sql-query';
import { attemptQuery, rolloutQuery, spanQuery } from '../../src/store/queries';
import type { Query } from '../../src/domain/query';

/**
 * Every hot query must be answered through an index: a plan line "SCAN rollouts" (or attempts, spans)
 * means SQLite reads the whole table. The statements checked are the ones the backend really runs.
 */
const FULL_SCAN = /^SCAN (rollouts|attempts|spans)\b(?! USING (COVERING )?INDEX)/;

let backend: SqliteBackend;
beforeAll(() => {
  backend = new SqliteBackend({ path: ':memory:' });
});
afterAll(() => backend.close());

function plan(sql: string, params: unknown[]): string[] {
  return backend.explain(sql, ...params);
}

function expectIndexed(lines: string[], index: RegExp): void {
  expect(lines.filter((l) => FULL_SCAN.test(l))).toEqual([]);
  expect(lines.join('\n')).toMatch(index);
}

function pageQuery(table: string, query: Query): string[] {
  const q = compileQuery(query);
  expect(plan(countSql(table, q), q.params).filter((l) => FULL_SCAN.test(l))).toEqual([]);
  return plan(selectSql(table, q), [...q.params, q.limit, q.offset]);
}

describe('SQLite backend: hot paths use indexes', () => {
  const statement = (name: string): string => {
    const sql = backend.statementSql()[name];
    if (sql === undefined) throw new Error(`no statement ${name}`);
    return sql;
  };

  it('dequeue reads the queue head from the queue index', () => {
    expectIndexed(plan(statement('queueHead'), []), /USING (COVERING )?INDEX rollouts_queue/);
    expectIndexed(plan(statement('nextQueuePos'), []), /rollouts_queue/);
  });

  it('the watchdog reads due rollouts from the deadline index', () => {
    expectIndexed(plan(statement('dueRollouts'), [1, 10]), /INDEX rollouts_deadline/);
  });

  it('a rollout and its attempts (latest last) are read by key', () => {
    expectIndexed(plan(statement('selectRollout'), ['ro-1']), /sqlite_autoindex_rollouts_1/);
    expectIndexed(plan(statement('selectAttempts'), ['ro-1']), /INDEX attempts_sequence/);
  });

  it('status filters use the status index', () => {
    const lines = pageQuery('rollouts', rolloutQuery({ statusIn: ['running', 'preparing'] }));
    expectIndexed(lines, /INDEX rollouts_status/);
  });

  it('attempts of a rollout are listed in sequence order from the index', () => {
    expectIndexed(pageQuery('attempts', attemptQuery('ro-1', {})), /INDEX attempts_sequence/);
  });

  it('spans of a rollout, and of one attempt, come in sequence order from an index without sorting', () => {
    const all = pageQuery('spans', spanQuery({ rolloutId: 'ro-1' }, null));
    expectIndexed(all, /INDEX spans_rollout_order/);
    expect(all.join('\n')).not.toMatch(/TEMP B-TREE/);
    const one = pageQuery('spans', spanQuery({ rolloutId: 'ro-1' }, 'at-1'));
    expectIndexed(one, /INDEX spans_attempt_order/);
    expect(one.join('\n')).not.toMatch(/TEMP B-TREE/);
  });

  it('the latest resources come from the latest index', () => {
    const lines = plan(statement('latestResources'), []);
    expect(lines.join('\n')).toMatch(/INDEX resources_latest/);
    expect(lines.join('\n')).not.toMatch(/TEMP B-TREE/);
  });
});
