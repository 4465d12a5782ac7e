import type { Clock } from '../domain/clock';
import { systemClock } from '../domain/clock';
import { checkId } from '../domain/input-limits';
import { alreadyExists, hasCode, invalidArgument, StoreError } from '../domain/errors';
import { attemptNotFound, quote, resourcesNotFound, rolloutNotFound, storeClosed, workerNotFound } from '../domain/messages';
import { checkJson } from '../domain/json';
import type { IdGenerator } from '../domain/ids';
import { randomIds } from '../domain/ids';
import type { Page } from '../domain/query';
import type {
  Attempt,
  AttemptedRollout,
  JsonText,
  NamedResources,
  NewSpan,
  ResourcesUpdate,
  Rollout,
  RolloutAggregate,
  RolloutSpec,
  Span,
  Worker,
} from '../domain/records';
import { ROLLOUT_STATUSES } from '../domain/records';
import { checkResources, createResources, replaceResources } from '../domain/resources-rules';
import type { AttemptUpdate, RolloutUpdate } from '../domain/rollout-rules';
import {
  claimRollout,
  createRollout,
  heartbeatAttempt,
  latestAttempt,
  startAttempt,
  toAttemptedRollout,
  updateAttempt,
  updateRollout,
} from '../domain/rollout-rules';
import { checkAttemptUpdate, checkNewSpan, checkRolloutSpec, checkRolloutUpdate } from '../domain/spec-rules';
import { isTerminalRollout } from '../domain/status';
import { applyWatchdog } from '../domain/watchdog-rules';
import { heartbeatWorker, workerBusy, workerFoundNothing } from '../domain/worker-rules';
import type { Backend, RolloutRule, SpanGroup } from './backend';
import { Completions } from './completions';
import { attemptQuery, resourcesQuery, rolloutQuery, spanQuery, workerQuery } from './queries';
import type {
  QueryWindow,
  ResourcesIdOptions,
  ResourcesQuery,
  RolloutQuery,
  SequenceTarget,
  SpanOutcome,
  SpanQuery,
  Store,
  StoreStatistics,
  WorkerQuery,
} from './store';

/**
 * How many ids a call draws before it gives up when each is taken. With the reference's id lengths a
 * second clash in a row is already improbable (2^-48 for a rollout); the bound only stops a broken
 * generator from looping.
 */
const ID_DRAWS = 8;

/** Options of the store engine. */
export interface LightningStoreOptions {
  readonly backend: Backend;
  /** Time source of every timestamp, wait timeout and re-read interval; default the system clock. */
  readonly clock?: Clock;
  /** Id source; default random ids with the reference prefixes. */
  readonly ids?: IdGenerator;
  /**
   * How often a waiting waitForRollouts re-reads the backend even without an in-process signal, in ms of
   * the clock's time (changes made by other server processes); default 500.
   */
  readonly waitPollMs?: number;
  /** Most rollouts one watchdog pass examines; default 1000. */
  readonly watchdogBatch?: number;
}

/**
 * The store: validates input, runs the domain rules and lets the backend persist their results. One
 * implementation for every backend.
 */
export class LightningStore implements Store {
  readonly backendName: string;
  private readonly storage: Backend;
  private readonly clock: Clock;
  private readonly ids: IdGenerator;
  private readonly waitPollMs: number;
  private readonly watchdogBatch: number;
  private readonly completions: Completions;
  private readonly startedAt: number;
  private closed = false;

  constructor(options: LightningStoreOptions) {
    this.storage = options.backend;
    this.backendName = options.backend.name;
    this.clock = options.clock ?? systemClock;
    this.completions = new Completions(this.clock);
    this.ids = options.ids ?? randomIds;
    this.waitPollMs = options.waitPollMs ?? 500;
    this.watchdogBatch = options.watchdogBatch ?? 1000;
    this.startedAt = this.clock.now();
  }

  /**
   * The backend, for as long as the store is open. Every backend call goes through here, so that no
   * backend is reached after close(), whatever was in flight when it came.
   */
  private get backend(): Backend {
    this.checkOpen();
    return this.storage;
  }

