/**
 * The server entry of the package (`lightning-store/server`): the server, the store engine, its
 * backends and the watchdog, for embedding Lightning Store in a process of your own.
 */
// The store.
export type { Backend } from '../store/backend';
export { LightningStore } from '../store/lightning-store';
export type { LightningStoreOptions } from '../store/lightning-store';
export { MemoryBackend } from '../store/memory/memory-backend';
export { Watchdog } from '../store/watchdog';
export type { WatchdogOptions } from '../store/watchdog';
export { createStore, BACKENDS, SQLITE_SYNC_MODES, STORAGE_DEFAULTS } from '../store/create-store';
export type { BackendName, SqliteSync, StorageOptions } from '../store/create-store';
export type { MemoryBackendOptions } from '../store/memory/memory-backend';

// The server.
export { startServer, resolveServerOptions, SERVER_DEFAULTS, LISTEN_DEFAULTS } from '../server';
export type { ListenOptions, ResolvedServerOptions, RunningServer, ServerOptions } from '../server';
export { DEFAULT_LIMITS } from '../frontend/limits';
export type { ServiceLimits } from '../frontend/limits';
export { SECURITY_DEFAULTS } from '../security/options';
export type { SecurityOptions } from '../security/options';
export { INGEST_DEFAULTS } from '../ingest/ingest';
export type { IngestOptions as ServerIngestOptions } from '../ingest/ingest';
