import type { Collection, Db, Document } from 'mongodb';
import { MongoClient, ObjectId } from 'mongodb';
import type { RolloutChange, WorkerChange } from '../../domain/changes';
import type { Clock } from '../../domain/clock';
import { systemClock } from '../../domain/clock';
import { resourcesExist } from '../../domain/messages';
import type { Page, Query } from '../../domain/query';
import type { Attempt, ResourcesUpdate, RolloutAggregate, Span, Worker } from '../../domain/records';
import type { SequenceReservation } from '../../domain/sequence-rules';
import type { Backend, BackendCapabilities, BackendCounts, RolloutRule, SpanGroup, SpanGroupResult } from '../backend';
import { queryAttempts } from './attempts-query';
import type { MongoCapabilities } from './capabilities';
import { detectCapabilities } from './capabilities';
import { countRecords } from './counts';
import type { RolloutFields } from './documents';
import { parseDoc, resourcesFields, workerFields } from './documents';
import { guard } from './errors';
import { ensureIndexes } from './indexes';
import { compileQuery } from './mongo-query';
import { MongoRollouts } from './rollouts';
import type { ClaimDoc, Fields } from './versioned';
import { VersionedRecords } from './versioned';
import type { LeaseDoc } from './watchdog-lease';
import { WatchdogLease } from './watchdog-lease';

/** Defaults of the MongoDB backend's names. */
export const MONGO_DEFAULTS = { database: 'lightning_store', namespace: 'default' } as const;

/** How the MongoDB backend connects. */
export interface MongoOptions {
  /** Connection string, e.g. mongodb://127.0.0.1:27017 or a replica set URI. */
  readonly uri: string;
  /** Database name; default "lightning_store". */
  readonly database?: string;
  /** Namespace (partition) of this store within the database; default "default". Stable across restarts. */
  readonly namespace?: string;
  /** Time source of queue order, claim expiry and the watchdog lease; default the system clock. */
  readonly clock?: Clock;
  /** How long an operation waits for a reachable server, in ms; default 3000. */
  readonly serverSelectionTimeoutMs?: number;
  /**
   * Overrides what detection at connect (`buildInfo`, see MongoCapabilities) found, flag by flag; e.g.
   * `{ atomicConditionalUpdate: false }` puts the claim in front of every commit on any server.
   */
  readonly capabilities?: Partial<MongoCapabilities>;
  /** Extra driver options (tests count commands with `monitorCommands`); default none. */
  readonly driver?: { readonly monitorCommands?: boolean };
}

type RecordCollection = 'rollouts' | 'spans' | 'resources' | 'workers';

/** Milliseconds between removals of claims that stopped writers left behind. */
const CLEANUP_INTERVAL_MS = 60_000;

/** The parts that depend on what the server can do, made once it has been asked. */
interface Parts {
  readonly capabilities: MongoCapabilities;
  readonly rolloutRecords: VersionedRecords<RolloutFields>;
  readonly workerRecords: VersionedRecords<Fields>;
  readonly resourcesRecords: VersionedRecords<Fields>;
  readonly rollouts: MongoRollouts;
}

/**
 * MongoDB (or a wire-compatible server such as FerretDB), shared by any number of stateless servers.
 * No multi-document transactions: a rollout and its attempts live in one document, and every change to a
 * rollout, worker or resources snapshot is one conditional update on its version (VersionedRecords),
 * with a claim in front where the server needs it. Queue order comes from arrival times, not from a
 * shared counter. Retryable writes stay on (the driver's default), so on a replica set a commit whose
 * answer was lost in a failover is retried by the driver and applied once.
 */
export class MongoBackend implements Backend {
  readonly name = 'mongo';
  /** What this backend offers (see BackendCapabilities). */
  static readonly capabilities: BackendCapabilities = { sharedStorage: true, codePointOrder: true };
  readonly capabilities = MongoBackend.capabilities;
  /** The driver client (tests subscribe to its command events). */
  readonly client: MongoClient;
  private readonly db: Db;
  private readonly ns: string;
  private readonly clock: Clock;
  private ready: Promise<Parts> | null = null;
  private readonly lease: WatchdogLease;
  private readonly cleaner: NodeJS.Timeout;
  private cleaning: Promise<void> | null = null;

  constructor(private readonly options: MongoOptions) {
    this.client = new MongoClient(options.uri, {
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 3000,
      ignoreUndefined: true,
      retryWrites: true,
      monitorCommands: options.driver?.monitorCommands ?? false,
    });
    this.db = this.client.db(options.database ?? MONGO_DEFAULTS.database);
    this.ns = options.namespace ?? MONGO_DEFAULTS.namespace;
    this.clock = options.clock ?? systemClock;
    this.lease = new WatchdogLease(this.db.collection<LeaseDoc>('leases'), JSON.stringify([this.ns, 'watchdog']), new ObjectId().toHexString());
    this.cleaner = setInterval(() => void this.cleanUp(), CLEANUP_INTERVAL_MS);
    this.cleaner.unref();
  }

