import type { Collection, Db, Document } from 'mongodb';
import { MongoClient } from 'mongodb';
import type { RolloutChange, WorkerChange } from '../../domain/changes';
import type { Clock } from '../../domain/clock';
import { systemClock } from '../../domain/clock';
import { resourcesExist } from '../../domain/messages';
import type { Page, Query } from '../../domain/query';
import { compareRecords, matchesFilter, paginate } from '../../domain/query';
import type { Attempt, ResourcesUpdate, RolloutAggregate, Span, Worker } from '../../domain/records';
import type { SequenceReservation } from '../../domain/sequence-rules';
import type { Backend, BackendCounts, RolloutRule, SpanGroup, SpanGroupResult } from '../backend';
import type { RolloutFields } from './documents';
import { parseDoc, resourcesFields, workerFields } from './documents';
import { guard } from './errors';
import { ensureIndexes } from './indexes';
import { compileQuery } from './mongo-query';
import { MongoRollouts } from './rollouts';
import type { ClaimDoc, Fields } from './versioned';
import { VersionedRecords } from './versioned';

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
  /** Time source of queue order; default the system clock. */
  readonly clock?: Clock;
  /** How long an operation waits for a reachable server, in ms; default 3000. */
  readonly serverSelectionTimeoutMs?: number;
}

type RecordCollection = 'rollouts' | 'spans' | 'resources' | 'workers';

/** Milliseconds between removals of claims that stopped writers left behind. */
const CLEANUP_INTERVAL_MS = 60_000;

/**
 * MongoDB (or a wire-compatible server such as FerretDB), shared by any number of stateless servers.
 * No multi-document transactions: a rollout and its attempts live in one document, and every change to a
 * rollout, worker or resources snapshot is one compare-and-set on its version (VersionedRecords), guarded so that
 * it holds on FerretDB too. Queue order comes from arrival times, not from a shared counter.
 */
export class MongoBackend implements Backend {
  readonly name = 'mongo';
  private readonly client: MongoClient;
  private readonly db: Db;
  private readonly ns: string;
  private ready: Promise<void> | null = null;
  private readonly rolloutRecords: VersionedRecords<RolloutFields>;
  private readonly workerRecords: VersionedRecords<Fields>;
  private readonly resourcesRecords: VersionedRecords<Fields>;
  private readonly rollouts: MongoRollouts;
  private readonly cleaner: NodeJS.Timeout;
  private cleaning: Promise<void> | null = null;

  constructor(options: MongoOptions) {
    this.client = new MongoClient(options.uri, {
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 3000,
      ignoreUndefined: true,
    });
    this.db = this.client.db(options.database ?? MONGO_DEFAULTS.database);
    this.ns = options.namespace ?? MONGO_DEFAULTS.namespace;
    const claims = this.db.collection<ClaimDoc>('claims');
    this.rolloutRecords = new VersionedRecords(this.col('rollouts'), claims, this.ns, 'rollout', 'rollout_id');
    // Worker records are telemetry derived from rollout changes; their updates skip the claim (two ops
    // fewer per change). On FerretDB two concurrent updates of one worker may then both land.
    this.workerRecords = new VersionedRecords(this.col('workers'), claims, this.ns, 'worker', 'worker_id', false);
    this.resourcesRecords = new VersionedRecords(this.col('resources'), claims, this.ns, 'resources', 'resources_id');
    this.rollouts = new MongoRollouts(this.col('rollouts'), this.col('spans'), this.db.collection('span_keys'), this.rolloutRecords, this.ns, options.clock ?? systemClock);
    this.cleaner = setInterval(() => void this.cleanUp(), CLEANUP_INTERVAL_MS);
    this.cleaner.unref();
  }

  private col<T extends Document = Document>(name: RecordCollection): Collection<T> {
    return this.db.collection<T>(name);
  }

  /** Creates the indexes once per backend; a failed attempt (database down) is retried by the next call. */
  private ensureReady(): Promise<void> {
    this.ready ??= guard(() => ensureIndexes(this.db)).catch((err: unknown) => {
      this.ready = null;
      throw err;
    });
    return this.ready;
  }

