import pino from 'pino';
import type { Logger } from 'pino';
import type { Clock } from './domain/clock';
import { systemClock } from './domain/clock';
import { bindServer, createGrpcServer, formatAddress, shutdownServer } from './grpc/grpc-server';
import { HealthMonitor } from './grpc/health';
import { DEFAULT_LIMITS } from './grpc/limits';
import type { ServiceLimits } from './grpc/limits';
import { LightningStore } from './store/lightning-store';
import { MemoryBackend } from './store/memory/memory-backend';
import { SqliteBackend } from './store/sqlite/sqlite-backend';
import { MongoBackend, MONGO_DEFAULTS } from './store/mongo/mongo-backend';
import type { Store } from './store/store';
import { Watchdog } from './store/watchdog';
import { bindHttpServer, createHttpServer, shutdownHttpServer } from './http/http-server';
import { corsOrigins } from './http/cors';
import { httpRoutes } from './http/routes';

/** Storage backends the server can run on. */
export const BACKENDS = ['sqlite', 'memory', 'mongo'] as const;
/** A storage backend name. */
export type BackendName = (typeof BACKENDS)[number];

/** SQLite durability levels (see SqliteOptions.synchronous). */
export const SQLITE_SYNC_MODES = ['normal', 'full'] as const;
/** A SQLite durability level. */
export type SqliteSync = (typeof SQLITE_SYNC_MODES)[number];

/** What it takes to build a store. */
export interface StoreOptions {
  readonly backend: BackendName;
  readonly clock: Clock;
  /** SQLite database file; required for the sqlite backend. */
  readonly dbPath?: string;
  /** SQLite durability; default normal. */
  readonly sqliteSync?: SqliteSync;
  /** MongoDB connection string; required for the mongo backend. */
  readonly mongoUri?: string;
  /** MongoDB database name; default lightning_store. */
  readonly mongoDatabase?: string;
  /** Namespace (partition) within the database; default "default". */
  readonly mongoNamespace?: string;
}

/**
 * Builds the store for a backend; a new backend is one more case here. Throws DatabaseOpenError when
 * the SQLite file cannot be used.
 */
export function createStore(options: StoreOptions): Store {
  switch (options.backend) {
    case 'memory':
      return new LightningStore({ backend: new MemoryBackend(), clock: options.clock });
    case 'sqlite': {
      if (!options.dbPath) throw new Error('the sqlite backend needs a database path (dbPath)');
      const backend = new SqliteBackend({ path: options.dbPath, synchronous: options.sqliteSync ?? 'normal' });
      return new LightningStore({ backend, clock: options.clock });
    }
    case 'mongo': {
      if (!options.mongoUri) throw new Error('the mongo backend needs a connection string (--mongo-uri)');
      const backend = new MongoBackend({
        uri: options.mongoUri,
        database: options.mongoDatabase ?? MONGO_DEFAULTS.database,
        namespace: options.mongoNamespace ?? MONGO_DEFAULTS.namespace,
        clock: options.clock,
      });
      return new LightningStore({ backend, clock: options.clock });
    }
  }
}

