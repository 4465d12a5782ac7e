/**
 * The store's records as plain immutable data. Field names are camelCase here; the wire layers map them
 * to snake_case. Times are seconds since the Unix epoch (float). JSON payloads are kept as text
 * (`JsonText`) so that every value, including 64-bit integers, round-trips exactly.
 */

/** JSON document as UTF-8 text, stored and returned verbatim; "null" is the null value. */
export type JsonText = string;

export const ROLLOUT_STATUSES = [
  'queuing',
  'preparing',
  'running',
  'failed',
  'succeeded',
  'cancelled',
  'requeuing',
] as const;
/** Status of a rollout (reference §2.1). */
export type RolloutStatus = (typeof ROLLOUT_STATUSES)[number];

export const ATTEMPT_STATUSES = ['preparing', 'running', 'failed', 'succeeded', 'unresponsive', 'timeout'] as const;
/** Status of an attempt (reference §2.1). */
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

export const WORKER_STATUSES = ['idle', 'busy', 'unknown'] as const;
/** Status of a worker. */
export type WorkerStatus = (typeof WORKER_STATUSES)[number];

export const ROLLOUT_MODES = ['train', 'val', 'test'] as const;
/** Mode of a rollout; analytics only. */
export type RolloutMode = (typeof ROLLOUT_MODES)[number];

/** Retry and timeout policy of a rollout. */
export interface RolloutConfig {
  readonly timeoutSeconds: number | null;
  readonly unresponsiveSeconds: number | null;
  readonly maxAttempts: number;
  readonly retryCondition: readonly AttemptStatus[];
}

/** A task. */
export interface Rollout {
  readonly rolloutId: string;
  readonly input: JsonText;
  readonly startTime: number;
  readonly endTime: number | null;
  readonly mode: RolloutMode | null;
  readonly resourcesId: string | null;
  readonly status: RolloutStatus;
  readonly config: RolloutConfig;
  readonly metadata: JsonText;
}

/** One execution of a rollout. */
export interface Attempt {
  readonly rolloutId: string;
  readonly attemptId: string;
  readonly sequenceId: number;
  readonly startTime: number;
  readonly endTime: number | null;
  readonly status: AttemptStatus;
  readonly workerId: string | null;
  readonly lastHeartbeatTime: number | null;
  readonly metadata: JsonText;
}

/** A rollout with all its attempts, ordered by sequenceId; the unit every rollout change is applied to. */
export interface RolloutAggregate {
  readonly rollout: Rollout;
  readonly attempts: readonly Attempt[];
}

/** A rollout with its latest attempt, if it has one. */
export interface AttemptedRollout {
  readonly rollout: Rollout;
  readonly attempt: Attempt | null;
}

/** What a caller supplies to create a rollout. */
export interface RolloutSpec {
  readonly input: JsonText;
  readonly mode: RolloutMode | null;
  readonly resourcesId: string | null;
  readonly config: RolloutConfig | null;
  readonly metadata: JsonText | null;
}

export const SPAN_STATUS_CODES = ['UNSET', 'OK', 'ERROR'] as const;
/** OpenTelemetry span status code. */
export type SpanStatusCode = (typeof SPAN_STATUS_CODES)[number];

/** Identity of a span; `extra` holds unknown keys as a JSON object. */
export interface SpanContext {
  readonly traceId: string;
  readonly spanId: string;
  readonly isRemote: boolean;
  readonly traceState: Readonly<Record<string, string>>;
  readonly extra: JsonText;
}

/** Status of a span. */
export interface TraceStatus {
  readonly statusCode: SpanStatusCode;
  readonly description: string | null;
  readonly extra: JsonText;
}

/** A timestamped event of a span. */
export interface SpanEvent {
  readonly name: string;
  readonly attributes: JsonText;
  readonly timestamp: number | null;
  readonly extra: JsonText;
}

/** A link to another span; `attributes` may be "null". */
export interface SpanLink {
  readonly context: SpanContext;
  readonly attributes: JsonText;
  readonly extra: JsonText;
}

/** The OpenTelemetry resource of a span. */
export interface OtelResource {
  readonly attributes: JsonText;
  readonly schemaUrl: string;
}

/** A span as submitted: the sequence id may be left for the store to assign. */
export interface NewSpan {
  readonly rolloutId: string;
  readonly attemptId: string;
  readonly sequenceId: number | null;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentId: string | null;
  readonly name: string;
  readonly status: TraceStatus;
  readonly attributes: JsonText;
  readonly events: readonly SpanEvent[];
  readonly links: readonly SpanLink[];
  readonly startTime: number | null;
  readonly endTime: number | null;
  readonly context: SpanContext | null;
  readonly parent: SpanContext | null;
  readonly resource: OtelResource;
  readonly extra: JsonText;
}

/** A stored span. Its key is (rolloutId, attemptId, spanId). */
export interface Span extends NewSpan {
  readonly sequenceId: number;
}

/** A model endpoint, routed through the LLM proxy when `kind` is proxy_llm. */
export interface LlmResource {
  readonly kind: 'llm' | 'proxy_llm';
  readonly endpoint: string;
  readonly model: string;
  readonly apiKey: string | null;
  readonly samplingParameters: JsonText;
}

export const PROMPT_TEMPLATE_ENGINES = ['jinja', 'f-string', 'poml'] as const;
/** Template engine of a prompt template. */
export type PromptTemplateEngine = (typeof PROMPT_TEMPLATE_ENGINES)[number];

/** A prompt template. */
export interface PromptTemplateResource {
  readonly kind: 'prompt_template';
  readonly template: string;
  readonly engine: PromptTemplateEngine;
}

/** One named resource. */
export type Resource = LlmResource | PromptTemplateResource;

/** Named resources of a snapshot. */
export type NamedResources = Readonly<Record<string, Resource>>;

/** A versioned resources snapshot. */
export interface ResourcesUpdate {
  readonly resourcesId: string;
  readonly createTime: number;
  readonly updateTime: number;
  readonly version: number;
  readonly resources: NamedResources;
}

/** A runner process as the store has seen it. */
export interface Worker {
  readonly workerId: string;
  readonly status: WorkerStatus;
  readonly heartbeatStats: JsonText;
  readonly lastHeartbeatTime: number | null;
  readonly lastDequeueTime: number | null;
  readonly lastBusyTime: number | null;
  readonly lastIdleTime: number | null;
  readonly currentRolloutId: string | null;
  readonly currentAttemptId: string | null;
}
