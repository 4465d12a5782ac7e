import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeClock } from '../../src/domain/clock';
import type { NewSpan } from '../../src/domain/records';
import { span as fixtureSpan } from '../conformance/fixtures';
import { LightningStore } from '../../src/store/lightning-store';
import { SqliteBackend } from '../../src/store/sqlite/sqlite-backend';
import type { Store } from '../../src/store/store';

/** Statistics come from counts that triggers keep in each write's transaction (schema v2), not from counting tables. */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ls-sqlite-counts-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const spec = { input: '1', mode: null, resourcesId: null, config: null, metadata: null };
const span = (rolloutId: string, attemptId: string, spanId: string): NewSpan => fixtureSpan({ rolloutId, attemptId }, spanId);

async function fill(store: Store): Promise<void> {
  await store.enqueueRollouts([spec, spec, spec]);
  const [a] = await store.dequeueRollouts(1, 'w1');
  const { rolloutId, attemptId } = a!.attempt!;
  await store.addSpans([span(rolloutId, attemptId, 's1'), span(rolloutId, attemptId, 's2'), span(rolloutId, attemptId, 's1')], { atomic: false });
  await store.updateAttempt(rolloutId, attemptId, { status: 'succeeded' });
  await store.addResources({ main: { kind: 'prompt_template', template: 'x', engine: 'f-string' } });
  await store.updateWorker('w2', null);
}

const withoutUptime = ({ uptimeSeconds: _u, ...rest }: Awaited<ReturnType<Store['statistics']>>) => rest;

describe('SQLite statistics from counts', () => {
  it('match a count of the tables after every kind of write, and survive reopening', async () => {
    const path = join(dir, 'store.db');
    const store = new LightningStore({ backend: new SqliteBackend({ path }), clock: new FakeClock() });
    await fill(store);
    const stats = await store.statistics();
    await store.close();
    const db = new Database(path, { readonly: true });
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    expect(stats).toMatchObject({
      totalRollouts: count('SELECT count(*) AS n FROM rollouts'),
      totalAttempts: count('SELECT count(*) AS n FROM attempts'),
      totalSpans: count('SELECT count(*) AS n FROM spans'),
      totalResources: count('SELECT count(*) AS n FROM resources'),
      totalWorkers: count('SELECT count(*) AS n FROM workers'),
      rolloutsByStatus: { queuing: 2, succeeded: 1, preparing: 0, running: 0, failed: 0, cancelled: 0, requeuing: 0 },
    });
    expect([stats.totalRollouts, stats.totalAttempts, stats.totalSpans, stats.totalResources, stats.totalWorkers]).toEqual([3, 1, 2, 1, 2]);
    db.close();
    const reopened = new LightningStore({ backend: new SqliteBackend({ path }), clock: new FakeClock() });
    expect(withoutUptime(await reopened.statistics())).toEqual(withoutUptime(stats));
    await reopened.close();
  });

  it('fills the counts once from the data when a version 1 database is migrated', async () => {
    const path = join(dir, 'old.db');
    const store = new LightningStore({ backend: new SqliteBackend({ path }), clock: new FakeClock() });
    await fill(store);
    const stats = await store.statistics();
    await store.close();
    // Turn it back into a version 1 database: no counts table, no triggers.
    const db = new Database(path);
    for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]) db.exec(`DROP TRIGGER ${name}`);
    db.exec('DROP TABLE counts');
    db.pragma('user_version = 1');
    db.close();
    const migrated = new LightningStore({ backend: new SqliteBackend({ path }), clock: new FakeClock() });
    expect(withoutUptime(await migrated.statistics())).toEqual(withoutUptime(stats));
    await migrated.enqueueRollouts([spec]);
    expect((await migrated.statistics()).totalRollouts).toBe(stats.totalRollouts + 1);
    await migrated.close();
  });
});