  /** Every method starts here: after close() each one fails the same way, before reading its input. */
  private checkOpen(): void {
    if (this.closed) throw storeClosed();
  }

  /** Runs a rule on one rollout and signals waiters if the rollout finished. */
  private async change<R>(rolloutId: string, rule: RolloutRule<R>): Promise<R> {
    checkId(rolloutId, 'rollout_id');
    let finished = false;
    const result = await this.backend.changeRollout(rolloutId, (agg) => {
      const change = rule(agg);
      finished = change.next !== null && isTerminalRollout(change.next.rollout.status);
      return change;
    });
    if (finished) this.completions.signal([rolloutId]);
    return result;
  }

  private async checkResourcesExist(resourcesId: string | null | undefined, options: ResourcesIdOptions | undefined): Promise<void> {
    if (options?.acceptUnknownResources) return;
    if (typeof resourcesId === 'string' && !(await this.backend.getResources(resourcesId))) {
      throw resourcesNotFound(resourcesId);
    }
  }

  /** Fills a missing resources id with the latest snapshot's, and checks a given one exists (unless told not to). */
  private async resolveSpecs(specs: readonly RolloutSpec[], options: ResourcesIdOptions | undefined): Promise<RolloutSpec[]> {
    const checked = specs.map(checkRolloutSpec);
    let latest: string | null | undefined;
    for (const spec of checked) await this.checkResourcesExist(spec.resourcesId, options);
    if (checked.some((s) => s.resourcesId === null)) latest = (await this.backend.latestResources())?.resourcesId ?? null;
    return checked.map((s) => (s.resourcesId === null ? { ...s, resourcesId: latest ?? null } : s));
  }

  /**
   * Runs `insert`, which draws fresh ids on every call, again while the backend answers ALREADY_EXISTS:
   * an id taken here, by another server on the same storage, or by a caller's chosen resources id. The
   * backends insert all or nothing, so a refused call left nothing behind.
   */
  private async withFreshIds<T>(insert: () => Promise<T>): Promise<T> {
    for (let draw = 1; ; draw++) {
      try {
        return await insert();
      } catch (err) {
        if (!hasCode(err, 'ALREADY_EXISTS') || draw >= ID_DRAWS) throw err;
      }
    }
  }

  /** Inserts the aggregates `make` builds, drawing their rollout ids again while one is taken. */
  private insertFresh(make: () => RolloutAggregate[]): Promise<RolloutAggregate[]> {
    return this.withFreshIds(async () => {
      const aggs = make();
      await this.backend.insertRollouts(aggs);
      return aggs;
    });
  }

  /** An attempt id the rollout does not have yet (attempt ids are unique within their rollout only). */
  private freshAttemptId(agg: RolloutAggregate): string {
    for (let draw = 1; ; draw++) {
      const id = this.ids.attemptId();
      if (!agg.attempts.some((a) => a.attemptId === id)) return id;
      if (draw >= ID_DRAWS) throw alreadyExists(`Attempt ${quote(id)} of rollout ${quote(agg.rollout.rolloutId)} already exists`);
    }
  }

  async startRollout(spec: RolloutSpec, workerId: string | null, options?: ResourcesIdOptions): Promise<AttemptedRollout> {
    this.checkOpen();
    const [resolved] = await this.resolveSpecs([spec], options);
    const worker = workerId === null || workerId === '' ? null : checkId(workerId, 'worker_id');
    const now = this.clock.now();
    // The attempt id is unique within its new rollout whatever it is: only the rollout id is redrawn.
    const first = { attemptId: this.ids.attemptId(), workerId: worker };
    const [agg] = await this.insertFresh(() => [createRollout(resolved!, this.ids.rolloutId(), now, first)]);
    const attempt = agg!.attempts[0]!;
    if (worker) {
      await this.backend.changeWorkers([workerBusy(worker, attempt.rolloutId, attempt.attemptId, this.clock.now(), false)]);
    }
    return { rollout: agg!.rollout, attempt };
  }