  private col<T extends Document = Document>(name: RecordCollection): Collection<T> {
    return this.db.collection<T>(name);
  }

  /** What the server can do (detected at connect); rejects with UNAVAILABLE while it cannot be reached. */
  serverCapabilities(): Promise<MongoCapabilities> {
    return this.parts().then((p) => p.capabilities);
  }

  /**
   * Asks the server what it can do, migrates the indexes and builds the parts, once per backend; a
   * failed attempt (database down) is retried by the next call.
   */
  private parts(): Promise<Parts> {
    this.ready ??= guard(async () => {
      const capabilities = await detectCapabilities(this.db, this.options.capabilities);
      await ensureIndexes(this.db);
      return this.build(capabilities);
    }).catch((err: unknown) => {
      this.ready = null;
      throw err;
    });
    return this.ready;
  }

  private build(capabilities: MongoCapabilities): Parts {
    const claims = this.db.collection<ClaimDoc>('claims');
    const versioned = { claimFirst: !capabilities.atomicConditionalUpdate, idEqualityOnly: capabilities.idEqualityOnly, clock: this.clock };
    const rolloutRecords = new VersionedRecords<RolloutFields>(this.col('rollouts'), claims, this.ns, 'rollout', 'rollout_id', versioned);
    // Worker records are telemetry derived from rollout changes; their updates skip the claim (two
    // commands fewer per change where it applies). On FerretDB two concurrent updates of one worker may
    // then both land; on MongoDB the conditional update refuses the second.
    const workerRecords = new VersionedRecords<Fields>(this.col('workers'), claims, this.ns, 'worker', 'worker_id', { ...versioned, claimFirst: false });
    const resourcesRecords = new VersionedRecords<Fields>(this.col('resources'), claims, this.ns, 'resources', 'resources_id', versioned);
    const rollouts = new MongoRollouts(this.col('rollouts'), this.col('spans'), this.db.collection('span_keys'), rolloutRecords, this.ns, this.clock, capabilities);
    return { capabilities, rolloutRecords, workerRecords, resourcesRecords, rollouts };
  }

  /** Runs `fn` with the parts, mapping connection failures to UNAVAILABLE. */
  private async run<T>(fn: (p: Parts) => Promise<T>): Promise<T> {
    const parts = await this.parts();
    return guard(() => fn(parts));
  }

  private cleanUp(): Promise<void> {
    this.cleaning ??= this.run((p) => p.rolloutRecords.removeExpiredClaims())
      .catch(() => undefined)
      .finally(() => {
        this.cleaning = null;
      });
    return this.cleaning;
  }

  /** Applies worker changes one by one, each as its own commit. */
  private async applyWorkers(p: Parts, changes: readonly WorkerChange[]): Promise<Worker[]> {
    const out: Worker[] = [];
    for (const c of changes) {
      out.push(await upsert(p.workerRecords, c.workerId, (prev) => c.apply(prev), workerFields));
    }
    return out;
  }

  insertRollouts(aggs: readonly RolloutAggregate[]): Promise<void> {
    return this.run((p) => p.rollouts.insert(aggs));
  }

  getRollouts(ids: readonly string[]): Promise<Map<string, RolloutAggregate>> {
    return this.run(async (p) => {
      const states = await p.rolloutRecords.loadMany([...new Set(ids)]);
      return new Map([...states].map(([key, state]) => [key, parseDoc<RolloutAggregate>(state.fields)]));
    });
  }

  changeRollout<R>(rolloutId: string, rule: RolloutRule<R>): Promise<R> {
    return this.run(async (p) => {
      const change = await p.rollouts.applyRule(rolloutId, rule);
      await this.applyWorkers(p, change.workers);
      return change.result;
    });
  }

  claimNext<R>(rule: RolloutRule<R>): Promise<R | null> {
    return this.run(async (p) => {
      const change = await p.rollouts.claimNext(rule);
      if (!change) return null;
      await this.applyWorkers(p, change.workers);
      return change.result;
    });
  }

  private page<T>(collection: RecordCollection, query: Query): Promise<Page<T>> {
    return this.run(async () => {
      const q = compileQuery(this.ns, query);
      const col = this.col(collection);
      const total = await col.countDocuments(q.filter);
      if (q.limit === 0) return { items: [], limit: query.page.limit, offset: query.page.offset, total };
      let cursor = col.find(q.filter, { projection: { doc: 1 } }).sort(q.sort).skip(q.skip);
      if (q.limit !== null) cursor = cursor.limit(q.limit);
      const docs = (await cursor.toArray()) as unknown as { doc: string }[];
      return { items: docs.map((d) => parseDoc<T>(d)), limit: query.page.limit, offset: query.page.offset, total };
    });
  }

