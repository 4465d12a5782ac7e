import type { StoreError } from '../domain/errors';
import type { FilterLogic, Page, PageRequest, SortOrder } from '../domain/query';
import type {
  Attempt,
  AttemptedRollout,
  JsonText,
  NamedResources,
  NewSpan,
  ResourcesUpdate,
  Rollout,
  RolloutSpec,
  RolloutStatus,
  Span,
  Worker,
  WorkerStatus,
} from '../domain/records';
import type { AttemptUpdate, RolloutUpdate } from '../domain/rollout-rules';

/** A sort request by wire field name (snake_case, e.g. "start_time"). */
export interface SortRequest {
  readonly field: string;
  readonly order: SortOrder;
}

/** Paging and sorting shared by every query; absent sort means insertion order (or the kind's default). */
export interface QueryWindow {
  readonly sort?: SortRequest;
  readonly page?: PageRequest;
}

/** query_rollouts; an empty list condition matches nothing under AND. */
export interface RolloutQuery extends QueryWindow {
  readonly statusIn?: readonly RolloutStatus[];
  readonly rolloutIdIn?: readonly string[];
  readonly rolloutIdContains?: string;
  readonly logic?: FilterLogic;
}

/** query_spans; the rollout (and attempt, if given) always apply, the rest combine by `logic`. */
export interface SpanQuery extends QueryWindow {
  readonly rolloutId: string;
  /** An attempt id or "latest"; absent: every attempt. */
  readonly attemptId?: string;
  readonly traceId?: string;
  readonly traceIdContains?: string;
  readonly spanId?: string;
  readonly spanIdContains?: string;
  readonly parentId?: string;
  readonly parentIdContains?: string;
  readonly name?: string;
  readonly nameContains?: string;
  readonly logic?: FilterLogic;
}

/** query_resources; the two conditions are ANDed. */
export interface ResourcesQuery extends QueryWindow {
  readonly resourcesId?: string;
  readonly resourcesIdContains?: string;
}

/** query_workers. */
export interface WorkerQuery extends QueryWindow {
  readonly statusIn?: readonly WorkerStatus[];
  readonly workerIdContains?: string;
  readonly logic?: FilterLogic;
}

/** What happened to one submitted span. */
export type SpanOutcome =
  | { readonly kind: 'stored'; readonly span: Span }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'rejected'; readonly error: StoreError };

/** Record counts and uptime. */
export interface StoreStatistics {
  readonly backend: string;
  readonly totalRollouts: number;
  readonly totalAttempts: number;
  readonly totalSpans: number;
  readonly totalResources: number;
  readonly totalWorkers: number;
  /** Spans dropped to stay within the memory backend's limit (not counted in totalSpans); 0 elsewhere. */
  readonly evictedSpans: number;
  readonly uptimeSeconds: number;
  readonly rolloutsByStatus: Readonly<Record<RolloutStatus, number>>;
}

/**
 * Per-call options of the calls that take a resources id. By default a `resources_id` that names no
 * snapshot is NOT_FOUND; `acceptUnknownResources` stores it as given, as the reference does (its REST
 * clients rely on it).
 */
export interface ResourcesIdOptions {
  readonly acceptUnknownResources?: boolean;
}

/** The (rollout, attempt) a sequence id is asked for. */
export interface SequenceTarget {
  readonly rolloutId: string;
  readonly attemptId: string;
}

/**
 * Every store operation (reference §3), with Lightning Store's semantics (docs/semantics.md). All
 * methods reject with a StoreError for domain failures (NOT_FOUND, INVALID_ARGUMENT,
 * FAILED_PRECONDITION, ALREADY_EXISTS, UNAVAILABLE); anything else is a bug or an outage.
 */
export interface Store {
  /** Backend name: "memory", "sqlite" or "mongo". */
  readonly backendName: string;

