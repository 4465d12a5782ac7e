import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AttemptStatus, RolloutStatus } from '../../gen/lightning/store/v1/records';
import type { LightningStoreServiceClient } from '../../gen/lightning/store/v1/store_service';
import { call, ingest } from '../support/client';
import { ServerProcesses } from '../support/server-processes';
import { wireSpan } from '../support/spans';

/**
 * Two server processes on one SQLite file (the documented choice for a second process: shared
 * operation). Runners on both drain one queue: each rollout is claimed once, each attempt created once,
 * and both watchdogs together apply a timeout once.
 */

let dir: string;
const servers = new ServerProcesses();
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ls-shared-'));
});
afterEach(async () => {
  await servers.stopAll('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

const start = async (dbPath: string) => (await servers.start(['--db', dbPath, '--watchdog-interval-ms', '50'])).client;

it('two servers share one database file correctly', async () => {
  const dbPath = path.join(dir, 'store.db');
  const [a, b] = [await start(dbPath), await start(dbPath)];
  const total = 300;
  const ids = (await call(a, 'enqueueManyRollouts', { rollouts: Array.from({ length: total }, (_, i) => ({ inputJson: String(i) })) })).rollouts.map(
    (r) => r.rolloutId,
  );

  const claims: string[] = [];
  const runner = async (client: LightningStoreServiceClient, worker: string): Promise<void> => {
    for (;;) {
      const claimed = (await call(client, 'dequeueRollout', { workerId: worker })).rollout;
      if (!claimed) return;
      const { rolloutId, attemptId } = claimed.attempt!;
      claims.push(rolloutId);
      const answer = await ingest(client, [{ spans: [wireSpan(rolloutId, attemptId), wireSpan(rolloutId, attemptId)] }]);
      expect(answer.accepted).toBe(2);
      await call(client, 'updateAttempt', { rolloutId, attemptId, status: AttemptStatus.ATTEMPT_STATUS_SUCCEEDED });
    }
  };
  await Promise.all(Array.from({ length: 16 }, (_, i) => runner(i % 2 === 0 ? a : b, `worker-${i}`)));

  expect(claims.length).toBe(total);
  expect(new Set(claims).size).toBe(total);
  const done = await call(b, 'queryRollouts', { statusIn: [RolloutStatus.ROLLOUT_STATUS_SUCCEEDED] });
  expect(done.page?.total).toBe(total);
  for (const r of done.rollouts) expect(r.attempt?.sequenceId).toBe(1);
  const stats = await call(a, 'getStatistics');
  expect(stats).toMatchObject({ totalRollouts: total, totalAttempts: total, totalSpans: 2 * total });
  expect(new Set(ids)).toEqual(new Set(claims));

  // One timeout, two watchdogs: the verdict lands once (one attempt, failed rollout, no retry created).
  const held = (await call(a, 'startRollout', { rollout: { config: { timeoutSeconds: 0.2 } }, workerId: 'sleepy' })).rollout!;
  await new Promise((r) => setTimeout(r, 800));
  const after = (await call(b, 'getRollout', { rolloutId: held.rollout!.rolloutId })).rollout!;
  expect(after).toMatchObject({ rollout: { status: RolloutStatus.ROLLOUT_STATUS_FAILED }, attempt: { status: AttemptStatus.ATTEMPT_STATUS_TIMEOUT } });
  expect((await call(a, 'queryAttempts', { rolloutId: held.rollout!.rolloutId })).attempts).toHaveLength(1);
}, 60_000);
