import { status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import type { LightningStoreServiceClient } from '../../gen/lightning/store/v1/store_service';
import { freePort } from '../support/free-port';
import { skipSuite } from '../support/skip';
import { call, ingest } from '../support/client';
import { FERRETDB_POSTGRESQL_URL, FerretDbProcess, ferretDbAvailable } from '../support/ferretdb';
import { healthClient } from '../support/grpc-clients';
import { freshDatabase } from '../support/mongo';
import { ServerProcesses } from '../support/server-processes';
import { wireSpan } from '../support/spans';

/**
 * The database goes away under a running server and comes back: health follows it, calls fail fast with
 * UNAVAILABLE (never hang, never INTERNAL), and the server recovers by itself. Uses a FerretDB process of
 * its own (PostgreSQL handler, over FERRETDB_POSTGRESQL_URL), killed and restarted on the same port: the
 * data lives in PostgreSQL, so it is still there after the restart.
 */

async function healthStatus(address: string): Promise<string> {
  const client = healthClient(address);
  try {
    return await client.check('');
  } finally {
    client.close();
  }
}

async function waitForHealth(address: string, want: string, withinMs: number): Promise<number> {
  const started = Date.now();
  while ((await healthStatus(address)) !== want) {
    if (Date.now() - started > withinMs) throw new Error(`health did not become ${want} within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return Date.now() - started;
}

/** Runs `fn`, expecting it to fail with UNAVAILABLE within `withinMs`; returns how long it took. */
async function expectUnavailable(fn: () => Promise<unknown>, withinMs: number): Promise<number> {
  const started = Date.now();
  const err = await fn().then(
    () => null,
    (e: unknown) => e as ServiceError,
  );
  const took = Date.now() - started;
  expect(err?.code).toBe(status.UNAVAILABLE);
  expect(took).toBeLessThan(withinMs);
  return took;
}

const servers = new ServerProcesses();
let db: FerretDbProcess | null = null;

afterAll(async () => {
  await servers.stopAll('SIGTERM');
  await db?.stop();
});

describe('losing the MongoDB server', () => {
  const available = ferretDbAvailable();
  // Without FerretDB and PostgreSQL the test is skipped with the reason, except in CI, where it fails.
  if (available !== true) return skipSuite(available);

  it('reports NOT_SERVING, answers UNAVAILABLE, and recovers when the database returns', async () => {
    db = new FerretDbProcess(await freePort(), FERRETDB_POSTGRESQL_URL!);
    await db.start();
    const server = await servers.start(['--backend', 'mongo', '--mongo-uri', db.uri, '--mongo-database', freshDatabase('loss')]);
    const client: LightningStoreServiceClient = server.client;
    await waitForHealth(server.address, 'SERVING', 10_000);
    const before = (await call(client, 'enqueueRollout', { rollout: { inputJson: '{"before":true}' } })).rollout!;
    const running = (await call(client, 'startRollout', { rollout: { inputJson: '1' }, workerId: 'w' })).rollout!;

    await db.stop();
    const down = await waitForHealth(server.address, 'NOT_SERVING', 10_000);
    // Every kind of call fails fast with UNAVAILABLE: writes, reads, the queue, and the span stream.
    const { rolloutId, attemptId } = running.attempt!;
    const took = [
      await expectUnavailable(() => call(client, 'enqueueRollout', { rollout: { inputJson: '2' } }), 10_000),
      await expectUnavailable(() => call(client, 'getRollout', { rolloutId: before.rolloutId }), 10_000),
      await expectUnavailable(() => call(client, 'dequeueRollout', { workerId: 'w' }), 10_000),
      await expectUnavailable(() => call(client, 'queryRollouts', {}), 10_000),
      await expectUnavailable(() => call(client, 'getStatistics', {}), 10_000),
      await expectUnavailable(() => ingest(client, [{ spans: [wireSpan(rolloutId, attemptId)] }]), 10_000),
    ];

    await db.start();
    const up = await waitForHealth(server.address, 'SERVING', 15_000);
    process.stdout.write(`connection loss: NOT_SERVING after ${down} ms, UNAVAILABLE in ${Math.min(...took)}-${Math.max(...took)} ms, SERVING ${up} ms after restart\n`);
    // Same process, no restart: the data from before is there and new work goes through.
    expect((await call(client, 'getRollout', { rolloutId: before.rolloutId })).rollout?.rollout?.inputJson).toBe('{"before":true}');
    const claimed = (await call(client, 'dequeueRollout', { workerId: 'w' })).rollout!;
    expect(claimed.rollout!.rolloutId).toBe(before.rolloutId);
    const answer = await ingest(client, [{ spans: [wireSpan(rolloutId, attemptId)] }]);
    expect(answer.accepted).toBe(1);
    expect(server.cli.child.exitCode).toBeNull();
  }, 120_000);
});
