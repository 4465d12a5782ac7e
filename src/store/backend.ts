import type { RolloutChange, WorkerChange } from '../domain/changes';
import type { Page, Query } from '../domain/query';
import type {
  Attempt,
  NewSpan,
  ResourcesUpdate,
  RolloutAggregate,
  RolloutStatus,
  Span,
  Worker,
} from '../domain/records';
import type { SequenceReservation } from '../domain/sequence-rules';

/** A rule the engine hands to a backend: computes the change to one rollout aggregate. Pure and synchronous. */
export type RolloutRule<R> = (agg: RolloutAggregate) => RolloutChange<R>;

/** Spans of one (rollout, attempt) pair, in submission order. */
export interface SpanGroup {
  readonly rolloutId: string;
  readonly attemptId: string;
  readonly spans: readonly NewSpan[];
}

/** The outcome for one span group; `stored` holds, per input span, the stored span or null for a duplicate. */
export type SpanGroupResult =
  | { readonly kind: 'stored'; readonly stored: readonly (Span | null)[] }
  | { readonly kind: 'rollout-not-found' }
  | { readonly kind: 'attempt-not-found' };

/** Record counts kept by a backend. */
export interface BackendCounts {
  readonly rollouts: number;
  readonly attempts: number;
  readonly spans: number;
  readonly resources: number;
  readonly workers: number;
  /** Spans dropped to stay within a memory limit (memory backend); absent: the backend never drops any. */
  readonly evictedSpans?: number;
  readonly rolloutsByStatus: Partial<Record<RolloutStatus, number>>;
}

/**
 * What a backend offers beyond the Store contract. Tests (the conformance suite) and operators branch on
 * these, never on a backend's name.
 */
export interface BackendCapabilities {
  /** Several stores can be opened over one storage (servers sharing a file or a database; stores sharing one memory backend object). */
  readonly sharedStorage: boolean;
  /** Strings sort by Unicode code point, as the domain requires (a server may fall short: see the MongoDB test servers). */
  readonly codePointOrder: boolean;
}

/**
 * Storage primitives. Each method is atomic on its own; backends persist what the domain rules compute
 * and never decide state transitions themselves. The queue is not a separate structure: it is the set of
 * queued rollouts ordered by the position each got when it (re-)entered the queue.
 */
export interface Backend {
  readonly name: string;
  readonly capabilities: BackendCapabilities;

  /** Inserts new rollouts; queued ones join the queue tail in the given order. ALREADY_EXISTS on an id clash. */
  insertRollouts(aggs: readonly RolloutAggregate[]): Promise<void>;
  /** The aggregates that exist among `ids`. */
  getRollouts(ids: readonly string[]): Promise<Map<string, RolloutAggregate>>;
  /** Applies `rule` to the current aggregate atomically and persists the change. NOT_FOUND if missing. */
  changeRollout<R>(rolloutId: string, rule: RolloutRule<R>): Promise<R>;
  /** Applies `rule` atomically to the queued rollout at the head of the queue; null if the queue is empty. */
  claimNext<R>(rule: RolloutRule<R>): Promise<R | null>;
  /** Aggregates matching a rollout query (conditions on rollout fields). */
  queryRollouts(query: Query): Promise<Page<RolloutAggregate>>;
  /** Attempts matching a query. */
  queryAttempts(query: Query): Promise<Page<Attempt>>;
  /**
   * Ids of rollouts whose watchdog deadline is before `now`, earliest first, at most `limit`. A backend
   * shared by several servers may answer none to all but one of them for a pass (a watchdog lease).
   */
  dueRollouts(now: number, limit: number): Promise<string[]>;

  /** Reserves sequence ids on the rollout's counter; returns the first newly issued number. */
  reserveSequenceIds(rolloutId: string, reservation: SequenceReservation): Promise<number>;
  /**
   * Stores span groups. Per group: checks that the rollout and attempt exist, numbers the new spans
   * with `numberNewSpans` (duplicates by key never move the counter), inserts them, and applies
   * `heartbeat` if any span was new.
   */
  appendSpans(
    groups: readonly SpanGroup[],
    heartbeat: (agg: RolloutAggregate, attemptId: string) => RolloutChange<void>,
  ): Promise<SpanGroupResult[]>;
  /** Spans matching a query. */
  querySpans(query: Query): Promise<Page<Span>>;

  /** Inserts a new snapshot. ALREADY_EXISTS on an id clash. */
  insertResources(resources: ResourcesUpdate): Promise<void>;
  /** Upserts a snapshot computed from the current one (null when missing), atomically. */
  changeResources(
    resourcesId: string,
    rule: (previous: ResourcesUpdate | null) => ResourcesUpdate,
  ): Promise<ResourcesUpdate>;
  /** One snapshot, or null. */
  getResources(resourcesId: string): Promise<ResourcesUpdate | null>;
  /** The snapshot with the greatest update time (ties: the one written last), or null. */
  latestResources(): Promise<ResourcesUpdate | null>;
  /** Snapshots matching a query. */
  queryResources(query: Query): Promise<Page<ResourcesUpdate>>;

  /** Applies worker upserts, each atomically; returns the new records in order. */
  changeWorkers(changes: readonly WorkerChange[]): Promise<Worker[]>;
  /** One worker, or null. */
  getWorker(workerId: string): Promise<Worker | null>;
  /** Workers matching a query. */
  queryWorkers(query: Query): Promise<Page<Worker>>;

  /** Record counts. */
  counts(): Promise<BackendCounts>;
  /** Resolves when the backend answers; rejects with UNAVAILABLE otherwise. */
  ping(): Promise<void>;
  /** Releases connections and files. */
  close(): Promise<void>;
}