  /** Creates a rollout with attempt #1, bypassing the queue. */
  startRollout(spec: RolloutSpec, workerId: string | null, options?: ResourcesIdOptions): Promise<AttemptedRollout>;
  /** Appends rollouts to the queue tail in order; all or none. */
  enqueueRollouts(specs: readonly RolloutSpec[], options?: ResourcesIdOptions): Promise<Rollout[]>;
  /** Claims up to `limit` queued rollouts in FIFO order, each with a new attempt; never blocks. */
  dequeueRollouts(limit: number, workerId: string | null): Promise<AttemptedRollout[]>;
  /** A new attempt for an unfinished rollout. */
  startAttempt(rolloutId: string, workerId: string | null): Promise<AttemptedRollout>;
  /** Changes rollout fields; status changes follow the rollout state machine. */
  updateRollout(rolloutId: string, update: RolloutUpdate, options?: ResourcesIdOptions): Promise<Rollout>;
  /** Changes attempt fields (`attemptRef` may be "latest"); status propagates to the rollout. */
  updateAttempt(rolloutId: string, attemptRef: string, update: AttemptUpdate): Promise<Attempt>;

  /** A rollout with its latest attempt. */
  getRollout(rolloutId: string): Promise<AttemptedRollout>;
  /** Rollouts with their latest attempts. */
  queryRollouts(query: RolloutQuery): Promise<Page<AttemptedRollout>>;
  /** Attempts of a rollout (default: sequence_id ascending). */
  queryAttempts(rolloutId: string, window: QueryWindow): Promise<Page<Attempt>>;
  /** The latest attempt, or null when the rollout has none. */
  getLatestAttempt(rolloutId: string): Promise<Attempt | null>;

  /**
   * Stores spans; each stored span is a heartbeat of its attempt. With `atomic`, every span is checked
   * first and the call rejects (writing nothing) if any is bad; otherwise each span gets its outcome.
   */
  addSpans(spans: readonly NewSpan[], options: { readonly atomic: boolean }): Promise<SpanOutcome[]>;
  /** Allocates sequence ids (per rollout), one per target in order. */
  nextSequenceIds(targets: readonly SequenceTarget[]): Promise<number[]>;
  /** Spans of a rollout (default: sequence_id, then start_time, then arrival). */
  querySpans(query: SpanQuery): Promise<Page<Span>>;

  /** A new snapshot under a generated id; it becomes the latest. */
  addResources(resources: NamedResources): Promise<ResourcesUpdate>;
  /** Replaces or creates the snapshot `resourcesId`; it becomes the latest. */
  updateResources(resourcesId: string, resources: NamedResources): Promise<ResourcesUpdate>;
  /** One snapshot. */
  getResources(resourcesId: string): Promise<ResourcesUpdate>;
  /** The snapshot with the greatest update_time, or null. */
  getLatestResources(): Promise<ResourcesUpdate | null>;
  /** Snapshots. */
  queryResources(query: ResourcesQuery): Promise<Page<ResourcesUpdate>>;

  /** One worker. */
  getWorker(workerId: string): Promise<Worker>;
  /** Workers. */
  queryWorkers(query: WorkerQuery): Promise<Page<Worker>>;
  /** A worker heartbeat; `stats` null keeps the previous statistics. */
  updateWorker(workerId: string, stats: JsonText | null): Promise<Worker>;

  /**
   * Waits until every listed rollout is finished or `timeoutSeconds` pass (0: check once), then returns
   * the finished ones in request order. An aborted signal ends the wait early with what is finished.
   */
  waitForRollouts(rolloutIds: readonly string[], timeoutSeconds: number, signal?: AbortSignal): Promise<Rollout[]>;

  /** One watchdog pass: applies every due timeout/unresponsive verdict; returns how many it applied. */
  runWatchdog(): Promise<number>;
  /** Record counts and uptime. */
  statistics(): Promise<StoreStatistics>;
  /** Resolves when the backend answers; rejects with UNAVAILABLE when it does not. */
  ping(): Promise<void>;
  /**
   * Releases the backend; pending waits end with what is finished. Idempotent. Every other method then
   * fails with UNAVAILABLE ("the store is closed") without reaching the backend.
   */
  close(): Promise<void>;
}
