import type { Collection, Db } from 'mongodb';
import { MongoClient } from 'mongodb';
import { FakeClock } from '../../src/domain/clock';
import { detectCapabilities } from '../../src/store/mongo/capabilities';
import type { ClaimDoc, Fields } from '../../src/store/mongo/versioned';
import { CLAIM_EXPIRY_SECONDS, VersionedRecords } from '../../src/store/mongo/versioned';
import { describeEachMongoServer, freshDatabase } from '../support/mongo';

/**
 * The compare-and-set under stalls and races, on every test server: a writer that stalls (GC pause,
 * blocked event loop, skewed clock) never overwrites a newer version, with or without the claim in front,
 * and of many concurrent writers of one version exactly one wins with the capabilities detected there.
 * Time is a FakeClock: the stall is the clock moving past the claim expiry, not a sleep.
 */
describeEachMongoServer('commits when a writer stalls', (uri, server) => {
  let client: MongoClient;
  let db: Db;
  let clock: FakeClock;
  let records: Collection;
  let claims: Collection<ClaimDoc>;

  beforeAll(() => {
    client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
    db = client.db(freshDatabase('stall'));
  });
  afterAll(async () => {
    await db.dropDatabase();
    await client.close();
  });
  beforeEach(() => {
    clock = new FakeClock();
    records = db.collection(`records_${Math.random().toString(36).slice(2)}`);
    claims = db.collection<ClaimDoc>(`claims_${Math.random().toString(36).slice(2)}`);
  });

  const open = (claimFirst: boolean, idEqualityOnly = false) =>
    new VersionedRecords<Fields>(records, claims, 'ns', 'thing', 'thing_id', { claimFirst, idEqualityOnly, clock });

  it('detects what the server does', async () => {
    const caps = await detectCapabilities(db);
    expect(caps.atomicConditionalUpdate).toBe(server.name !== 'ferretdb');
    expect(caps.idEqualityOnly).toBe(server.name === 'ferretdb');
  });

  it('a writer stalled past the claim expiry cannot overwrite the versions committed meanwhile', async () => {
    const log = open(true);
    expect(await log.create('k', { value: 'created' })).toBe(true);
    const fromA = (await log.load('k'))!;
    const claimA = await log.claim('k', fromA.version);
    expect(claimA).not.toBeNull();

    // While A's claim is fresh, B is kept out and the record stays at A's version.
    const fromB = (await log.load('k'))!;
    expect(await log.commit('k', fromB, { value: 'B' })).toBe(false);
    expect((await log.load('k'))?.version).toBe(fromA.version);

    // A stalls past the expiry: B removes the claim, commits, and C commits on top.
    clock.advance(CLAIM_EXPIRY_SECONDS + 1);
    expect(await log.commit('k', fromB, { value: 'B' })).toBe(false); // removed the expired claim
    expect(await log.commit('k', fromB, { value: 'B' })).toBe(true);
    const fromC = (await log.load('k'))!;
    expect(await log.commit('k', fromC, { value: 'C' })).toBe(true);

    // A wakes up and writes under the claim it believes it holds: refused, nothing lost.
    expect(await log.commitClaimed(claimA!, 'k', fromA, { value: 'A' })).toBe(false);
    const now = (await log.load('k'))!;
    expect(now.version).toBe(fromA.version + 2);
    expect(now.fields['value']).toBe('C');
    expect(await claims.countDocuments({})).toBe(0);
  });

  it("a claim an older release left (wall-clock milliseconds in `at`) counts as expired", async () => {
    const log = open(true);
    expect(await log.create('k', { value: 'created' })).toBe(true);
    const from = (await log.load('k'))!;
    // The step's claim id as VersionedRecords names it: namespace, kind, key, target version.
    await claims.insertOne({ _id: JSON.stringify(['ns', 'thing', 'k', from.version + 1]), at: 1_764_600_000_000 } as unknown as ClaimDoc);
    expect(await log.commit('k', from, { value: 'new' })).toBe(false); // removed the old claim
    expect(await log.commit('k', from, { value: 'new' })).toBe(true);
    expect((await log.load('k'))?.fields['value']).toBe('new');
  });

  it('without the claim, a writer that read an old version is refused', async () => {
    const log = open(false);
    expect(await log.create('k', { value: 'created' })).toBe(true);
    const stale = (await log.load('k'))!;
    expect(await log.commit('k', stale, { value: 'B' })).toBe(true);
    clock.advance(3600);
    expect(await log.commit('k', stale, { value: 'A' })).toBe(false);
    expect((await log.load('k'))?.fields['value']).toBe('B');
  });

  it('of twenty concurrent writers of one version exactly one wins, with the detected capabilities', async () => {
    const caps = await detectCapabilities(db);
    const log = open(!caps.atomicConditionalUpdate, caps.idEqualityOnly);
    expect(await log.create('k', { value: 'created' })).toBe(true);
    const from = (await log.load('k'))!;
    const wins = await Promise.all(Array.from({ length: 20 }, (_, i) => log.commit('k', from, { value: `w${i}` })));
    expect(wins.filter(Boolean)).toHaveLength(1);
    const now = (await log.load('k'))!;
    expect(now.version).toBe(from.version + 1);
    expect(now.fields['value']).toBe(`w${wins.indexOf(true)}`);
  });
});
