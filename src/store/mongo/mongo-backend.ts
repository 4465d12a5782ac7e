import type { Collection, Db, Document } from 'mongodb';
import { MongoClient, MongoServerError } from 'mongodb';
import type { RolloutChange, WorkerChange } from '../../domain/changes';
import { alreadyExists, notFound } from '../../domain/errors';
import type { Page, Query } from '../../domain/query';
import { compareRecords, matchesFilter, paginate } from '../../domain/query';
import type { Attempt, ResourcesUpdate, RolloutAggregate, Span, Worker } from '../../domain/records';
import type { SequenceReservation } from '../../domain/sequence-rules';
import { newSpanFlags, numberFlagged, planNewSpans } from '../../domain/sequence-rules';
import { isQueuingLike } from '../../domain/status';
import type { Backend, BackendCounts, RolloutRule, SpanGroup, SpanGroupResult } from '../backend';
import type { RolloutDoc } from './documents';
import { parseDoc, resourcesFields, rolloutFields, spanDoc, workerFields } from './documents';
import { ensureIndexes } from './indexes';
import { compileQuery } from './mongo-query';
import { guard } from './errors';
import type { Clock } from '../../domain/clock';

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
  /** Time source of queue order and commit records; default the system clock. */
  readonly clock?: Clock;
  /** How long an operation waits for a reachable server, in ms; default 5000. */
  readonly serverSelectionTimeoutMs?: number;
}

interface Loaded {
  readonly agg: RolloutAggregate;
  readonly doc: RolloutDoc;
}

const DUPLICATE_KEY = 11000;

function isDuplicate(err: unknown): boolean {
  return err instanceof MongoServerError && err.code === DUPLICATE_KEY;
}

/**
 * MongoDB (or a wire-compatible server such as FerretDB), shared by any number of stateless servers.
 * Every state change is one single-document operation: a rollout and its attempts live in one document
 * changed by compare-and-set on its version, so on MongoDB a claim can never lose work and two servers
 * can never apply one transition twice. No multi-document transactions are needed.
 *
 * Work in progress, not yet offered by the server: FerretDB 1.24 (SQLite handler) does not apply a
 * conditional update atomically, so under concurrency two compare-and-sets can both succeed there; the
 * conformance suite shows double claims. The compare-and-set needs a primitive FerretDB does make
 * atomic (a unique-index insert) before this backend is wired in.
 */
export class MongoBackend implements Backend {
  readonly name = 'mongo';
  private readonly client: MongoClient;
  private readonly db: Db;
  private readonly ns: string;
  private readonly ready: Promise<void>;

  constructor(options: MongoOptions) {
    this.client = new MongoClient(options.uri, {
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 5000,
      ignoreUndefined: true,
    });
    this.db = this.client.db(options.database ?? 'lightning_store');
    this.ns = options.namespace ?? 'default';
    this.ready = guard(() => ensureIndexes(this.db));
    this.ready.catch(() => undefined);
  }

  private col<T extends Document = Document>(name: 'rollouts' | 'spans' | 'resources' | 'workers' | 'counters'): Collection<T> {
    return this.db.collection<T>(name);
  }