  async enqueueRollouts(specs: readonly RolloutSpec[], options?: ResourcesIdOptions): Promise<Rollout[]> {
    this.checkOpen();
    if (specs.length === 0) return [];
    const resolved = await this.resolveSpecs(specs, options);
    const now = this.clock.now();
    const aggs = await this.insertFresh(() => resolved.map((spec) => createRollout(spec, this.ids.rolloutId(), now, null)));
    return aggs.map((a) => a.rollout);
  }

  async dequeueRollouts(limit: number, workerId: string | null): Promise<AttemptedRollout[]> {
    this.checkOpen();
    if (!Number.isInteger(limit) || limit < 1) throw invalidArgument(`limit must be an integer >= 1, got ${limit}`);
    const worker = workerId === null || workerId === '' ? null : checkId(workerId, 'worker_id');
    const claimed: AttemptedRollout[] = [];
    while (claimed.length < limit) {
      const next = await this.backend.claimNext((agg) => claimRollout(agg, this.freshAttemptId(agg), worker, this.clock.now()));
      if (next === null) break;
      claimed.push(next);
    }
    if (claimed.length === 0 && worker) await this.backend.changeWorkers([workerFoundNothing(worker, this.clock.now())]);
    return claimed;
  }

  async startAttempt(rolloutId: string, workerId: string | null): Promise<AttemptedRollout> {
    this.checkOpen();
    const worker = workerId === null || workerId === '' ? null : checkId(workerId, 'worker_id');
    return this.change(rolloutId, (agg) => startAttempt(agg, this.freshAttemptId(agg), worker, this.clock.now()));
  }

  async updateRollout(rolloutId: string, update: RolloutUpdate, options?: ResourcesIdOptions): Promise<Rollout> {
    this.checkOpen();
    const checked = checkRolloutUpdate(update);
    await this.checkResourcesExist(checked.resourcesId, options);
    return this.change(rolloutId, (agg) => updateRollout(agg, checked, this.clock.now()));
  }

  async updateAttempt(rolloutId: string, attemptRef: string, update: AttemptUpdate): Promise<Attempt> {
    this.checkOpen();
    checkId(attemptRef, 'attempt_id');
    const checked = checkAttemptUpdate(update);
    return this.change(rolloutId, (agg) => updateAttempt(agg, attemptRef, checked, this.clock.now()));
  }

  private async aggregate(rolloutId: string) {
    checkId(rolloutId, 'rollout_id');
    const agg = (await this.backend.getRollouts([rolloutId])).get(rolloutId);
    if (!agg) throw rolloutNotFound(rolloutId);
    return agg;
  }

  async getRollout(rolloutId: string): Promise<AttemptedRollout> {
    this.checkOpen();
    return toAttemptedRollout(await this.aggregate(rolloutId));
  }

  async queryRollouts(query: RolloutQuery): Promise<Page<AttemptedRollout>> {
    this.checkOpen();
    const page = await this.backend.queryRollouts(rolloutQuery(query));
    return { ...page, items: page.items.map(toAttemptedRollout) };
  }

  async queryAttempts(rolloutId: string, window: QueryWindow): Promise<Page<Attempt>> {
    this.checkOpen();
    const q = attemptQuery(rolloutId, window);
    await this.aggregate(rolloutId);
    return this.backend.queryAttempts(q);
  }

  async getLatestAttempt(rolloutId: string): Promise<Attempt | null> {
    this.checkOpen();
    return latestAttempt(await this.aggregate(rolloutId));
  }

