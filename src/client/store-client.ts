import { Client } from '@grpc/grpc-js';
import type { ChannelCredentials, ChannelInterface as Channel, ChannelOptions } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import type * as wire from '../../gen/lightning/store/v1/store_service';
import type { Span } from '../../gen/lightning/store/v1/spans';
import type { ClientTlsOptions } from './channel-security';
import { bearerToken, channelCredentialsOf } from './channel-security';
import { StoreClientError } from './errors';
import { RETRY_SAFETY } from './idempotency';
import type { CallOptions, CallPlan, RetryEvent } from './invoke';
import { sendClientStream, sendUnary, sendWithRetry } from './invoke';
import type { RetryPolicy } from './retry';
import { retryPolicy } from './retry';
import type { PartialMessage, RequestOf, ResponseOf, Rpc, UnaryRpc } from './rpcs';
import { REQUEST_BUILDERS } from './rpcs';

/** The server's default cap of WaitForRollouts (its --max-wait-seconds), which an absent timeout gets. */
const SERVER_WAIT_CAP_SECONDS = 30;

/** Options of a StoreClient; every one has a default. */
export interface StoreClientOptions {
  /** Channel credentials; default from `tls`, else plaintext (insecure). */
  readonly credentials?: ChannelCredentials;
  /** TLS to the server (true: verified against the system roots), with a client certificate for mTLS; ignored with `credentials`. */
  readonly tls?: ClientTlsOptions | true;
  /** Bearer token sent as `authorization` metadata with every call (a server with --token-file needs one); default none. */
  readonly token?: string;
  /**
   * grpc-js options of the client's own channel. By default the channel reconnects on the retry
   * policy's schedule (initial and maximum reconnect backoff), so a resend finds a fresh connection attempt.
   */
  readonly channelOptions?: ChannelOptions;
  /** A channel to share, e.g. another client's `channel`; the client sends on it and never closes it. */
  readonly channel?: Channel;
  /** Milliseconds a call may take in all, retries included, unless the call says otherwise; default 30000. */
  readonly deadlineMs?: number;
  /** Overrides of DEFAULT_RETRY_POLICY, or false to never resend; default the default policy. */
  readonly retry?: Partial<RetryPolicy> | false;
  /** Called before each resend (for logging). */
  readonly onRetry?: (event: RetryEvent) => void;
  /** Source of backoff jitter, a number in [0, 1); default Math.random. */
  readonly random?: () => number;
}

/** Options of StoreClient.ingestSpans. */
export interface IngestOptions extends CallOptions {
  /** Spans per stream message; default 500. */
  readonly spansPerMessage?: number;
}

/** A request of an RPC with every field optional (protobuf defaults fill the rest). */
type Req<K extends Rpc> = PartialMessage<RequestOf<K>>;

/** Default deadline of a call. */
export const DEFAULT_DEADLINE_MS = 30_000;

/**
 * A typed client of LightningStoreService over one grpc-js channel (its own, or a shared one). Methods
 * take partial requests and resolve with the generated response messages; a failed call rejects with a
 * StoreClientError. Calls get a deadline (default 30 s, retries included); calls that RETRY_SAFETY marks
 * safe are resent with exponential backoff and jitter after UNAVAILABLE, the others fail at once.
 */
export class StoreClient {
  private readonly grpc: Client;
  private readonly ownsChannel: boolean;
  private readonly deadlineMs: number;
  private readonly retry: RetryPolicy | null;
  private readonly random: () => number;
  private readonly onRetry: ((event: RetryEvent) => void) | undefined;
  private closed = false;

  /** A client of the server at `address` ("host:port"); connects lazily on the first call. */
  constructor(address: string, options: StoreClientOptions = {}) {
    this.retry = options.retry === false ? null : retryPolicy(options.retry);
    this.deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    this.random = options.random ?? Math.random;
    this.onRetry = options.onRetry;
    this.ownsChannel = options.channel === undefined;
    const reconnect = this.retry ?? retryPolicy();
    this.grpc = new Client(address, options.credentials ?? channelCredentialsOf(options.tls), {
      'grpc.initial_reconnect_backoff_ms': Math.max(reconnect.initialBackoffMs, 1),
      'grpc.max_reconnect_backoff_ms': Math.max(reconnect.maxBackoffMs, 1),
      ...options.channelOptions,
      ...(options.channel ? { channelOverride: options.channel } : {}),
      ...(options.token === undefined ? {} : { interceptors: [bearerToken(options.token)] }),
    });
  }

  /** The channel the client sends on; pass it as `channel` to share it with another client. */
  get channel(): Channel {
    return this.grpc.getChannel();
  }

