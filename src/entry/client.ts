/**
 * The client entry of the package (`lightning-store/client`, also the package root): records, errors and
 * clock of the domain, the typed gRPC client, the span exporter and the wire messages. It loads no
 * server code (no SQLite, no MongoDB driver).
 */

// Domain: records, errors, time.
export * from '../domain/records';
export { StoreError, notFound, invalidArgument, failedPrecondition, alreadyExists, unavailable, hasCode } from '../domain/errors';
export type { StoreErrorCode } from '../domain/errors';
export { systemClock, FakeClock } from '../domain/clock';
export type { Clock } from '../domain/clock';
export type { FilterLogic, Page, PageRequest, SortOrder } from '../domain/query';
export type { AttemptUpdate, RolloutUpdate } from '../domain/rollout-rules';

export type {
  QueryWindow,
  ResourcesQuery,
  RolloutQuery,
  SequenceTarget,
  SortRequest,
  SpanOutcome,
  SpanQuery,
  Store,
  StoreStatistics,
  WorkerQuery,
} from '../store/store';

// The generated gRPC client (grpc-js).
export { LightningStoreServiceClient } from '../../gen/lightning/store/v1/store_service';

// The TypeScript client (typed calls, deadlines, retries) and the OpenTelemetry span exporter.
export { StoreClient, DEFAULT_DEADLINE_MS } from '../client/store-client';
export type { IngestOptions, StoreClientOptions } from '../client/store-client';
export type { ClientTlsOptions } from '../client/channel-security';
export type { CallOptions, RetryEvent } from '../client/invoke';
export { StoreClientError } from '../client/errors';
export type { StatusName } from '../client/errors';
export { DEFAULT_RETRY_POLICY } from '../client/retry';
export type { RetryPolicy } from '../client/retry';
export { RETRY_SAFETY } from '../client/idempotency';
export type { RetrySafety } from '../client/idempotency';
export type { PartialMessage, Rpc } from '../client/rpcs';
export { StoreSpanExporter, SpanRejectionError } from '../client/span-exporter';
export type { DroppedSpan, StoreSpanExporterOptions } from '../client/span-exporter';
export { readableSpanToWire } from '../client/span-conversion';
export { ATTEMPT_ID_ATTRIBUTE, ROLLOUT_ID_ATTRIBUTE, SEQUENCE_ID_ATTRIBUTE, resolveSpanTarget } from '../client/span-target';
export type { SpanTarget, TargetDefaults } from '../client/span-target';
/** The generated wire messages and enums (e.g. wire.AttemptStatus), named apart from the domain records. */
export * as wire from '../client/wire';
