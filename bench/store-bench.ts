import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LightningStore } from '../src/store/lightning-store';
import { MemoryBackend } from '../src/store/memory/memory-backend';
import { SqliteBackend } from '../src/store/sqlite/sqlite-backend';
import type { Store } from '../src/store/store';
import { mongoBench } from './mongo-bench';
import { runRollouts, taskSpec } from './workload';

/**
 * In-process throughput of the store engine on each backend, without the network: enqueue, then many
 * concurrent runners that dequeue, send their spans in one batch and report success. Prints figures;
 * asserts nothing.
 */

const ROLLOUTS = Number(process.env.BENCH_ROLLOUTS ?? 5000);
const RUNNERS = Number(process.env.BENCH_RUNNERS ?? 32);
const SPANS = Number(process.env.BENCH_SPANS ?? 14);

const runner = (store: Store, worker: string): Promise<number> => runRollouts(store, worker, SPANS);

async function measure(name: string, store: Store): Promise<void> {
  const t0 = performance.now();
  for (let i = 0; i < ROLLOUTS; i += 100) {
    await store.enqueueRollouts(Array.from({ length: Math.min(100, ROLLOUTS - i) }, (_, j) => taskSpec(i + j)));
  }
  const t1 = performance.now();
  const counts = await Promise.all(Array.from({ length: RUNNERS }, (_, i) => runner(store, `worker-${i}`)));
  const t2 = performance.now();
  const done = counts.reduce((a, b) => a + b, 0);
  const probe = await store.queryRollouts({ statusIn: ['succeeded'], page: { limit: 1, offset: 0 } });
  const t3 = performance.now();
  const rollout = probe.items[0]?.rollout.rolloutId ?? '';
  for (let i = 0; i < 200; i++) await store.querySpans({ rolloutId: rollout, attemptId: 'latest' });
  const t4 = performance.now();
  const rss = process.memoryUsage().rss / 2 ** 20;
  console.log(
    `[store] backend=${name} rollouts=${done} runners=${RUNNERS} spans_per_rollout=${SPANS} ` +
      `enqueue=${Math.round((ROLLOUTS / (t1 - t0)) * 1000)}/s ` +
      `complete=${Math.round((done / (t2 - t1)) * 1000)} rollouts/s (${Math.round(((done * SPANS) / (t2 - t1)) * 1000)} spans/s) ` +
      `query_spans=${((t4 - t3) / 200).toFixed(2)} ms rss=${rss.toFixed(0)} MiB`,
  );
}

/** Runs the store benchmark on memory and SQLite, then the MongoDB figures (mongo-bench.ts) on each test server set. */
export async function storeBench(): Promise<void> {
  await measure('memory', new LightningStore({ backend: new MemoryBackend() }));
  const dir = mkdtempSync(join(tmpdir(), 'ls-bench-'));
  try {
    const store = new LightningStore({ backend: new SqliteBackend({ path: join(dir, 'bench.db') }) });
    await measure('sqlite', store);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await mongoBench();
}