  /** Closes the client's own channel (a shared one stays open); later calls reject with CANCELLED. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsChannel) this.grpc.close();
  }

  /** Creates a rollout and its first attempt at once, bypassing the queue. */
  startRollout(request: Req<'startRollout'>, options?: CallOptions): Promise<wire.StartRolloutResponse> {
    return this.unary('startRollout', request, options);
  }

  /** Appends a rollout to the tail of the queue. */
  enqueueRollout(request: Req<'enqueueRollout'>, options?: CallOptions): Promise<wire.EnqueueRolloutResponse> {
    return this.unary('enqueueRollout', request, options);
  }

  /** Appends rollouts to the tail of the queue, in order, all or none. */
  enqueueManyRollouts(request: Req<'enqueueManyRollouts'>, options?: CallOptions): Promise<wire.EnqueueManyRolloutsResponse> {
    return this.unary('enqueueManyRollouts', request, options);
  }

  /** Claims the oldest queued rollout with a new attempt; `rollout` is absent when the queue is empty. */
  dequeueRollout(request: Req<'dequeueRollout'> = {}, options?: CallOptions): Promise<wire.DequeueRolloutResponse> {
    return this.unary('dequeueRollout', request, options);
  }

  /** Claims up to `limit` queued rollouts in FIFO order. */
  dequeueManyRollouts(request: Req<'dequeueManyRollouts'>, options?: CallOptions): Promise<wire.DequeueManyRolloutsResponse> {
    return this.unary('dequeueManyRollouts', request, options);
  }

  /** Creates a new attempt for a rollout that is not finished. */
  startAttempt(request: Req<'startAttempt'>, options?: CallOptions): Promise<wire.StartAttemptResponse> {
    return this.unary('startAttempt', request, options);
  }

  /** Changes fields of a rollout. */
  updateRollout(request: Req<'updateRollout'>, options?: CallOptions): Promise<wire.UpdateRolloutResponse> {
    return this.unary('updateRollout', request, options);
  }

  /** Changes fields of an attempt (id or "latest") and propagates its status to the rollout. */
  updateAttempt(request: Req<'updateAttempt'>, options?: CallOptions): Promise<wire.UpdateAttemptResponse> {
    return this.unary('updateAttempt', request, options);
  }

  /** Reads a rollout with its latest attempt; NOT_FOUND for an unknown id. */
  getRollout(request: Req<'getRollout'>, options?: CallOptions): Promise<wire.GetRolloutResponse> {
    return this.unary('getRollout', request, options);
  }

  /** Lists rollouts, each with its latest attempt. */
  queryRollouts(request: Req<'queryRollouts'> = {}, options?: CallOptions): Promise<wire.QueryRolloutsResponse> {
    return this.unary('queryRollouts', request, options);
  }

  /** Lists the attempts of a rollout. */
  queryAttempts(request: Req<'queryAttempts'>, options?: CallOptions): Promise<wire.QueryAttemptsResponse> {
    return this.unary('queryAttempts', request, options);
  }

  /** Reads the latest attempt of a rollout; `attempt` is absent when it has none. */
  getLatestAttempt(request: Req<'getLatestAttempt'>, options?: CallOptions): Promise<wire.GetLatestAttemptResponse> {
    return this.unary('getLatestAttempt', request, options);
  }

  /** Stores one span (a heartbeat of its attempt); `duplicate` when one with its key is already stored. */
  addSpan(request: Req<'addSpan'>, options?: CallOptions): Promise<wire.AddSpanResponse> {
    return this.unary('addSpan', request, options);
  }

  /** Stores spans; all are validated before any is written. */
  addManySpans(request: Req<'addManySpans'>, options?: CallOptions): Promise<wire.AddManySpansResponse> {
    return this.unary('addManySpans', request, options);
  }

  /**
   * Streams `spans` on one IngestSpans call, `spansPerMessage` per message, and resolves with the tally;
   * a rejected span's `index` is its position in `spans`. Resent after UNAVAILABLE: spans the lost
   * stream stored then count as duplicates.
   */
  ingestSpans(spans: readonly PartialMessage<Span>[], options: IngestOptions = {}): Promise<wire.IngestSpansResponse> {
    const perMessage = options.spansPerMessage ?? 500;
    if (!(Number.isInteger(perMessage) && perMessage >= 1)) {
      return Promise.reject(new RangeError(`spansPerMessage must be an integer >= 1, got ${perMessage}`));
    }
    const messages: wire.IngestSpansRequest[] = [];
    for (let i = 0; i < spans.length; i += perMessage) {
      messages.push(REQUEST_BUILDERS.ingestSpans({ spans: spans.slice(i, i + perMessage) }));
    }
    return this.send('ingestSpans', options, sendClientStream<wire.IngestSpansRequest, wire.IngestSpansResponse>(this.grpc, 'ingestSpans', messages, options.signal));
  }