  async addSpans(spans: readonly NewSpan[], options: { readonly atomic: boolean }): Promise<SpanOutcome[]> {
    this.checkOpen();
    const outcomes = new Array<SpanOutcome | undefined>(spans.length);
    const groups = new Map<string, { group: SpanGroup & { spans: NewSpan[] }; positions: number[] }>();
    spans.forEach((raw, i) => {
      let span: NewSpan;
      try {
        span = checkNewSpan(raw);
      } catch (err) {
        if (options.atomic || !(err instanceof StoreError)) throw err;
        outcomes[i] = { kind: 'rejected', error: err };
        return;
      }
      const key = `${span.rolloutId}\u0000${span.attemptId}`;
      let entry = groups.get(key);
      if (!entry) groups.set(key, (entry = { group: { rolloutId: span.rolloutId, attemptId: span.attemptId, spans: [] }, positions: [] }));
      entry.group.spans.push(span);
      entry.positions.push(i);
    });
    const entries = [...groups.values()];
    if (options.atomic) await this.checkSpanOwners(entries.map((e) => e.group));
    const results = await this.backend.appendSpans(
      entries.map((e) => e.group),
      (agg, attemptId) => heartbeatAttempt(agg, attemptId, this.clock.now()),
    );
    results.forEach((result, g) => {
      const { group, positions } = entries[g]!;
      positions.forEach((position, j) => {
        if (result.kind === 'stored') {
          const stored = result.stored[j];
          outcomes[position] = stored ? { kind: 'stored', span: stored } : { kind: 'duplicate' };
        } else {
          outcomes[position] = { kind: 'rejected', error: ownerError(result.kind, group) };
        }
      });
    });
    return outcomes.map((o) => o ?? { kind: 'duplicate' });
  }

  private async checkSpanOwners(groups: readonly SpanGroup[]): Promise<void> {
    const aggs = await this.backend.getRollouts([...new Set(groups.map((g) => g.rolloutId))]);
    for (const group of groups) {
      const agg = aggs.get(group.rolloutId);
      if (!agg) throw ownerError('rollout-not-found', group);
      if (!agg.attempts.some((a) => a.attemptId === group.attemptId)) throw ownerError('attempt-not-found', group);
    }
  }

  async nextSequenceIds(targets: readonly SequenceTarget[]): Promise<number[]> {
    this.checkOpen();
    const counts = new Map<string, number>();
    for (const t of targets) counts.set(checkId(t.rolloutId, 'rollout_id'), (counts.get(t.rolloutId) ?? 0) + 1);
    const aggs = await this.backend.getRollouts([...counts.keys()]);
    for (const id of counts.keys()) if (!aggs.has(id)) throw rolloutNotFound(id);
    const next = new Map<string, number>();
    for (const [id, count] of counts) next.set(id, await this.backend.reserveSequenceIds(id, { raiseTo: 0, count }));
    return targets.map((t) => {
      const n = next.get(t.rolloutId)!;
      next.set(t.rolloutId, n + 1);
      return n;
    });
  }

  async querySpans(query: SpanQuery): Promise<Page<Span>> {
    this.checkOpen();
    const agg = await this.aggregate(query.rolloutId);
    let attemptId: string | null = null;
    if (query.attemptId === 'latest') {
      const latest = latestAttempt(agg);
      if (!latest) {
        const { page } = spanQuery(query, null); // validates the window like any other query
        return { items: [], limit: page.limit, offset: page.offset, total: 0 };
      }
      attemptId = latest.attemptId;
    } else if (query.attemptId !== undefined) {
      if (!agg.attempts.some((a) => a.attemptId === query.attemptId)) {
        throw attemptNotFound(query.rolloutId, query.attemptId);
      }
      attemptId = query.attemptId;
    }
    return this.backend.querySpans(spanQuery(query, attemptId));
  }

  async addResources(resources: NamedResources): Promise<ResourcesUpdate> {
    this.checkOpen();
    const checked = checkResources(resources);
    const now = this.clock.now();
    return this.withFreshIds(async () => {
      const record = createResources(this.ids.resourcesId(), checked, now);
      await this.backend.insertResources(record);
      return record;
    });
  }

  async updateResources(resourcesId: string, resources: NamedResources): Promise<ResourcesUpdate> {
    this.checkOpen();
    checkId(resourcesId, 'resources_id');
    const checked = checkResources(resources);
    return this.backend.changeResources(resourcesId, (prev) => replaceResources(prev, resourcesId, checked, this.clock.now()));
  }

  async getResources(resourcesId: string): Promise<ResourcesUpdate> {
    this.checkOpen();
    checkId(resourcesId, 'resources_id');
    const found = await this.backend.getResources(resourcesId);
    if (!found) throw resourcesNotFound(resourcesId);
    return found;
  }

