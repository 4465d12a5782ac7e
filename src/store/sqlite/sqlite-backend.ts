import type Database from 'better-sqlite3';
import type { RolloutChange, WorkerChange } from '../../domain/changes';
import { resourcesExist, rolloutExists, rolloutNotFound } from '../../domain/messages';
import type { Page, Query } from '../../domain/query';
import type { Attempt, ResourcesUpdate, Rollout, RolloutAggregate, Span, Worker } from '../../domain/records';
import type { SequenceReservation } from '../../domain/sequence-rules';
import { numberNewSpans, reserveFromCounter } from '../../domain/sequence-rules';
import { queuePosition } from '../../domain/queue-rules';
import { watchDeadline } from '../../domain/watchdog-rules';
import type { Backend, BackendCapabilities, BackendCounts, RolloutRule, SpanGroup, SpanGroupResult } from '../backend';
import type { SqliteOptions } from './open';
import { sqliteFault } from './faults';
import { openDatabase } from './open';
import { SCHEMA_VERSION } from './schema';
import { attemptRow, fromDoc, resourcesRow, rolloutRow, spanRow, workerRow } from './rows';
import { compileQuery, countSql, selectSql } from './sql-query';
import { prepareStatements } from './statements';
import type { Statements } from './statements';

interface Loaded {
  readonly agg: RolloutAggregate;
  readonly queuePos: number | null;
  readonly deadline: number | null;
  readonly spanCounter: number;
}


/**
 * The embedded, durable backend: one SQLite file in WAL mode. Each method is one transaction (writes
 * take the write lock up front), so every rule's change, its worker updates and a whole batch of spans
 * commit together or not at all. Several processes may share the file; SQLite serialises their writes.
 */
export class SqliteBackend implements Backend {
  readonly name = 'sqlite';
  /** What this backend offers (see BackendCapabilities). */
  static readonly capabilities: BackendCapabilities = { sharedStorage: true, codePointOrder: true };
  readonly capabilities = SqliteBackend.capabilities;
  private readonly db: Database.Database;
  private readonly st: Statements;
  private readonly queryCache = new Map<string, Database.Statement>();

  constructor(options: SqliteOptions) {
    this.db = openDatabase(options);
    this.st = prepareStatements(this.db);
  }

  /** The storage fault of the last failed write, until a write succeeds again (health reports it). */
  private writeFault: unknown = null;

  /** Runs `fn` in a write transaction; storage errors are mapped by sqliteFault and remembered for health. */
  private write<T>(fn: () => T): Promise<T> {
    try {
      const result = this.db.transaction(fn).immediate();
      this.writeFault = null;
      return Promise.resolve(result);
    } catch (err) {
      const { error, fault } = sqliteFault(err);
      if (fault) this.writeFault = error;
      return Promise.reject(error);
    }
  }

  /** Runs `fn` in a read transaction (one consistent snapshot). */
  private read<T>(fn: () => T): Promise<T> {
    try {
      return Promise.resolve(this.db.transaction(fn).deferred());
    } catch (err) {
      return Promise.reject(sqliteFault(err).error);
    }
  }

  private load(rolloutId: string): Loaded | null {
    const row = this.st.selectRollout.get(rolloutId) as { doc: string; queue_pos: number | null; deadline: number | null; span_counter: number } | undefined;
    if (!row) return null;
    const attempts = (this.st.selectAttempts.all(rolloutId) as { doc: string }[]).map((r) => fromDoc<Attempt>(r));
    return { agg: { rollout: fromDoc<Rollout>(row), attempts }, queuePos: row.queue_pos, deadline: row.deadline, spanCounter: row.span_counter };
  }

  /** The position after the queue's current tail (inside the write transaction that takes it). */
  private tailPosition(): number {
    return (this.st.nextQueuePos.get() as { pos: number }).pos;
  }

  private persist<R>(loaded: Loaded, change: RolloutChange<R>): R {
    const { next } = change;
    if (next) {
      const queuePos = queuePosition(next.rollout.status, change.enqueue, loaded.queuePos, () => this.tailPosition());
      const deadline = watchDeadline(next);
      // A heartbeat leaves the rollout as it was (the rules keep the same object): its row and document are
      // not rewritten, only its place in the queue and the watchdog's deadline, when they move.
      if (next.rollout !== loaded.agg.rollout) this.st.updateRollout.run(rolloutRow(next.rollout, queuePos, deadline));
      else if (queuePos !== loaded.queuePos || deadline !== loaded.deadline) this.st.updateRolloutPlacing.run(queuePos, deadline, next.rollout.rolloutId);
      next.attempts.forEach((a, i) => {
        if (loaded.agg.attempts[i] !== a) this.st.upsertAttempt.run(attemptRow(a));
      });
    }
    this.applyWorkers(change.workers);
    return change.result;
  }

