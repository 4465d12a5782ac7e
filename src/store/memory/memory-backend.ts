import type { RolloutChange, WorkerChange } from '../../domain/changes';
import { failedPrecondition } from '../../domain/errors';
import { quote, resourcesExist, rolloutExists, rolloutNotFound } from '../../domain/messages';
import type { Page, Query } from '../../domain/query';
import { runQuery } from '../../domain/query';
import type { Attempt, ResourcesUpdate, RolloutAggregate, Span, Worker } from '../../domain/records';
import { numberNewSpans, reserveFromCounter } from '../../domain/sequence-rules';
import type { SequenceReservation } from '../../domain/sequence-rules';
import { spanKey } from '../../domain/span-rules';
import { queuePosition } from '../../domain/queue-rules';
import { spanBytes } from '../../domain/span-size';
import { isTerminalRollout } from '../../domain/status';
import { watchDeadline } from '../../domain/watchdog-rules';
import type { Backend, BackendCapabilities, BackendCounts, RolloutRule, SpanGroup, SpanGroupResult } from '../backend';
import { frozenCopy } from './freeze';
import { aggregateBytes, defaultMemoryLimitBytes, MemoryLedger } from './memory-limit';
import { Queue } from './queue';

interface RolloutEntry {
  agg: RolloutAggregate;
  queuePos: number | null;
}

interface SpanLog {
  readonly spans: Span[];
  readonly keys: Set<string>;
  counter: number;
}

/** Options of the memory backend. */
export interface MemoryBackendOptions {
  /** Bytes (estimated) the backend may hold; default a quarter of the process's heap limit (defaultMemoryLimitBytes). */
  readonly limitBytes?: number;
}

/**
 * Everything in process memory: fast, and gone when the process exits. Every method runs synchronously
 * to completion, which makes each one atomic on Node's single thread. Stored records are frozen, so no
 * caller can change them by reference. Past its limit it drops the spans of finished rollouts, oldest
 * finish first (querying them is then FAILED_PRECONDITION, and statistics count them as evicted); with
 * nothing left to drop it refuses new rollouts, spans and resources with RESOURCE_EXHAUSTED, while
 * status changes (which let rollouts finish) still go through.
 */
export class MemoryBackend implements Backend {
  readonly name = 'memory';
  /** What this backend offers (see BackendCapabilities). */
  static readonly capabilities: BackendCapabilities = { sharedStorage: true, codePointOrder: true };
  readonly capabilities = MemoryBackend.capabilities;
  private readonly rollouts = new Map<string, RolloutEntry>();
  private readonly queue = new Queue();
  private readonly deadlines = new Map<string, number>();
  private readonly spans = new Map<string, SpanLog>();
  private readonly resources = new Map<string, { record: ResourcesUpdate; written: number }>();
  private readonly workers = new Map<string, Worker>();
  private writes = 0;
  private spanCount = 0;
  private attemptCount = 0;
  private evictedSpans = 0;
  private readonly ledger: MemoryLedger;

  constructor(options: MemoryBackendOptions = {}) {
    this.ledger = new MemoryLedger(options.limitBytes ?? defaultMemoryLimitBytes());
  }

  private store(id: string, entry: RolloutEntry, next: RolloutAggregate, enqueue: boolean): void {
    this.attemptCount += next.attempts.length - entry.agg.attempts.length;
    this.ledger.resize(aggregateBytes(next) - aggregateBytes(entry.agg));
    this.ledger.setFinished(id, isTerminalRollout(next.rollout.status));
    entry.agg = frozenCopy(next);
    entry.queuePos = queuePosition(next.rollout.status, enqueue, entry.queuePos, () => this.queue.push(id));
    const deadline = watchDeadline(next);
    if (deadline === null) this.deadlines.delete(id);
    else this.deadlines.set(id, deadline);
  }

  private apply<R>(id: string, entry: RolloutEntry, change: RolloutChange<R>): R {
    if (change.next) this.store(id, entry, change.next, change.enqueue);
    this.applyWorkers(change.workers);
    return change.result;
  }

  private applyWorkers(changes: readonly WorkerChange[]): Worker[] {
    return changes.map((c) => {
      const worker = frozenCopy(c.apply(this.workers.get(c.workerId) ?? null));
      this.workers.set(c.workerId, worker);
      return worker;
    });
  }