  queryRollouts(query: Query): Promise<Page<RolloutAggregate>> {
    return this.page('rollouts', query);
  }

  queryAttempts(query: Query): Promise<Page<Attempt>> {
    return this.run(() => queryAttempts(this.col('rollouts'), this.ns, query));
  }

  /**
   * The due rollouts, for the replica holding the watchdog lease (see WatchdogLease); the others get none
   * and skip the pass. The deadline index gives them earliest first.
   */
  dueRollouts(now: number, limit: number): Promise<string[]> {
    return this.run(async () => {
      if (!(await this.lease.acquire(now))) return [];
      const docs = await this.col('rollouts')
        .find({ ns: this.ns, deadline: { $lt: now } }, { projection: { rollout_id: 1 } })
        .sort({ deadline: 1 })
        .limit(limit)
        .toArray();
      return docs.map((d) => d['rollout_id'] as string);
    });
  }

  reserveSequenceIds(rolloutId: string, reservation: SequenceReservation): Promise<number> {
    return this.run((p) => p.rollouts.reserve(rolloutId, reservation));
  }

  appendSpans(
    groups: readonly SpanGroup[],
    heartbeat: (agg: RolloutAggregate, attemptId: string) => RolloutChange<void>,
  ): Promise<SpanGroupResult[]> {
    return this.run(async (p) => {
      const results: SpanGroupResult[] = [];
      for (const group of groups) {
        const { result, change } = await p.rollouts.appendGroup(group, heartbeat);
        if (change) await this.applyWorkers(p, change.workers);
        results.push(result);
      }
      return results;
    });
  }

  querySpans(query: Query): Promise<Page<Span>> {
    return this.page('spans', query);
  }

  insertResources(resources: ResourcesUpdate): Promise<void> {
    return this.run(async (p) => {
      if (!(await p.resourcesRecords.create(resources.resourcesId, resourcesFields(resources)))) {
        throw resourcesExist(resources.resourcesId);
      }
    });
  }

  changeResources(resourcesId: string, rule: (previous: ResourcesUpdate | null) => ResourcesUpdate): Promise<ResourcesUpdate> {
    return this.run((p) => upsert(p.resourcesRecords, resourcesId, rule, resourcesFields));
  }

  getResources(resourcesId: string): Promise<ResourcesUpdate | null> {
    return this.run(async (p) => {
      const state = await p.resourcesRecords.load(resourcesId);
      return state ? parseDoc<ResourcesUpdate>(state.fields as { doc: string }) : null;
    });
  }

  latestResources(): Promise<ResourcesUpdate | null> {
    return this.run(async () => {
      const doc = await this.col('resources').findOne({ ns: this.ns }, { sort: { update_time: -1, written: -1 }, projection: { doc: 1 } });
      return doc ? parseDoc<ResourcesUpdate>(doc as unknown as { doc: string }) : null;
    });
  }

  queryResources(query: Query): Promise<Page<ResourcesUpdate>> {
    return this.page('resources', query);
  }

  changeWorkers(changes: readonly WorkerChange[]): Promise<Worker[]> {
    return this.run((p) => this.applyWorkers(p, changes));
  }

  getWorker(workerId: string): Promise<Worker | null> {
    return this.run(async (p) => {
      const state = await p.workerRecords.load(workerId);
      return state ? parseDoc<Worker>(state.fields as { doc: string }) : null;
    });
  }

  queryWorkers(query: Query): Promise<Page<Worker>> {
    return this.page('workers', query);
  }

  counts(): Promise<BackendCounts> {
    return this.run(() => countRecords(this.db, this.ns));
  }

  ping(): Promise<void> {
    return guard(async () => {
      await this.db.command({ ping: 1 });
    });
  }

  async close(): Promise<void> {
    clearInterval(this.cleaner);
    await this.cleaning;
    await this.client.close();
  }
}

/** Creates or changes one record by compare-and-set, retrying until it succeeds. */
async function upsert<T>(log: VersionedRecords<Fields>, key: string, rule: (previous: T | null) => T, fields: (record: T) => Fields): Promise<T> {
  for (;;) {
    const current = await log.load(key);
    const next = rule(current ? parseDoc<T>(current.fields as { doc: string }) : null);
    const committed = current ? await log.commit(key, current, fields(next)) : await log.create(key, fields(next));
    if (committed) return next;
  }
}