/** Options of the Lightning Store server; every one has a default (SERVER_DEFAULTS). */
export interface ServerOptions {
  /** Interface to listen on; default 0.0.0.0. */
  readonly host?: string;
  /** gRPC port; 0 picks a free one; default 4748. */
  readonly port?: number;
  /** HTTP port (agent-lightning REST API and OTLP/HTTP), on the same host; 0 picks a free one; default 4747. */
  readonly httpPort?: number;
  /** Storage backend; default memory (the CLI's default is sqlite). Ignored when `store` is given. */
  readonly backend?: BackendName;
  /** SQLite database file (sqlite backend only). */
  readonly dbPath?: string;
  /** SQLite durability, normal or full; default normal. */
  readonly sqliteSync?: SqliteSync;
  /** MongoDB connection string (mongo backend only). */
  readonly mongoUri?: string;
  /** MongoDB database name (mongo backend only); default lightning_store. */
  readonly mongoDatabase?: string;
  /** Namespace (partition) within the MongoDB database; servers sharing one see the same store; default "default". */
  readonly mongoNamespace?: string;
  /** An already built store (tests inject wrappers); close() closes it too. Default: createStore(backend). */
  readonly store?: Store;
  /** Time source of the store and its watchdog; default the system clock. */
  readonly clock?: Clock;
  /** Milliseconds between watchdog passes; default 1000. */
  readonly watchdogIntervalMs?: number;
  /** Milliseconds between health pings of the store; default 1000. */
  readonly healthIntervalMs?: number;
  /** Cap of WaitForRollouts timeouts in seconds; default 30. */
  readonly maxWaitSeconds?: number;
  /** Largest request message in bytes; default 16 MiB. */
  readonly maxMessageBytes?: number;
  /** Most items per batch request; default 10000. */
  readonly maxBatchSize?: number;
  /** Spans per store write in IngestSpans; default 500. */
  readonly ingestBatchSize?: number;
  /** Seconds close() lets open calls finish before cancelling them; default 10. */
  readonly drainSeconds?: number;
  /** Structured logger; default silent. */
  readonly logger?: Logger;
  /** Origins the HTTP port answers CORS for (`*`: every origin), as the reference's `--cors-origin`; default none. */
  readonly corsOrigins?: readonly string[];
}

/** The plain settings of a server, with every default filled in. */
export type ServerSettings = Required<Omit<ServerOptions, 'store' | 'clock' | 'logger' | 'dbPath' | 'mongoUri'>> & {
  readonly dbPath: string | null;
  readonly mongoUri: string | null;
};

/** Defaults of every server setting. */
export const SERVER_DEFAULTS: ServerSettings = {
  host: '0.0.0.0',
  port: 4748,
  httpPort: 4747,
  backend: 'memory',
  dbPath: null,
  sqliteSync: 'normal',
  mongoUri: null,
  mongoDatabase: MONGO_DEFAULTS.database,
  mongoNamespace: MONGO_DEFAULTS.namespace,
  watchdogIntervalMs: 1000,
  healthIntervalMs: 1000,
  maxWaitSeconds: DEFAULT_LIMITS.maxWaitSeconds,
  maxMessageBytes: 16 * 1024 * 1024,
  maxBatchSize: DEFAULT_LIMITS.maxBatchSize,
  ingestBatchSize: DEFAULT_LIMITS.ingestBatchSize,
  drainSeconds: 10,
  corsOrigins: [],
};

/** The options' settings with defaults for the absent ones. */
export function resolveSettings(options: ServerOptions): ServerSettings {
  const d = SERVER_DEFAULTS;
  return {
    host: options.host ?? d.host,
    port: options.port ?? d.port,
    httpPort: options.httpPort ?? d.httpPort,
    backend: options.backend ?? d.backend,
    dbPath: options.dbPath ?? d.dbPath,
    sqliteSync: options.sqliteSync ?? d.sqliteSync,
    mongoUri: options.mongoUri ?? d.mongoUri,
    mongoDatabase: options.mongoDatabase ?? d.mongoDatabase,
    mongoNamespace: options.mongoNamespace ?? d.mongoNamespace,
    watchdogIntervalMs: options.watchdogIntervalMs ?? d.watchdogIntervalMs,
    healthIntervalMs: options.healthIntervalMs ?? d.healthIntervalMs,
    maxWaitSeconds: options.maxWaitSeconds ?? d.maxWaitSeconds,
    maxMessageBytes: options.maxMessageBytes ?? d.maxMessageBytes,
    maxBatchSize: options.maxBatchSize ?? d.maxBatchSize,
    ingestBatchSize: options.ingestBatchSize ?? d.ingestBatchSize,
    drainSeconds: options.drainSeconds ?? d.drainSeconds,
    corsOrigins: options.corsOrigins ?? d.corsOrigins,
  };
}