  /** Drops the spans the ledger picks (see MemoryLedger.takeVictims); keys and counters stay. */
  private evict(): void {
    for (const id of this.ledger.takeVictims()) {
      const log = this.spans.get(id);
      if (!log) continue;
      this.spanCount -= log.spans.length;
      this.evictedSpans += log.spans.length;
      log.spans.length = 0;
    }
  }

  /** Evicts what it may; a rejection with RESOURCE_EXHAUSTED if the backend is still past its limit, else null. */
  private refusal(): Promise<never> | null {
    this.evict();
    const full = this.ledger.fullError();
    return full ? Promise.reject(full) : null;
  }

  insertRollouts(aggs: readonly RolloutAggregate[]): Promise<void> {
    const full = this.refusal();
    if (full) return full;
    const seen = new Set<string>();
    for (const { rollout } of aggs) {
      if (this.rollouts.has(rollout.rolloutId) || seen.has(rollout.rolloutId)) {
        return Promise.reject(rolloutExists(rollout.rolloutId));
      }
      seen.add(rollout.rolloutId);
    }
    for (const agg of aggs) {
      const id = agg.rollout.rolloutId;
      const entry: RolloutEntry = { agg: { rollout: agg.rollout, attempts: [] }, queuePos: null };
      this.ledger.resize(aggregateBytes(entry.agg));
      this.rollouts.set(id, entry);
      this.store(id, entry, agg, false);
    }
    return Promise.resolve();
  }

  getRollouts(ids: readonly string[]): Promise<Map<string, RolloutAggregate>> {
    const found = new Map<string, RolloutAggregate>();
    for (const id of ids) {
      const entry = this.rollouts.get(id);
      if (entry) found.set(id, entry.agg);
    }
    return Promise.resolve(found);
  }

  // Async methods here never await, so each still runs to completion before any other call starts.
  async changeRollout<R>(rolloutId: string, rule: RolloutRule<R>): Promise<R> {
    const entry = this.rollouts.get(rolloutId);
    if (!entry) throw rolloutNotFound(rolloutId);
    return Promise.resolve(this.apply(rolloutId, entry, rule(entry.agg)));
  }

  async claimNext<R>(rule: RolloutRule<R>): Promise<R | null> {
    for (;;) {
      const head = this.queue.peek();
      if (head === null) return null;
      const entry = this.rollouts.get(head.id);
      // A rollout holds a position only while queued (queuePosition), so a stale entry never matches.
      if (!entry || entry.queuePos !== head.pos) {
        this.queue.shift();
        continue;
      }
      const change = rule(entry.agg);
      this.queue.shift();
      entry.queuePos = null;
      return Promise.resolve(this.apply(head.id, entry, change));
    }
  }

  queryRollouts(query: Query): Promise<Page<RolloutAggregate>> {
    const aggs = [...this.rollouts.values()].map((e) => e.agg);
    return Promise.resolve(runQuery(aggs, query, (a) => a.rollout));
  }

  queryAttempts(query: Query): Promise<Page<Attempt>> {
    const rolloutId = query.filter.must.find((c) => c.field === 'rolloutId' && c.op === 'eq');
    const source =
      rolloutId && rolloutId.op === 'eq'
        ? (this.rollouts.get(rolloutId.value)?.agg.attempts ?? [])
        : [...this.rollouts.values()].flatMap((e) => e.agg.attempts);
    return Promise.resolve(runQuery(source, query));
  }

  dueRollouts(now: number, limit: number): Promise<string[]> {
    const due = [...this.deadlines].filter(([, d]) => d < now).sort((a, b) => a[1] - b[1]);
    return Promise.resolve(due.slice(0, limit).map(([id]) => id));
  }

  private log(rolloutId: string): SpanLog {
    let log = this.spans.get(rolloutId);
    if (!log) this.spans.set(rolloutId, (log = { spans: [], keys: new Set(), counter: 0 }));
    return log;
  }

  reserveSequenceIds(rolloutId: string, reservation: SequenceReservation): Promise<number> {
    const log = this.log(rolloutId);
    const { first, counter } = reserveFromCounter(log.counter, reservation);
    log.counter = counter;
    return Promise.resolve(first);
  }