  private applyWorkers(changes: readonly WorkerChange[]): Worker[] {
    return changes.map((c) => {
      const row = this.st.selectWorker.get(c.workerId) as { doc: string } | undefined;
      const worker = c.apply(row ? fromDoc<Worker>(row) : null);
      this.st.upsertWorker.run(workerRow(worker));
      return worker;
    });
  }

  insertRollouts(aggs: readonly RolloutAggregate[]): Promise<void> {
    return this.write(() => {
      for (const agg of aggs) {
        const { rollout } = agg;
        if (this.st.rolloutExists.get(rollout.rolloutId)) throw rolloutExists(rollout.rolloutId);
        const queuePos = queuePosition(rollout.status, false, null, () => this.tailPosition());
        this.st.insertRollout.run(rolloutRow(rollout, queuePos, watchDeadline(agg)));
        for (const a of agg.attempts) this.st.upsertAttempt.run(attemptRow(a));
      }
    });
  }

  getRollouts(ids: readonly string[]): Promise<Map<string, RolloutAggregate>> {
    return this.read(() => {
      const found = new Map<string, RolloutAggregate>();
      for (const id of ids) {
        const loaded = this.load(id);
        if (loaded) found.set(id, loaded.agg);
      }
      return found;
    });
  }

  changeRollout<R>(rolloutId: string, rule: RolloutRule<R>): Promise<R> {
    return this.write(() => {
      const loaded = this.load(rolloutId);
      if (!loaded) throw rolloutNotFound(rolloutId);
      return this.persist(loaded, rule(loaded.agg));
    });
  }

  claimNext<R>(rule: RolloutRule<R>): Promise<R | null> {
    return this.write(() => {
      const head = this.st.queueHead.get() as { rollout_id: string } | undefined;
      if (!head) return null;
      const loaded = this.load(head.rollout_id)!;
      return this.persist(loaded, rule(loaded.agg));
    });
  }

  private statement(sql: string): Database.Statement {
    let stmt = this.queryCache.get(sql);
    if (!stmt) {
      if (this.queryCache.size >= 256) this.queryCache.clear();
      stmt = this.db.prepare(sql);
      this.queryCache.set(sql, stmt);
    }
    return stmt;
  }

  /** Runs a compiled query on `table`: one page of docs plus the total, from one snapshot. */
  private page<T>(table: string, query: Query, toItem: (doc: { doc: string }) => T): Promise<Page<T>> {
    const q = compileQuery(query);
    return this.read(() => {
      const rows = this.statement(selectSql(table, q)).all(...q.params, q.limit, q.offset) as { doc: string }[];
      const { total } = this.statement(countSql(table, q)).get(...q.params) as { total: number };
      return { items: rows.map(toItem), limit: query.page.limit, offset: query.page.offset, total };
    });
  }

  queryRollouts(query: Query): Promise<Page<RolloutAggregate>> {
    return this.page('rollouts', query, (row) => {
      const rollout = fromDoc<Rollout>(row);
      const attempts = (this.st.selectAttempts.all(rollout.rolloutId) as { doc: string }[]).map((r) => fromDoc<Attempt>(r));
      return { rollout, attempts };
    });
  }

  queryAttempts(query: Query): Promise<Page<Attempt>> {
    return this.page('attempts', query, (row) => fromDoc<Attempt>(row));
  }

  dueRollouts(now: number, limit: number): Promise<string[]> {
    return this.read(() => (this.st.dueRollouts.all(now, limit) as { rollout_id: string }[]).map((r) => r.rollout_id));
  }

  reserveSequenceIds(rolloutId: string, reservation: SequenceReservation): Promise<number> {
    return this.write(() => {
      const row = this.st.selectCounter.get(rolloutId) as { span_counter: number } | undefined;
      if (!row) throw rolloutNotFound(rolloutId);
      const { first, counter } = reserveFromCounter(row.span_counter, reservation);
      this.st.updateCounter.run(counter, rolloutId);
      return first;
    });
  }

