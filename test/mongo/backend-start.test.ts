import { MongoClient } from 'mongodb';
import { FakeClock } from '../../src/domain/clock';
import { rolloutExists } from '../../src/domain/messages';
import { createRollout } from '../../src/domain/rollout-rules';
import { MongoBackend } from '../../src/store/mongo/mongo-backend';
import { spec } from '../conformance/fixtures';
import { describeEachMongoServer, dropDatabase, freshDatabase } from '../support/mongo';

/**
 * What the MongoDB backend does to a database at start, and rollout id clashes, on every test server:
 * an older database's stale indexes are dropped (an operator's own index stays), and an insert that
 * clashes with an existing rollout id raises ALREADY_EXISTS and leaves nothing behind.
 */
describeEachMongoServer('MongoDB backend at start', (uri) => {
  let database: string;
  let backend: MongoBackend | null = null;
  const clock = new FakeClock();
  const agg = (id: string) => createRollout(spec(), id, clock.now(), null);

  beforeEach(() => {
    database = freshDatabase('start');
  });
  afterEach(async () => {
    await backend?.close();
    backend = null;
    await dropDatabase(uri, database);
  });

  it('drops the indexes of an older release and keeps an operator index', async () => {
    const client = new MongoClient(uri);
    try {
      const db = client.db(database);
      // As an older release left them: unique indexes on fields no document carries.
      await db.collection('rollouts').createIndex({ ns: 1, rolloutarrival: 1 }, { name: 'ns_rollout_id', unique: true });
      await db.collection('spans').createIndex({ ns: 1, rollout_id: 1, attempt_id: 1, spanarrival: 1 }, { name: 'ns_span_key', unique: true });
      await db.collection('workers').createIndex({ ns: 1, workerarrival: 1 }, { name: 'ns_worker_id', unique: true });
      await db.collection('resources').createIndex({ ns: 1, resourcesarrival: 1 }, { name: 'ns_resources_id', unique: true });
      await db.collection('rollouts').createIndex({ ns: 1, end_time: 1 }, { name: 'operator_end_time' });

      backend = new MongoBackend({ uri, database, clock });
      await backend.insertRollouts([agg('ro-1'), agg('ro-2')]);
      expect([...(await backend.getRollouts(['ro-1', 'ro-2'])).keys()].sort()).toEqual(['ro-1', 'ro-2']);

      const names = async (c: string) => ((await db.collection(c).listIndexes().toArray()) as { name: string }[]).map((i) => i.name).sort();
      expect(await names('rollouts')).toEqual(['_id_', 'ns_arrival', 'ns_attempt_ids', 'ns_deadline', 'ns_queue', 'ns_status', 'operator_end_time']);
      expect(await names('spans')).toEqual(['_id_', 'ns_attempt_order', 'ns_rollout_order']);
      expect(await names('workers')).toEqual(['_id_', 'ns_status']);
      expect(await names('resources')).toEqual(['_id_', 'ns_latest']);
    } finally {
      await client.close();
    }
  });

  it('refuses a batch with a clashing rollout id with rolloutExists and stores none of it', async () => {
    backend = new MongoBackend({ uri, database, clock });
    await backend.insertRollouts([agg('ro-old')]);
    const before = await backend.counts();
    const err = await backend.insertRollouts([agg('ro-new-1'), agg('ro-new-2'), agg('ro-old'), agg('ro-new-3')]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: rolloutExists('ro-old').code, message: rolloutExists('ro-old').message });
    expect([...(await backend.getRollouts(['ro-old', 'ro-new-1', 'ro-new-2', 'ro-new-3'])).keys()]).toEqual(['ro-old']);
    expect(await backend.counts()).toEqual(before);
    // The queue holds only the old rollout.
    const claimed = await backend.claimNext((a) => ({ next: null, enqueue: false, workers: [], result: a.rollout.rolloutId }));
    expect(claimed).toBe('ro-old');
  });
});