/** A started server. */
export interface RunningServer {
  /** The bound port (the ephemeral one when port 0 was asked for). */
  readonly port: number;
  /** "host:port" the gRPC server listens on. */
  readonly address: string;
  /** The bound HTTP port. */
  readonly httpPort: number;
  /** "host:port" the HTTP server listens on. */
  readonly httpAddress: string;
  /** The store behind the server (closed by close()). */
  readonly store: Store;
  /** Graceful shutdown (see startServer); idempotent, never rejects. */
  close(): Promise<void>;
}

/**
 * Builds the store, starts the watchdog and the health monitor, serves the store service, health and
 * reflection over gRPC, and the agent-lightning REST API and OTLP/HTTP on the HTTP port. close() reports NOT_SERVING, refuses new calls, lets open calls and streams
 * finish for up to drainSeconds, cancels the rest, stops the watchdog and closes the store.
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const o = resolveSettings(options);
  const logger = options.logger ?? pino({ level: 'silent' });
  const store =
    options.store ??
    createStore({
      backend: o.backend,
      clock: options.clock ?? systemClock,
      dbPath: o.dbPath ?? undefined,
      sqliteSync: o.sqliteSync,
      mongoUri: o.mongoUri ?? undefined,
      mongoDatabase: o.mongoDatabase,
      mongoNamespace: o.mongoNamespace,
    });
  const limits: ServiceLimits = { maxBatchSize: o.maxBatchSize, maxWaitSeconds: o.maxWaitSeconds, ingestBatchSize: o.ingestBatchSize };
  const shutdown = new AbortController();
  const health = new HealthMonitor(store, { intervalMs: o.healthIntervalMs, logger });
  const watchdog = new Watchdog(store, {
    intervalMs: o.watchdogIntervalMs,
    onError: (err) => logger.error({ err }, 'watchdog pass failed'),
    onApplied: (count) => logger.debug({ count }, 'watchdog applied verdicts'),
  });
  const server = createGrpcServer({ store, logger, health, limits, maxMessageBytes: o.maxMessageBytes, shutdown: shutdown.signal });
  const http = createHttpServer({
    routes: httpRoutes({ store, logger, health, limits, shutdown: shutdown.signal }),
    logger,
    maxBodyBytes: o.maxMessageBytes,
    cors: corsOrigins(o.corsOrigins),
  });

  const stopAll = async (): Promise<void> => {
    await health.stop();
    await watchdog.stop();
    await store.close();
  };
  let port: number;
  let httpPort: number;
  try {
    await health.check();
    port = await bindServer(server, o.host, o.port);
    httpPort = await bindHttpServer(http, o.host, o.httpPort);
  } catch (err) {
    server.forceShutdown();
    await shutdownHttpServer(http, 0);
    await stopAll();
    throw err;
  }
  health.start();
  watchdog.start();
  const address = formatAddress(o.host, port);
  const httpAddress = formatAddress(o.host, httpPort);
  // The connection string may carry a password: it is never logged.
  const { host: _host, port: _port, httpPort: _httpPort, backend: _backend, mongoUri: _mongoUri, ...settings } = o;
  logger.info({ address, httpAddress, backend: store.backendName, settings }, 'Lightning Store listening');

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      logger.info({ drainSeconds: o.drainSeconds }, 'shutting down');
      await health.stop();
      shutdown.abort();
      await Promise.all([shutdownServer(server, o.drainSeconds * 1000, logger), shutdownHttpServer(http, o.drainSeconds * 1000)]);
      await stopAll();
      logger.info('stopped');
    })().catch((err: unknown) => logger.error({ err }, 'error during shutdown'));
    return closing;
  };
  return { port, address, httpPort, httpAddress, store, close };
}
