import type { StoreErrorCode } from '../../src/domain/errors';
import { StoreError } from '../../src/domain/errors';
import type {
  Attempt,
  AttemptedRollout,
  AttemptStatus,
  NamedResources,
  NewSpan,
  Rollout,
  RolloutConfig,
  RolloutSpec,
  RolloutStatus,
  Span,
} from '../../src/domain/records';
import type { Store } from '../../src/store/store';

/** A rollout together with the attempt an operation created or found. */
export interface Claimed {
  readonly rollout: Rollout;
  readonly attempt: Attempt;
}

/** The (rollout, attempt) pair a span belongs to. */
export interface SpanOwner {
  readonly rolloutId: string;
  readonly attemptId: string;
}

/** A rollout spec with a small input and no policy, metadata or resources; override any field. */
export function spec(overrides: Partial<RolloutSpec> = {}): RolloutSpec {
  return { input: '{"task":"t"}', mode: null, resourcesId: null, config: null, metadata: null, ...overrides };
}

/** A rollout policy; defaults as the reference: no timeouts, one attempt, no retries. */
export function policy(overrides: Partial<RolloutConfig> = {}): RolloutConfig {
  return { timeoutSeconds: null, unresponsiveSeconds: null, maxAttempts: 1, retryCondition: [], ...overrides };
}

/** A spec whose policy retries on `retryOn` up to `maxAttempts` attempts. */
export function retrying(retryOn: readonly AttemptStatus[], maxAttempts: number, more: Partial<RolloutConfig> = {}): RolloutSpec {
  return spec({ config: policy({ retryCondition: retryOn, maxAttempts, ...more }) });
}

/** A minimal valid span of `owner` with the given span id and no sequence id; override any field. */
export function span(owner: SpanOwner, spanId: string, overrides: Partial<NewSpan> = {}): NewSpan {
  return {
    rolloutId: owner.rolloutId,
    attemptId: owner.attemptId,
    sequenceId: null,
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId,
    parentId: null,
    name: 'agentlightning.virtual',
    status: { statusCode: 'OK', description: null, extra: '{}' },
    attributes: '{}',
    events: [],
    links: [],
    startTime: null,
    endTime: null,
    context: null,
    parent: null,
    resource: { attributes: '{}', schemaUrl: '' },
    extra: '{}',
    ...overrides,
  };
}

/** Named resources holding one LLM of the given model. */
export function llmResources(model: string): NamedResources {
  return {
    main: { kind: 'llm', endpoint: 'http://127.0.0.1:9/v1', model, apiKey: null, samplingParameters: '{"temperature":0.5}' },
  };
}

/** The attempt of an AttemptedRollout; fails the test when there is none. */
export function claimed(ar: AttemptedRollout): Claimed {
  if (ar.attempt === null) throw new Error(`rollout ${ar.rollout.rolloutId} has no attempt`);
  return { rollout: ar.rollout, attempt: ar.attempt };
}

/** The owner key of a claimed attempt, for spans. */
export function ownerOf(c: Claimed): SpanOwner {
  return { rolloutId: c.rollout.rolloutId, attemptId: c.attempt.attemptId };
}

/** Asserts that `promise` rejects with a StoreError of `code`; returns the error. */
export async function expectCode(promise: Promise<unknown>, code: StoreErrorCode): Promise<StoreError> {
  let caught: unknown = undefined;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(StoreError);
  expect((caught as StoreError).code).toBe(code);
  return caught as StoreError;
}

/** Starts one rollout (bypassing the queue) and returns it with attempt #1. */
export async function startOne(store: Store, s: RolloutSpec = spec(), workerId: string | null = null): Promise<Claimed> {
  return claimed(await store.startRollout(s, workerId));
}

/** Enqueues one rollout. */
export async function enqueueOne(store: Store, s: RolloutSpec = spec()): Promise<Rollout> {
  const [rollout] = await store.enqueueRollouts([s]);
  if (!rollout) throw new Error('enqueue returned nothing');
  return rollout;
}

/** Dequeues exactly one rollout; fails the test when the queue is empty. */
export async function dequeueOne(store: Store, workerId: string | null = null): Promise<Claimed> {
  const [first, ...rest] = await store.dequeueRollouts(1, workerId);
  if (!first) throw new Error('the queue was empty');
  expect(rest).toEqual([]);
  return claimed(first);
}

/** Enqueues a rollout and dequeues it, so it has attempt #1 (the queue must be empty before). */
export async function claimOne(store: Store, s: RolloutSpec = spec(), workerId: string | null = null): Promise<Claimed> {
  const rollout = await enqueueOne(store, s);
  const c = await dequeueOne(store, workerId);
  expect(c.rollout.rolloutId).toBe(rollout.rolloutId);
  return c;
}

/** Ids of whatever the queue hands out now, draining it. */
export async function drainQueue(store: Store): Promise<string[]> {
  const all = await store.dequeueRollouts(1000, null);
  return all.map((ar) => ar.rollout.rolloutId);
}

/** The stored status of a rollout. */
export async function rolloutStatus(store: Store, rolloutId: string): Promise<RolloutStatus> {
  return (await store.getRollout(rolloutId)).rollout.status;
}

/** The stored attempt `attemptId` of a rollout. */
export async function attemptById(store: Store, rolloutId: string, attemptId: string): Promise<Attempt> {
  const page = await store.queryAttempts(rolloutId, {});
  const found = page.items.find((a) => a.attemptId === attemptId);
  if (!found) throw new Error(`attempt ${attemptId} not found`);
  return found;
}

/** Stores spans atomically and returns them; fails the test if any is not newly stored. */
export async function addStored(store: Store, spans: readonly NewSpan[]): Promise<Span[]> {
  const outcomes = await store.addSpans(spans, { atomic: true });
  return outcomes.map((o) => {
    if (o.kind !== 'stored') throw new Error(`span was ${o.kind}`);
    return o.span;
  });
}