  async getLatestResources(): Promise<ResourcesUpdate | null> {
    this.checkOpen();
    return this.backend.latestResources();
  }

  async queryResources(query: ResourcesQuery): Promise<Page<ResourcesUpdate>> {
    this.checkOpen();
    return this.backend.queryResources(resourcesQuery(query));
  }

  async getWorker(workerId: string): Promise<Worker> {
    this.checkOpen();
    checkId(workerId, 'worker_id');
    const found = await this.backend.getWorker(workerId);
    if (!found) throw workerNotFound(workerId);
    return found;
  }

  async queryWorkers(query: WorkerQuery): Promise<Page<Worker>> {
    this.checkOpen();
    return this.backend.queryWorkers(workerQuery(query));
  }

  async updateWorker(workerId: string, stats: JsonText | null): Promise<Worker> {
    this.checkOpen();
    checkId(workerId, 'worker_id');
    const checked = stats === null ? null : checkJson(stats, 'heartbeat_stats', 'object', '{}');
    const [worker] = await this.backend.changeWorkers([heartbeatWorker(workerId, checked, this.clock.now())]);
    return worker!;
  }

  async waitForRollouts(rolloutIds: readonly string[], timeoutSeconds: number, signal?: AbortSignal): Promise<Rollout[]> {
    this.checkOpen();
    if (!Number.isFinite(timeoutSeconds) || timeoutSeconds < 0) {
      throw invalidArgument(`timeout must be a finite number >= 0, got ${timeoutSeconds}`);
    }
    const unique = [...new Set(rolloutIds)];
    const deadline = this.clock.now() + timeoutSeconds;
    for (;;) {
      const aggs = await this.backend.getRollouts(unique);
      const missing = unique.find((id) => !aggs.has(id));
      if (missing !== undefined) throw rolloutNotFound(missing);
      const finished = () => rolloutIds.map((id) => aggs.get(id)!.rollout).filter((r) => isTerminalRollout(r.status));
      const pending = unique.filter((id) => !isTerminalRollout(aggs.get(id)!.rollout.status));
      const remaining = (deadline - this.clock.now()) * 1000;
      if (pending.length === 0 || remaining <= 0 || signal?.aborted) return finished();
      await this.completions.wait(pending, Math.min(remaining, this.waitPollMs), signal);
      // Closing wakes every waiter; answer with what was known rather than read a closed backend.
      if (this.closed) return finished();
    }
  }

  async runWatchdog(): Promise<number> {
    this.checkOpen();
    const due = await this.backend.dueRollouts(this.clock.now(), this.watchdogBatch);
    let applied = 0;
    for (const id of due) {
      const verdict = await this.change(id, (agg) => applyWatchdog(agg, this.clock.now()));
      if (verdict !== null) applied += 1;
    }
    return applied;
  }

  async statistics(): Promise<StoreStatistics> {
    this.checkOpen();
    const counts = await this.backend.counts();
    const byStatus = Object.fromEntries(ROLLOUT_STATUSES.map((s) => [s, counts.rolloutsByStatus[s] ?? 0]));
    return {
      backend: this.backendName,
      totalRollouts: counts.rollouts,
      totalAttempts: counts.attempts,
      totalSpans: counts.spans,
      totalResources: counts.resources,
      totalWorkers: counts.workers,
      evictedSpans: counts.evictedSpans ?? 0,
      uptimeSeconds: this.clock.now() - this.startedAt,
      rolloutsByStatus: byStatus as StoreStatistics['rolloutsByStatus'],
    };
  }

  async ping(): Promise<void> {
    this.checkOpen();
    return this.backend.ping();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.completions.signalAll();
    await this.storage.close();
  }
}

function ownerError(kind: 'rollout-not-found' | 'attempt-not-found', group: SpanGroup): StoreError {
  return kind === 'rollout-not-found'
    ? rolloutNotFound(group.rolloutId)
    : attemptNotFound(group.rolloutId, group.attemptId);
}
