/** Public API of the lightning-store package: the store, its records and errors, the server and the client. */

// Domain: records, errors, time.
export * from './domain/records';
export { StoreError, notFound, invalidArgument, failedPrecondition, alreadyExists, unavailable, hasCode } from './domain/errors';
export type { StoreErrorCode } from './domain/errors';
export { systemClock, FakeClock } from './domain/clock';
export type { Clock } from './domain/clock';
export type { FilterLogic, Page, PageRequest, SortOrder } from './domain/query';
export type { AttemptUpdate, RolloutUpdate } from './domain/rollout-rules';

// The store.
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
} from './store/store';
export type { Backend } from './store/backend';
export { LightningStore } from './store/lightning-store';
export type { LightningStoreOptions } from './store/lightning-store';
export { MemoryBackend } from './store/memory/memory-backend';
export { Watchdog } from './store/watchdog';
export type { WatchdogOptions } from './store/watchdog';

// The server.
export { startServer, createStore, resolveSettings, BACKENDS, SERVER_DEFAULTS } from './server';
export type { BackendName, RunningServer, ServerOptions, ServerSettings, StoreOptions } from './server';

// The generated gRPC client (grpc-js).
export { LightningStoreServiceClient } from '../gen/lightning/store/v1/store_service';