  appendSpans(
    groups: readonly SpanGroup[],
    heartbeat: (agg: RolloutAggregate, attemptId: string) => RolloutChange<void>,
  ): Promise<SpanGroupResult[]> {
    return this.write(() =>
      groups.map((group): SpanGroupResult => {
        const loaded = this.load(group.rolloutId);
        if (!loaded) return { kind: 'rollout-not-found' };
        if (!loaded.agg.attempts.some((a) => a.attemptId === group.attemptId)) return { kind: 'attempt-not-found' };
        const numbered = numberNewSpans(group.spans, loaded.spanCounter, (key) => this.st.spanExists.get(...key.split('\u0000')) !== undefined);
        this.st.updateCounter.run(numbered.counter, group.rolloutId);
        const stored = numbered.spans.map((span) => (span !== null && this.st.insertSpan.run(spanRow(span)).changes === 1 ? span : null));
        if (stored.some((s) => s !== null)) this.persist(loaded, heartbeat(loaded.agg, group.attemptId));
        return { kind: 'stored', stored };
      }),
    );
  }

  querySpans(query: Query): Promise<Page<Span>> {
    return this.page('spans', query, (row) => fromDoc<Span>(row));
  }

  insertResources(resources: ResourcesUpdate): Promise<void> {
    return this.write(() => {
      if (this.st.selectResources.get(resources.resourcesId)) throw resourcesExist(resources.resourcesId);
      this.st.upsertResources.run(resourcesRow(resources, (this.st.nextWritten.get() as { n: number }).n));
    });
  }

  changeResources(resourcesId: string, rule: (previous: ResourcesUpdate | null) => ResourcesUpdate): Promise<ResourcesUpdate> {
    return this.write(() => {
      const row = this.st.selectResources.get(resourcesId) as { doc: string } | undefined;
      const next = rule(row ? fromDoc<ResourcesUpdate>(row) : null);
      this.st.upsertResources.run(resourcesRow(next, (this.st.nextWritten.get() as { n: number }).n));
      return next;
    });
  }

  getResources(resourcesId: string): Promise<ResourcesUpdate | null> {
    return this.read(() => {
      const row = this.st.selectResources.get(resourcesId) as { doc: string } | undefined;
      return row ? fromDoc<ResourcesUpdate>(row) : null;
    });
  }

  latestResources(): Promise<ResourcesUpdate | null> {
    return this.read(() => {
      const row = this.st.latestResources.get() as { doc: string } | undefined;
      return row ? fromDoc<ResourcesUpdate>(row) : null;
    });
  }

  queryResources(query: Query): Promise<Page<ResourcesUpdate>> {
    return this.page('resources', query, (row) => fromDoc<ResourcesUpdate>(row));
  }

  changeWorkers(changes: readonly WorkerChange[]): Promise<Worker[]> {
    return this.write(() => this.applyWorkers(changes));
  }

  getWorker(workerId: string): Promise<Worker | null> {
    return this.read(() => {
      const row = this.st.selectWorker.get(workerId) as { doc: string } | undefined;
      return row ? fromDoc<Worker>(row) : null;
    });
  }

  queryWorkers(query: Query): Promise<Page<Worker>> {
    return this.page('workers', query, (row) => fromDoc<Worker>(row));
  }

  counts(): Promise<BackendCounts> {
    // The counts table is kept by triggers in every write's transaction (schema v2): a few rows, not a scan.
    return this.read(() => {
      const rows = new Map((this.st.selectCounts.all() as { name: string; n: number }[]).map((r) => [r.name, r.n]));
      const byStatus: [string, number][] = [...rows]
        .filter(([name, n]) => name.startsWith('status:') && n > 0)
        .map(([name, n]) => [name.slice('status:'.length), n]);
      return {
        rollouts: rows.get('rollouts') ?? 0,
        attempts: rows.get('attempts') ?? 0,
        spans: rows.get('spans') ?? 0,
        resources: rows.get('resources') ?? 0,
        workers: rows.get('workers') ?? 0,
        rolloutsByStatus: Object.fromEntries(byStatus),
      };
    });
  }

  /**
   * Reads once; after a write failed on a storage fault, writes once instead (the schema version, set
   * to what it is), so that health stays NOT_SERVING until writes succeed again.
   */
  ping(): Promise<void> {
    if (this.writeFault !== null) return this.write(() => void this.db.pragma(`user_version = ${SCHEMA_VERSION}`));
    return this.read(() => {
      this.st.ping.get();
    });
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }

  /** SQL of the prepared hot-path statements, by name (for tests that check index use). */
  statementSql(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.st).map(([name, stmt]) => [name, stmt.source]));
  }

  /** The query plan SQLite picks for a statement (for tests that check index use). */
  explain(sql: string, ...params: unknown[]): string[] {
    return (this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
  }
}
