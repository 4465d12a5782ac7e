import type { CommandStartedEvent } from 'mongodb';
import { MongoClient } from 'mongodb';
import { FakeClock } from '../src/domain/clock';
import { createRollout } from '../src/domain/rollout-rules';
import { LightningStore } from '../src/store/lightning-store';
import { MongoBackend } from '../src/store/mongo/mongo-backend';
import { rolloutSpans, runRollouts, taskSpec } from './workload';

/**
 * The MongoDB backend against each configured test server (MONGODB_URI, FERRETDB_URI): database commands
 * per rollout lifecycle, counted with the driver's command monitoring; the cost of one watchdog pass over
 * 1,000 and 10,000 running rollouts; and throughput of concurrent runners. Prints figures; asserts nothing.
 */

const LIFECYCLES = Number(process.env.BENCH_MONGO_LIFECYCLES ?? 50);
const ROLLOUTS = Number(process.env.BENCH_MONGO_ROLLOUTS ?? 1000);
const RUNNERS = Number(process.env.BENCH_RUNNERS ?? 32);
const SPANS = Number(process.env.BENCH_MONGO_SPANS ?? 2);
const TICK_SIZES = [1000, 10_000];

/** Connection upkeep, not work: left out of the counts. */
const UPKEEP = new Set(['hello', 'isMaster', 'ismaster', 'ping', 'endSessions', 'buildInfo', 'listCollections', 'listIndexes', 'createIndexes']);

/** A store over a fresh database whose commands are counted by name. */
function countedStore(uri: string, database: string, clock?: FakeClock) {
  const backend = new MongoBackend({ uri, database, clock, driver: { monitorCommands: true } });
  const counted = new Map<string, number>();
  backend.client.on('commandStarted', (e: CommandStartedEvent) => {
    if (!UPKEEP.has(e.commandName)) counted.set(e.commandName, (counted.get(e.commandName) ?? 0) + 1);
  });
  const take = (): { total: number; byName: string } => {
    const total = [...counted.values()].reduce((a, b) => a + b, 0);
    const byName = [...counted].map(([k, v]) => `${k}:${v}`).join(',');
    counted.clear();
    return { total, byName };
  };
  return { store: new LightningStore({ backend, clock }), backend, take };
}

/** Commands per phase of one lifecycle (dequeue, one span batch, finish), averaged over LIFECYCLES. */
async function commandsPerLifecycle(label: string, uri: string, database: string): Promise<void> {
  const { store, take } = countedStore(uri, database);
  try {
    await store.enqueueRollouts(Array.from({ length: LIFECYCLES }, (_, i) => taskSpec(i)));
    await store.dequeueRollouts(1, 'warm-up'); // connects, detects, migrates indexes
    take();
    const phases = { dequeue: 0, spans: 0, finish: 0 };
    let names = '';
    for (let i = 1; i < LIFECYCLES; i++) {
      const [claimed] = await store.dequeueRollouts(1, 'w');
      phases.dequeue += take().total;
      const { rolloutId, attemptId } = claimed!.attempt!;
      await store.addSpans(rolloutSpans(rolloutId, attemptId, SPANS), { atomic: false });
      phases.spans += take().total;
      await store.updateAttempt(rolloutId, attemptId, { status: 'succeeded' });
      const finish = take();
      phases.finish += finish.total;
      if (i === 1) names = finish.byName;
    }
    const n = LIFECYCLES - 1;
    const per = (x: number) => (x / n).toFixed(1);
    console.log(
      `[mongo] server=${label} commands_per_lifecycle=${per(phases.dequeue + phases.spans + phases.finish)} ` +
        `(dequeue ${per(phases.dequeue)}, ${SPANS} spans ${per(phases.spans)}, finish ${per(phases.finish)}; finish commands ${names})`,
    );
  } finally {
    await store.close();
  }
}

/** One watchdog pass over `size` running rollouts: none due, then 100 due. */
async function watchdogTick(label: string, uri: string, database: string, size: number): Promise<void> {
  const clock = new FakeClock();
  const { store, backend, take } = countedStore(uri, database, clock);
  try {
    const config = { timeoutSeconds: 3600, unresponsiveSeconds: null, maxAttempts: 1, retryCondition: [] };
    for (let i = 0; i < size; i += 1000) {
      const aggs = Array.from({ length: Math.min(1000, size - i) }, (_, j) => {
        const n = i + j;
        // The first 100 started an hour earlier: they are due when the pass runs.
        const at = clock.now() - (n < 100 ? 7200 : 0);
        return createRollout({ ...taskSpec(n), config }, `ro-bench-${n}`, at, { attemptId: `at-bench-${n}`, workerId: null });
      });
      await backend.insertRollouts(aggs);
    }
    take();
    const t0 = performance.now();
    await store.runWatchdog();
    const t1 = performance.now();
    const due = take();
    clock.advance(1);
    const t2 = performance.now();
    await store.runWatchdog();
    const t3 = performance.now();
    const idle = take();
    console.log(
      `[mongo] server=${label} watchdog rollouts=${size} ` +
        `pass_with_100_due=${(t1 - t0).toFixed(0)} ms (${due.total} commands) ` +
        `pass_with_none_due=${(t3 - t2).toFixed(1)} ms (${idle.total} commands: ${idle.byName})`,
    );
  } finally {
    await store.close();
  }
}

/** Concurrent runners through one store: rollouts per second. */
async function throughput(label: string, uri: string, database: string): Promise<void> {
  const store = new LightningStore({ backend: new MongoBackend({ uri, database }) });
  try {
    await store.enqueueRollouts(Array.from({ length: ROLLOUTS }, (_, i) => taskSpec(i)));
    const t0 = performance.now();
    const runner = (worker: string): Promise<number> => runRollouts(store, worker, SPANS);
    const counts = await Promise.all(Array.from({ length: RUNNERS }, (_, i) => runner(`worker-${i}`)));
    const seconds = (performance.now() - t0) / 1000;
    const done = counts.reduce((a, b) => a + b, 0);
    console.log(`[mongo] server=${label} rollouts=${done} runners=${RUNNERS} spans_per_rollout=${SPANS} complete=${(done / seconds).toFixed(0)} rollouts/s`);
  } finally {
    await store.close();
  }
}

async function dropping(uri: string, run: (database: string) => Promise<void>): Promise<void> {
  const database = `bench_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  try {
    await run(database);
  } finally {
    const client = new MongoClient(uri);
    await client.db(database).dropDatabase();
    await client.close();
  }
}

/** Runs the Mongo figures on every server whose variable is set. */
export async function mongoBench(): Promise<void> {
  const servers = [
    ['mongo-java-server', process.env.MONGODB_URI],
    ['ferretdb-postgresql', process.env.FERRETDB_URI],
  ] as const;
  for (const [label, uri] of servers) {
    if (!uri) {
      console.log(`[mongo] server=${label} skipped: its URI variable is not set`);
      continue;
    }
    await dropping(uri, (db) => commandsPerLifecycle(label, uri, db));
    for (const size of TICK_SIZES) await dropping(uri, (db) => watchdogTick(label, uri, db, size));
    await dropping(uri, (db) => throughput(label, uri, db));
  }
}

if (require.main === module) {
  mongoBench().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