  /** Runs `fn` once the indexes exist, mapping connection failures to UNAVAILABLE. */
  private async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.ensureReady();
    return guard(fn);
  }

  private cleanUp(): Promise<void> {
    this.cleaning ??= this.run(() => this.rolloutRecords.removeExpiredClaims())
      .catch(() => undefined)
      .finally(() => {
        this.cleaning = null;
      });
    return this.cleaning;
  }

  /** Applies worker changes one by one, each as its own commit. */
  private async applyWorkers(changes: readonly WorkerChange[]): Promise<Worker[]> {
    const out: Worker[] = [];
    for (const c of changes) {
      out.push(await this.upsert(this.workerRecords, c.workerId, (prev) => c.apply(prev), workerFields));
    }
    return out;
  }

  /** Creates or changes one record by compare-and-set, retrying until it succeeds. */
  private async upsert<T>(log: VersionedRecords<Fields>, key: string, rule: (previous: T | null) => T, fields: (record: T) => Fields): Promise<T> {
    for (;;) {
      const current = await log.load(key);
      const next = rule(current ? parseDoc<T>(current.fields as { doc: string }) : null);
      const committed = current ? await log.commit(key, current, fields(next)) : await log.create(key, fields(next));
      if (committed) return next;
    }
  }

  insertRollouts(aggs: readonly RolloutAggregate[]): Promise<void> {
    return this.run(() => this.rollouts.insert(aggs));
  }

  getRollouts(ids: readonly string[]): Promise<Map<string, RolloutAggregate>> {
    return this.run(async () => {
      const states = await this.rolloutRecords.loadMany([...new Set(ids)]);
      return new Map([...states].map(([key, state]) => [key, parseDoc<RolloutAggregate>(state.fields)]));
    });
  }

  changeRollout<R>(rolloutId: string, rule: RolloutRule<R>): Promise<R> {
    return this.run(async () => {
      const change = await this.rollouts.applyRule(rolloutId, rule);
      await this.applyWorkers(change.workers);
      return change.result;
    });
  }

  claimNext<R>(rule: RolloutRule<R>): Promise<R | null> {
    return this.run(async () => {
      const change = await this.rollouts.claimNext(rule);
      if (!change) return null;
      await this.applyWorkers(change.workers);
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
    return this.run(async () => {
      // Attempts live inside their rollout: filter, sort and page them with the domain's own rules.
      const scope = query.filter.must.find((c) => c.field === 'rolloutId' && c.op === 'eq');
      let docs: { doc: string }[];
      if (scope && scope.op === 'eq') {
        const state = await this.rolloutRecords.load(scope.value);
        docs = state ? [state.fields] : [];
      } else {
        docs = (await this.col('rollouts').find({ ns: this.ns }, { projection: { doc: 1 } }).sort({ arrival: 1 }).toArray()) as unknown as { doc: string }[];
      }
      const attempts = docs.flatMap((d) => parseDoc<RolloutAggregate>(d).attempts).filter((a) => matchesFilter(a, query.filter));
      if (query.sort.length > 0) attempts.sort((a, b) => compareRecords(a, b, query.sort));
      return paginate(attempts, query.page);
    });
  }

  dueRollouts(now: number, limit: number): Promise<string[]> {
    return this.run(async () => {
      const docs = await this.col('rollouts')
        .find({ ns: this.ns, deadline: { $lt: now } }, { projection: { rollout_id: 1 } })
        .sort({ deadline: 1 })
        .limit(limit)
        .toArray();
      return docs.map((d) => d['rollout_id'] as string);
    });
  }

  reserveSequenceIds(rolloutId: string, reservation: SequenceReservation): Promise<number> {
    return this.run(() => this.rollouts.reserve(rolloutId, reservation));
  }

  appendSpans(
    groups: readonly SpanGroup[],
    heartbeat: (agg: RolloutAggregate, attemptId: string) => RolloutChange<void>,
  ): Promise<SpanGroupResult[]> {
    return this.run(async () => {
      const results: SpanGroupResult[] = [];
      for (const group of groups) {
        const { result, change } = await this.rollouts.appendGroup(group, heartbeat);
        if (change) await this.applyWorkers(change.workers);
        results.push(result);
      }
      return results;
    });
  }

  querySpans(query: Query): Promise<Page<Span>> {
    return this.page('spans', query);
  }

  insertResources(resources: ResourcesUpdate): Promise<void> {
    return this.run(async () => {
      if (!(await this.resourcesRecords.create(resources.resourcesId, resourcesFields(resources)))) {
        throw resourcesExist(resources.resourcesId);
      }
    });
  }

  changeResources(resourcesId: string, rule: (previous: ResourcesUpdate | null) => ResourcesUpdate): Promise<ResourcesUpdate> {
    return this.run(() => this.upsert(this.resourcesRecords, resourcesId, rule, resourcesFields));
  }

  getResources(resourcesId: string): Promise<ResourcesUpdate | null> {
    return this.run(async () => {
      const state = await this.resourcesRecords.load(resourcesId);
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
    return this.run(() => this.applyWorkers(changes));
  }

  getWorker(workerId: string): Promise<Worker | null> {
    return this.run(async () => {
      const state = await this.workerRecords.load(workerId);
      return state ? parseDoc<Worker>(state.fields as { doc: string }) : null;
    });
  }

  queryWorkers(query: Query): Promise<Page<Worker>> {
    return this.page('workers', query);
  }

  counts(): Promise<BackendCounts> {
    return this.run(async () => {
      const count = (name: RecordCollection) => this.col(name).countDocuments({ ns: this.ns });
      // Summed here: FerretDB 1.24's $group returns 0 for $sum over a field.
      const rows = await this.col('rollouts').find({ ns: this.ns }, { projection: { status: 1, attempt_count: 1 } }).toArray();
      const byStatus: Record<string, number> = {};
      for (const r of rows) byStatus[r['status'] as string] = (byStatus[r['status'] as string] ?? 0) + 1;
      return {
        rollouts: rows.length,
        attempts: rows.reduce((sum, r) => sum + (r['attempt_count'] as number), 0),
        spans: await count('spans'),
        resources: await count('resources'),
        workers: await count('workers'),
        rolloutsByStatus: byStatus,
      };
    });
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
