import { Metadata, status } from '@grpc/grpc-js';
import type { Client } from '@grpc/grpc-js';
import { LightningStoreServiceService } from '../../gen/lightning/store/v1/store_service';
import { StoreClientError, toClientError } from './errors';
import type { RetryPolicy } from './retry';
import { backoffDelayMs } from './retry';
import type { Rpc } from './rpcs';

/** Per-call options of every client method. */
export interface CallOptions {
  /** Milliseconds the call may take in all, retries and backoff included; default the client's deadlineMs. */
  readonly deadlineMs?: number;
  /** Aborting it cancels the call, which then rejects with CANCELLED. */
  readonly signal?: AbortSignal;
}

/** What the client reports before each resend. */
export interface RetryEvent {
  readonly rpc: Rpc;
  /** The number of the send that failed (1 for the first). */
  readonly attempt: number;
  /** The pause before the next send. */
  readonly delayMs: number;
  readonly error: StoreClientError;
}

/** How one call is made: its deadline, whether and how it is resent, and how it can be cancelled. */
export interface CallPlan {
  readonly rpc: Rpc;
  readonly deadlineMs: number;
  readonly signal: AbortSignal | undefined;
  /** Null: never resent. */
  readonly retry: RetryPolicy | null;
  readonly random: () => number;
  readonly onRetry: ((event: RetryEvent) => void) | undefined;
}

/** One send of a call; rejects with the grpc-js error. */
type Send<T> = (deadline: Date) => Promise<T>;

function cancelled(rpc: Rpc, attempts: number, why: string): StoreClientError {
  return new StoreClientError(status.CANCELLED, why, rpc, attempts);
}

/** Resolves after `ms`, or rejects with CANCELLED as soon as `signal` aborts. */
function pause(ms: number, signal: AbortSignal | undefined, rpc: Rpc, attempts: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelled(rpc, attempts, 'cancelled by the caller'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Sends a call until it succeeds or fails for good: a failure other than UNAVAILABLE, a call that is not
 * retry-safe, the last attempt of the policy, or a backoff that would end past the deadline all reject
 * with the typed error of the last send. The deadline covers every send and pause. Deadlines are wall-clock
 * times because grpc-js enforces them against the system clock.
 */
export async function sendWithRetry<T>(plan: CallPlan, send: Send<T>): Promise<T> {
  const deadlineAt = Date.now() + plan.deadlineMs;
  for (let attempt = 1; ; attempt++) {
    if (plan.signal?.aborted) throw cancelled(plan.rpc, attempt - 1, 'cancelled by the caller');
    let error: StoreClientError;
    try {
      return await send(new Date(deadlineAt));
    } catch (err) {
      error = toClientError(err, plan.rpc, attempt);
    }
    const retry = plan.retry;
    if (retry === null || error.code !== status.UNAVAILABLE || attempt >= retry.maxAttempts) throw error;
    const delayMs = backoffDelayMs(attempt, retry, plan.random);
    if (Date.now() + delayMs >= deadlineAt) throw error;
    plan.onRetry?.({ rpc: plan.rpc, attempt, delayMs, error });
    await pause(delayMs, plan.signal, plan.rpc, attempt);
  }
}

/** The path and (de)serialisers of an RPC, typed by the messages the caller works with. */
interface MethodCodec<Req, Res> {
  readonly path: string;
  readonly requestSerialize: (value: Req) => Buffer;
  readonly responseDeserialize: (value: Buffer) => Res;
}

function codec<Req, Res>(rpc: Rpc): MethodCodec<Req, Res> {
  // The definition's entry for `rpc` has exactly these members; indexing by a generic key loses the
  // pairing of request and response types, which the callers restore.
  return LightningStoreServiceService[rpc] as unknown as MethodCodec<Req, Res>;
}

/** Cancels `call` when `signal` aborts, until `settled` settles. */
function cancelOnAbort(signal: AbortSignal | undefined, call: { cancel(): void }, settled: Promise<unknown>): void {
  if (!signal) return;
  const onAbort = (): void => call.cancel();
  signal.addEventListener('abort', onAbort, { once: true });
  const detach = (): void => signal.removeEventListener('abort', onAbort);
  settled.then(detach, detach);
}

/** A promise with its settle functions. */
function deferred<T>(): { promise: Promise<T>; resolve(value: T): void; reject(err: unknown): void } {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** One send of a unary RPC on `client`. */
export function sendUnary<Req, Res>(client: Client, rpc: Rpc, request: Req, signal: AbortSignal | undefined): Send<Res> {
  const { path, requestSerialize, responseDeserialize } = codec<Req, Res>(rpc);
  return (deadline) => {
    const answer = deferred<Res>();
    const call = client.makeUnaryRequest(path, requestSerialize, responseDeserialize, request, new Metadata(), { deadline }, (err, response) => {
      if (err) answer.reject(err);
      else answer.resolve(response as Res);
    });
    cancelOnAbort(signal, call, answer.promise);
    return answer.promise;
  };
}

/**
 * One send of a client-streaming RPC on `client`: writes `messages` in order, waiting for the stream to
 * drain whenever grpc-js asks (flow control), ends the stream, and resolves with the answer. Stops
 * writing as soon as the call has ended early (an error from the server, a deadline, a cancel).
 */
export function sendClientStream<Req, Res>(client: Client, rpc: Rpc, messages: readonly Req[], signal: AbortSignal | undefined): Send<Res> {
  const { path, requestSerialize, responseDeserialize } = codec<Req, Res>(rpc);
  return async (deadline) => {
    let settled = false;
    const answer = deferred<Res>();
    const call = client.makeClientStreamRequest(path, requestSerialize, responseDeserialize, new Metadata(), { deadline }, (err, response) => {
      settled = true;
      if (err) answer.reject(err);
      else answer.resolve(response as Res);
    });
    cancelOnAbort(signal, call, answer.promise);
    // Settles when the answer does, so a wait for 'drain' never outlives the call.
    const ended = answer.promise.then(
      () => undefined,
      () => undefined,
    );
    for (const message of messages) {
      if (settled) break;
      if (!call.write(message)) await Promise.race([new Promise((resolve) => call.once('drain', resolve)), ended]);
    }
    if (!settled) call.end();
    return answer.promise;
  };
}