  /** Allocates the next span sequence id of a rollout. */
  getNextSpanSequenceId(request: Req<'getNextSpanSequenceId'>, options?: CallOptions): Promise<wire.GetNextSpanSequenceIdResponse> {
    return this.unary('getNextSpanSequenceId', request, options);
  }

  /** Allocates span sequence ids for several (rollout, attempt) pairs, in request order. */
  getManySpanSequenceIds(request: Req<'getManySpanSequenceIds'>, options?: CallOptions): Promise<wire.GetManySpanSequenceIdsResponse> {
    return this.unary('getManySpanSequenceIds', request, options);
  }

  /** Lists the spans of a rollout. */
  querySpans(request: Req<'querySpans'>, options?: CallOptions): Promise<wire.QuerySpansResponse> {
    return this.unary('querySpans', request, options);
  }

  /** Stores a new resources snapshot under a generated id; it becomes the latest. */
  addResources(request: Req<'addResources'>, options?: CallOptions): Promise<wire.AddResourcesResponse> {
    return this.unary('addResources', request, options);
  }

  /** Replaces (or creates) the snapshot with the given id; it becomes the latest. */
  updateResources(request: Req<'updateResources'>, options?: CallOptions): Promise<wire.UpdateResourcesResponse> {
    return this.unary('updateResources', request, options);
  }

  /** Reads a resources snapshot; NOT_FOUND for an unknown id. */
  getResources(request: Req<'getResources'>, options?: CallOptions): Promise<wire.GetResourcesResponse> {
    return this.unary('getResources', request, options);
  }

  /** Reads the latest snapshot; `resources` is absent when there is none. */
  getLatestResources(options?: CallOptions): Promise<wire.GetLatestResourcesResponse> {
    return this.unary('getLatestResources', {}, options);
  }

  /** Lists resources snapshots. */
  queryResources(request: Req<'queryResources'> = {}, options?: CallOptions): Promise<wire.QueryResourcesResponse> {
    return this.unary('queryResources', request, options);
  }

  /** Reads a worker; NOT_FOUND for an unknown id. */
  getWorker(request: Req<'getWorker'>, options?: CallOptions): Promise<wire.GetWorkerResponse> {
    return this.unary('getWorker', request, options);
  }

  /** Lists workers. */
  queryWorkers(request: Req<'queryWorkers'> = {}, options?: CallOptions): Promise<wire.QueryWorkersResponse> {
    return this.unary('queryWorkers', request, options);
  }

  /** Records a worker heartbeat, creating the worker if needed. */
  updateWorker(request: Req<'updateWorker'>, options?: CallOptions): Promise<wire.UpdateWorkerResponse> {
    return this.unary('updateWorker', request, options);
  }

  /**
   * Waits on the server until the rollouts finish or `timeoutSeconds` passes (absent: the server's cap,
   * 30 s by default). Unless the call sets one, its deadline is the client's deadline plus that wait.
   */
  waitForRollouts(request: Req<'waitForRollouts'>, options: CallOptions = {}): Promise<wire.WaitForRolloutsResponse> {
    const waitMs = 1000 * (request.timeoutSeconds ?? SERVER_WAIT_CAP_SECONDS);
    return this.unary('waitForRollouts', request, { ...options, deadlineMs: options.deadlineMs ?? this.deadlineMs + waitMs });
  }

  /** Counts of stored records and the server's uptime. */
  getStatistics(options?: CallOptions): Promise<wire.GetStatisticsResponse> {
    return this.unary('getStatistics', {}, options);
  }

  private unary<K extends UnaryRpc>(rpc: K, request: Req<K>, options: CallOptions = {}): Promise<ResponseOf<K>> {
    const message = REQUEST_BUILDERS[rpc](request);
    return this.send(rpc, options, sendUnary<RequestOf<K>, ResponseOf<K>>(this.grpc, rpc, message, options.signal));
  }

  private send<T>(rpc: Rpc, options: CallOptions, send: (deadline: Date) => Promise<T>): Promise<T> {
    const closedError = (): StoreClientError => new StoreClientError(status.CANCELLED, 'the client is closed', rpc, 0);
    if (this.closed) return Promise.reject(closedError());
    const plan: CallPlan = {
      rpc,
      deadlineMs: options.deadlineMs ?? this.deadlineMs,
      signal: options.signal,
      retry: RETRY_SAFETY[rpc].retry ? this.retry : null,
      random: this.random,
      onRetry: this.onRetry,
    };
    // A resend after close() (during a backoff) is refused as CANCELLED.
    return sendWithRetry(plan, (deadline) => (this.closed ? Promise.reject(closedError()) : send(deadline)));
  }
}