  appendSpans(
    groups: readonly SpanGroup[],
    heartbeat: (agg: RolloutAggregate, attemptId: string) => RolloutChange<void>,
  ): Promise<SpanGroupResult[]> {
    const full = this.refusal();
    if (full) return full;
    const results = groups.map((group): SpanGroupResult => {
      const entry = this.rollouts.get(group.rolloutId);
      if (!entry) return { kind: 'rollout-not-found' };
      if (!entry.agg.attempts.some((a) => a.attemptId === group.attemptId)) return { kind: 'attempt-not-found' };
      const log = this.log(group.rolloutId);
      const numbered = numberNewSpans(group.spans, log.counter, (key) => log.keys.has(key));
      log.counter = numbered.counter;
      const stored = numbered.spans.map((span) => {
        if (span === null) return null;
        const frozen = frozenCopy(span);
        log.keys.add(spanKey(frozen));
        log.spans.push(frozen);
        this.ledger.addSpans(group.rolloutId, spanBytes(frozen));
        this.spanCount += 1;
        return frozen;
      });
      if (stored.some((s) => s !== null)) this.apply(group.rolloutId, entry, heartbeat(entry.agg, group.attemptId));
      return { kind: 'stored', stored };
    });
    this.evict();
    return Promise.resolve(results);
  }

  querySpans(query: Query): Promise<Page<Span>> {
    const rolloutId = query.filter.must.find((c) => c.field === 'rolloutId' && c.op === 'eq');
    if (rolloutId?.op === 'eq' && this.ledger.evicted.has(rolloutId.value)) {
      return Promise.reject(failedPrecondition(`Spans for rollout ${quote(rolloutId.value)} have been evicted (memory backend limit)`));
    }
    const source =
      rolloutId && rolloutId.op === 'eq'
        ? (this.spans.get(rolloutId.value)?.spans ?? [])
        : [...this.spans.values()].flatMap((l) => l.spans);
    return Promise.resolve(runQuery(source, query));
  }

  insertResources(resources: ResourcesUpdate): Promise<void> {
    if (this.resources.has(resources.resourcesId)) {
      return Promise.reject(resourcesExist(resources.resourcesId));
    }
    const full = this.refusal();
    if (full) return full;
    this.ledger.resize(JSON.stringify(resources).length);
    this.resources.set(resources.resourcesId, { record: frozenCopy(resources), written: ++this.writes });
    return Promise.resolve();
  }

  changeResources(resourcesId: string, rule: (previous: ResourcesUpdate | null) => ResourcesUpdate): Promise<ResourcesUpdate> {
    const full = this.refusal();
    if (full) return full;
    const record = frozenCopy(rule(this.resources.get(resourcesId)?.record ?? null));
    const entry = this.resources.get(resourcesId);
    this.ledger.resize(JSON.stringify(record).length - (entry ? JSON.stringify(entry.record).length : 0));
    if (entry) Object.assign(entry, { record, written: ++this.writes });
    else this.resources.set(resourcesId, { record, written: ++this.writes });
    return Promise.resolve(record);
  }

  getResources(resourcesId: string): Promise<ResourcesUpdate | null> {
    return Promise.resolve(this.resources.get(resourcesId)?.record ?? null);
  }

  latestResources(): Promise<ResourcesUpdate | null> {
    let best: { record: ResourcesUpdate; written: number } | null = null;
    for (const e of this.resources.values()) {
      if (!best || e.record.updateTime > best.record.updateTime || (e.record.updateTime === best.record.updateTime && e.written > best.written)) {
        best = e;
      }
    }
    return Promise.resolve(best?.record ?? null);
  }

  queryResources(query: Query): Promise<Page<ResourcesUpdate>> {
    return Promise.resolve(runQuery([...this.resources.values()].map((e) => e.record), query));
  }

  changeWorkers(changes: readonly WorkerChange[]): Promise<Worker[]> {
    return Promise.resolve(this.applyWorkers(changes));
  }

  getWorker(workerId: string): Promise<Worker | null> {
    return Promise.resolve(this.workers.get(workerId) ?? null);
  }

  queryWorkers(query: Query): Promise<Page<Worker>> {
    return Promise.resolve(runQuery(this.workers.values(), query));
  }

  counts(): Promise<BackendCounts> {
    const rolloutsByStatus: Record<string, number> = {};
    for (const { agg } of this.rollouts.values()) {
      rolloutsByStatus[agg.rollout.status] = (rolloutsByStatus[agg.rollout.status] ?? 0) + 1;
    }
    return Promise.resolve({
      rollouts: this.rollouts.size,
      attempts: this.attemptCount,
      spans: this.spanCount,
      resources: this.resources.size,
      workers: this.workers.size,
      evictedSpans: this.evictedSpans,
      rolloutsByStatus,
    });
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
