import { FakeClock } from '../../src/domain/clock';
import { LightningStore } from '../../src/store/lightning-store';
import { MongoBackend } from '../../src/store/mongo/mongo-backend';
import { WATCHDOG_LEASE_SECONDS } from '../../src/store/mongo/watchdog-lease';
import { policy, spec } from '../conformance/fixtures';
import { describeEachMongoServer, dropDatabase, freshDatabase } from '../support/mongo';

/**
 * Three replicas on one database: the watchdog lease lets one of them run each pass, and another takes
 * over once the holder has gone a lease length without a pass. Time is a shared FakeClock.
 */
describeEachMongoServer('watchdog lease', (uri) => {
  const database = freshDatabase('lease');
  const clock = new FakeClock();
  const replicas = [0, 1, 2].map(() => new LightningStore({ backend: new MongoBackend({ uri, database, clock }), clock }));
  const [a, b, c] = replicas as [LightningStore, LightningStore, LightningStore];

  afterAll(async () => {
    for (const r of replicas) await r.close();
    await dropDatabase(uri, database);
  });

  it('one replica runs each pass; another takes over when the holder stops', async () => {
    const timed = spec({ config: policy({ timeoutSeconds: 5 }) });
    await a.startRollout(timed, 'w1');
    expect(await a.runWatchdog()).toBe(0); // a takes the lease; nothing is due yet
    clock.advance(6);
    // Due now, but the lease is a's: the others skip the pass, a applies the verdict.
    expect(await b.runWatchdog()).toBe(0);
    expect(await c.runWatchdog()).toBe(0);
    expect((await a.statistics()).rolloutsByStatus['failed']).toBe(0);
    expect(await a.runWatchdog()).toBe(1);

    // a stops running passes; within the lease nobody else does, after it b takes over.
    await b.startRollout(timed, 'w2');
    clock.advance(WATCHDOG_LEASE_SECONDS - 1);
    expect(await b.runWatchdog()).toBe(0);
    clock.advance(2);
    expect(await b.runWatchdog()).toBe(1);
    expect(await a.runWatchdog()).toBe(0);
    expect((await c.statistics()).rolloutsByStatus['failed']).toBe(2);
  });
});