  /** Runs `fn` once the indexes exist, mapping connection failures to UNAVAILABLE. */
  private async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.ready;
    return guard(fn);
  }

  /** Reserves `count` numbers of a counter; returns the first. */
  private async counter(name: string, count: number): Promise<number> {
    const res = await this.col<{ _id: string; value: number }>('counters').findOneAndUpdate(
      { _id: `${this.ns}:${name}` },
      { $inc: { value: count } },
      { upsert: true, returnDocument: 'after' },
    );
    return res!.value - count + 1;
  }

  private async load(rolloutId: string): Promise<Loaded | null> {
    const doc = await this.col<RolloutDoc>('rollouts').findOne({ ns: this.ns, rollout_id: rolloutId });
    return doc ? { doc, agg: parseDoc<RolloutAggregate>(doc) } : null;
  }

  /** Writes a rule's change if the document is still at the version read; false when someone was faster. */
  private async commit<R>(loaded: Loaded, change: RolloutChange<R>): Promise<boolean> {
    const { next } = change;
    if (next) {
      let queuePos = isQueuingLike(next.rollout.status) ? loaded.doc.queue_pos : null;
      if (change.enqueue || (queuePos === null && isQueuingLike(next.rollout.status))) queuePos = await this.counter('queue', 1);
      const res = await this.col<RolloutDoc>('rollouts').updateOne(
        { ns: this.ns, rollout_id: loaded.doc.rollout_id, version: loaded.doc.version },
        { $set: { ...rolloutFields(next, queuePos), version: loaded.doc.version + 1 } },
      );
      if (res.matchedCount === 0) return false;
    }
    await this.applyWorkers(change.workers);
    return true;
  }

  private async applyWorkers(changes: readonly WorkerChange[]): Promise<Worker[]> {
    const out: Worker[] = [];
    for (const c of changes) out.push(await this.changeWorker(c));
    return out;
  }

  private async changeWorker(c: WorkerChange): Promise<Worker> {
    const workers = this.col('workers');
    for (;;) {
      const current = await workers.findOne({ ns: this.ns, worker_id: c.workerId });
      const worker = c.apply(current ? parseDoc<Worker>(current as unknown as { doc: string }) : null);
      if (current) {
        const res = await workers.updateOne({ _id: current._id, rev: current['rev'] as number }, { $set: { ...workerFields(worker), rev: (current['rev'] as number) + 1 } });
        if (res.matchedCount === 1) return worker;
      } else {
        try {
          const seq = await this.counter('workers', 1);
          await workers.insertOne({ ns: this.ns, worker_id: c.workerId, seq, rev: 1, ...workerFields(worker) });
          return worker;
        } catch (err) {
          if (!isDuplicate(err)) throw err;
        }
      }
    }
  }

  insertRollouts(aggs: readonly RolloutAggregate[]): Promise<void> {
    return this.run(async () => {
      if (aggs.length === 0) return;
      const ids = aggs.map((a) => a.rollout.rolloutId);
      if (await this.col('rollouts').findOne({ ns: this.ns, rollout_id: { $in: ids } })) throw alreadyExists('Rollout id already exists');
      const first = await this.counter('rollouts', aggs.length);
      const queued = aggs.filter((a) => isQueuingLike(a.rollout.status)).length;
      let pos = queued > 0 ? await this.counter('queue', queued) : 0;
      const docs = aggs.map((agg, i) => ({
        ns: this.ns,
        rollout_id: agg.rollout.rolloutId,
        seq: first + i,
        span_counter: 0,
        version: 1,
        ...rolloutFields(agg, isQueuingLike(agg.rollout.status) ? pos++ : null),
      }));
      try {
        await this.col('rollouts').insertMany(docs, { ordered: true });
      } catch (err) {
        if (isDuplicate(err)) throw alreadyExists('Rollout id already exists');
        throw err;
      }
    });
  }

  getRollouts(ids: readonly string[]): Promise<Map<string, RolloutAggregate>> {
    return this.run(async () => {
      const docs = await this.col<RolloutDoc>('rollouts').find({ ns: this.ns, rollout_id: { $in: [...ids] } }).toArray();
      return new Map(docs.map((d) => [d.rollout_id, parseDoc<RolloutAggregate>(d)]));
    });
  }

  /** Reads, applies and commits `rule` until the compare-and-set succeeds. NOT_FOUND if missing. */
  private async applyRule<R>(rolloutId: string, rule: RolloutRule<R>): Promise<R> {
    for (;;) {
      const loaded = await this.load(rolloutId);
      if (!loaded) throw notFound(`Rollout ${rolloutId} not found`);
      const change = rule(loaded.agg);
      if (await this.commit(loaded, change)) return change.result;
    }
  }

  changeRollout<R>(rolloutId: string, rule: RolloutRule<R>): Promise<R> {
    return this.run(() => this.applyRule(rolloutId, rule));
  }

  claimNext<R>(rule: RolloutRule<R>): Promise<R | null> {
    return this.run(async () => {
      for (;;) {
        const doc = await this.col<RolloutDoc>('rollouts').findOne({ ns: this.ns, queue_pos: { $gt: 0 } }, { sort: { queue_pos: 1 } });
        if (!doc) return null;
        const loaded = { doc, agg: parseDoc<RolloutAggregate>(doc) };
        const change = rule(loaded.agg);
        if (await this.commit(loaded, change)) return change.result;
      }
    });
  }

  private page<T>(collection: 'rollouts' | 'spans' | 'resources' | 'workers', query: Query, toItem: (d: { doc: string }) => T): Promise<Page<T>> {
    return this.run(async () => {
      const q = compileQuery(this.ns, query);
      const col = this.col(collection);
      const total = await col.countDocuments(q.filter);
      if (q.limit === 0) return { items: [], limit: query.page.limit, offset: query.page.offset, total };
      let cursor = col.find(q.filter, { projection: { doc: 1 } }).sort(q.sort).skip(q.skip);
      if (q.limit !== null) cursor = cursor.limit(q.limit);
      const docs = (await cursor.toArray()) as unknown as { doc: string }[];
      return { items: docs.map(toItem), limit: query.page.limit, offset: query.page.offset, total };
    });
  }

  queryRollouts(query: Query): Promise<Page<RolloutAggregate>> {
    return this.page('rollouts', query, (d) => parseDoc<RolloutAggregate>(d));
  }

  queryAttempts(query: Query): Promise<Page<Attempt>> {
    return this.run(async () => {
      // Attempts live inside their rollout: filter, sort and page them with the domain's own rules.
      const scope = query.filter.must.find((c) => c.field === 'rolloutId' && c.op === 'eq');
      const ids = scope && scope.op === 'eq' ? [scope.value] : null;
      const filter = ids ? { ns: this.ns, rollout_id: { $in: ids } } : { ns: this.ns };
      const docs = await this.col<RolloutDoc>('rollouts').find(filter).sort({ seq: 1 }).toArray();
      const attempts = docs.flatMap((d) => parseDoc<RolloutAggregate>(d).attempts).filter((a) => matchesFilter(a, query.filter));
      if (query.sort.length > 0) attempts.sort((a, b) => compareRecords(a, b, query.sort));
      return paginate(attempts, query.page);
    });
  }

  dueRollouts(now: number, limit: number): Promise<string[]> {
    return this.run(async () => {
      const docs = await this.col<RolloutDoc>('rollouts')
        .find({ ns: this.ns, deadline: { $lt: now } }, { projection: { rollout_id: 1 } })
        .sort({ deadline: 1 })
        .limit(limit)
        .toArray();
      return docs.map((d) => d.rollout_id);
    });
  }

  reserveSequenceIds(rolloutId: string, reservation: SequenceReservation): Promise<number> {
    return this.run(() => this.reserve(rolloutId, reservation));
  }

  /** Raises the rollout's counter to at least raiseTo, then takes `count` numbers; two atomic updates. */
  private async reserve(rolloutId: string, r: SequenceReservation): Promise<number> {
    const rollouts = this.col<RolloutDoc>('rollouts');
    const key = { ns: this.ns, rollout_id: rolloutId };
    if (r.raiseTo > 0) await rollouts.updateOne(key, { $max: { span_counter: r.raiseTo } });
    // No projection: FerretDB 1.24 does not implement one on findAndModify.
    const doc = await rollouts.findOneAndUpdate(key, { $inc: { span_counter: r.count } }, { returnDocument: 'after' });
    if (!doc) throw notFound(`Rollout ${rolloutId} not found`);
    return doc.span_counter - r.count + 1;
  }

  appendSpans(groups: readonly SpanGroup[], heartbeat: (agg: RolloutAggregate, attemptId: string) => RolloutChange<void>): Promise<SpanGroupResult[]> {
    return this.run(async () => {
      const results: SpanGroupResult[] = [];
      for (const group of groups) results.push(await this.appendGroup(group, heartbeat));
      return results;
    });
  }

  private async appendGroup(group: SpanGroup, heartbeat: (agg: RolloutAggregate, attemptId: string) => RolloutChange<void>): Promise<SpanGroupResult> {
    const loaded = await this.load(group.rolloutId);
    if (!loaded) return { kind: 'rollout-not-found' };
    if (!loaded.agg.attempts.some((a) => a.attemptId === group.attemptId)) return { kind: 'attempt-not-found' };
    const spans = this.col('spans');
    const existing = await spans
      .find({ ns: this.ns, rollout_id: group.rolloutId, attempt_id: group.attemptId, span_id: { $in: group.spans.map((s) => s.spanId) } }, { projection: { span_id: 1 } })
      .toArray();
    const stored = new Set(existing.map((d) => d['span_id'] as string));
    // Duplicates (already stored, or repeated in the group) take no sequence id; the rest are numbered
    // by the domain's rules against the rollout's counter.
    const isNew = newSpanFlags(group.spans, (key) => stored.has(key.split('\u0000')[2] ?? ''));
    const plan = planNewSpans(group.spans, isNew);
    // Two atomic counter updates ($max, $inc) instead of the read-modify-write the other backends do.
    const first = plan.count > 0 || plan.raiseTo > 0 ? await this.reserve(group.rolloutId, plan) : 1;
    const numbered = numberFlagged(group.spans, isNew, first);
    const fresh = numbered.filter((s): s is Span => s !== null);
    const seq = fresh.length > 0 ? await this.counter('spans', fresh.length) : 0;
    const docs = numbered.flatMap((s, i) => (s === null ? [] : [{ index: i, doc: spanDoc(this.ns, s, seq + i) }]));
    const inserted = new Set<number>(docs.map((d) => d.index));
    if (docs.length > 0) {
      try {
        await spans.insertMany(docs.map((d) => d.doc), { ordered: false });
      } catch (err) {
        // A concurrent writer stored some of the same spans first: those are duplicates.
        const writeErrors = (err as { writeErrors?: { index: number; code: number }[] }).writeErrors;
        if (!writeErrors || writeErrors.some((e) => e.code !== DUPLICATE_KEY)) throw err;
        for (const e of writeErrors) inserted.delete(docs[e.index]!.index);
      }
    }
    const result = numbered.map((s, i) => (s !== null && inserted.has(i) ? s : null));
    if (result.some((s) => s !== null)) await this.applyRule(group.rolloutId, (agg) => heartbeat(agg, group.attemptId));
    return { kind: 'stored', stored: result };
  }

  querySpans(query: Query): Promise<Page<Span>> {
    return this.page('spans', query, (d) => parseDoc<Span>(d));
  }

  insertResources(resources: ResourcesUpdate): Promise<void> {
    return this.run(async () => {
      const written = await this.counter('resources', 1);
      try {
        await this.col('resources').insertOne({ ns: this.ns, resources_id: resources.resourcesId, seq: written, ...resourcesFields(resources, written) });
      } catch (err) {
        if (isDuplicate(err)) throw alreadyExists(`Resources ${resources.resourcesId} already exist`);
        throw err;
      }
    });
  }

  changeResources(resourcesId: string, rule: (previous: ResourcesUpdate | null) => ResourcesUpdate): Promise<ResourcesUpdate> {
    return this.run(async () => {
      const col = this.col('resources');
      for (;;) {
        const current = await col.findOne({ ns: this.ns, resources_id: resourcesId });
        const next = rule(current ? parseDoc<ResourcesUpdate>(current as unknown as { doc: string }) : null);
        const written = await this.counter('resources', 1);
        if (current) {
          const res = await col.updateOne({ _id: current._id, version: current['version'] as number }, { $set: resourcesFields(next, written) });
          if (res.matchedCount === 1) return next;
        } else {
          try {
            await col.insertOne({ ns: this.ns, resources_id: resourcesId, seq: written, ...resourcesFields(next, written) });
            return next;
          } catch (err) {
            if (!isDuplicate(err)) throw err;
          }
        }
      }
    });
  }

  getResources(resourcesId: string): Promise<ResourcesUpdate | null> {
    return this.run(async () => {
      const doc = await this.col('resources').findOne({ ns: this.ns, resources_id: resourcesId });
      return doc ? parseDoc<ResourcesUpdate>(doc as unknown as { doc: string }) : null;
    });
  }

  latestResources(): Promise<ResourcesUpdate | null> {
    return this.run(async () => {
      const doc = await this.col('resources').findOne({ ns: this.ns }, { sort: { update_time: -1, written: -1 } });
      return doc ? parseDoc<ResourcesUpdate>(doc as unknown as { doc: string }) : null;
    });
  }

  queryResources(query: Query): Promise<Page<ResourcesUpdate>> {
    return this.page('resources', query, (d) => parseDoc<ResourcesUpdate>(d));
  }

  changeWorkers(changes: readonly WorkerChange[]): Promise<Worker[]> {
    return this.run(() => this.applyWorkers(changes));
  }

  getWorker(workerId: string): Promise<Worker | null> {
    return this.run(async () => {
      const doc = await this.col('workers').findOne({ ns: this.ns, worker_id: workerId });
      return doc ? parseDoc<Worker>(doc as unknown as { doc: string }) : null;
    });
  }

  queryWorkers(query: Query): Promise<Page<Worker>> {
    return this.page('workers', query, (d) => parseDoc<Worker>(d));
  }

  counts(): Promise<BackendCounts> {
    return this.run(async () => {
      const count = (name: 'rollouts' | 'spans' | 'resources' | 'workers') => this.col(name).countDocuments({ ns: this.ns });
      // Summed here: FerretDB 1.24's $group returns 0 for $sum over a field.
      const rows = await this.col<RolloutDoc>('rollouts')
        .find({ ns: this.ns }, { projection: { status: 1, attempt_count: 1 } })
        .toArray();
      const byStatus: Record<string, number> = {};
      for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      return {
        rollouts: await count('rollouts'),
        attempts: rows.reduce((sum, r) => sum + r.attempt_count, 0),
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
    await this.client.close();
  }
}
