import pino from 'pino';
import type { Logger } from 'pino';
import type { Clock } from './domain/clock';
import { systemClock } from './domain/clock';
import { DEFAULT_LIMITS } from './frontend/limits';
import type { ServiceLimits } from './frontend/limits';
import { bindServer, createGrpcServer, formatAddress, shutdownServer } from './grpc/grpc-server';
import { HEALTH_DEFAULTS, HealthMonitor } from './frontend/health-monitor';
import { corsOrigins } from './http/cors';
import { bindHttpServer, createHttpServer, HTTP_DEFAULTS, shutdownHttpServer } from './http/http-server';
import type { HttpPortOptions } from './http/http-server';
import { httpRoutes } from './http/routes';
import { Ingest, INGEST_DEFAULTS, memoryBudget } from './ingest/ingest';
import type { IngestOptions } from './ingest/ingest';
import { ReloadableServerCredentials } from './grpc/tls-credentials';
import { exposureRefusal } from './security/exposure';
import { SECURITY_DEFAULTS } from './security/options';
import type { SecurityOptions } from './security/options';
import { SecurityState } from './security/state';
import type { TokenSet } from './security/tokens';
import { createStore, STORAGE_DEFAULTS } from './store/create-store';
import type { StorageOptions } from './store/create-store';
import type { Store } from './store/store';
import { Watchdog, WATCHDOG_DEFAULTS } from './store/watchdog';

/** Where the server listens. */
export interface ListenOptions {
  /** Interface of both ports; default 127.0.0.1 (another address needs tokens, or security.insecureNoAuth). */
  readonly host: string;
  /** gRPC port; 0 picks a free one; default 4748. */
  readonly grpcPort: number;
  /** HTTP port (agent-lightning REST API and OTLP/HTTP); 0 picks a free one; default 4747. */
  readonly httpPort: number;
}

/** Defaults of where the server listens. */
export const LISTEN_DEFAULTS: ListenOptions = { host: '127.0.0.1', grpcPort: 4748, httpPort: 4747 };

/** Seconds close() lets open calls finish before cancelling them, by default. */
export const DRAIN_SECONDS_DEFAULT = 10;

/**
 * Options of the Lightning Store server: one part per component, each with its defaults defined beside
 * the component (LISTEN_DEFAULTS, STORAGE_DEFAULTS, DEFAULT_LIMITS, INGEST_DEFAULTS, HTTP_DEFAULTS,
 * WATCHDOG_DEFAULTS, HEALTH_DEFAULTS, SECURITY_DEFAULTS). Every field may be left out.
 */
export interface ServerOptions {
  readonly listen?: Partial<ListenOptions>;
  /** Ignored when `store` is given. */
  readonly storage?: StorageOptions;
  readonly limits?: Partial<ServiceLimits>;
  readonly ingest?: Partial<IngestOptions>;
  readonly http?: Partial<HttpPortOptions>;
  /** Tokens, TLS and the Host check of both ports. */
  readonly security?: Partial<SecurityOptions>;
  /** Milliseconds between watchdog passes. */
  readonly watchdog?: { readonly intervalMs?: number };
  /** Milliseconds between health pings of the store (a slower ping counts as failed). */
  readonly health?: { readonly intervalMs?: number };
  /** Seconds close() lets open calls finish before cancelling them; default 10. */
  readonly drainSeconds?: number;
  /** An already built store (tests inject wrappers); close() closes it too. */
  readonly store?: Store;
  /** Time source of the store and its watchdog; default the system clock. */
  readonly clock?: Clock;
  /** Structured logger; default silent. */
  readonly logger?: Logger;
}

/** The options with every default filled in (what the server runs with, and logs). */
export interface ResolvedServerOptions {
  readonly listen: ListenOptions;
  readonly storage: StorageOptions;
  readonly limits: ServiceLimits;
  readonly ingest: IngestOptions;
  readonly http: HttpPortOptions;
  readonly security: SecurityOptions;
  readonly watchdog: { readonly intervalMs: number };
  readonly health: { readonly intervalMs: number };
  readonly drainSeconds: number;
}

/** The defaults of every option, gathered from the components. */
export const SERVER_DEFAULTS: ResolvedServerOptions = {
  listen: LISTEN_DEFAULTS,
  storage: STORAGE_DEFAULTS,
  limits: DEFAULT_LIMITS,
  ingest: INGEST_DEFAULTS,
  http: HTTP_DEFAULTS,
  security: SECURITY_DEFAULTS,
  watchdog: WATCHDOG_DEFAULTS,
  health: HEALTH_DEFAULTS,
  drainSeconds: DRAIN_SECONDS_DEFAULT,
};

/** The options over their defaults, component by component. */
export function resolveServerOptions(options: ServerOptions): ResolvedServerOptions {
  const d = SERVER_DEFAULTS;
  const s = options.storage ?? {};
  return {
    listen: { ...d.listen, ...options.listen },
    storage: {
      backend: s.backend ?? d.storage.backend,
      sqlite: { ...d.storage.sqlite, ...s.sqlite },
      mongo: { ...d.storage.mongo, ...s.mongo },
      ...(s.memory ? { memory: s.memory } : {}),
    },
    limits: { ...d.limits, ...options.limits },
    ingest: { ...d.ingest, ...options.ingest },
    http: { ...d.http, ...options.http },
    security: { ...d.security, ...options.security },
    watchdog: { ...d.watchdog, ...options.watchdog },
    health: { ...d.health, ...options.health },
    drainSeconds: options.drainSeconds ?? d.drainSeconds,
  };
}

/** What the startup log shows of the options: everything but the MongoDB connection string (it may carry a password) and token text. */
function loggable(o: ResolvedServerOptions): object {
  const { uri: _uri, ...mongo } = o.storage.mongo ?? {};
  const { tokens, ...security } = o.security;
  return { ...o, storage: { ...o.storage, mongo }, security: { ...security, tokens: tokens === null ? null : '(from LIGHTNING_STORE_TOKENS)' } };
}

/** A started server. */
export interface RunningServer {
  /** The bound gRPC port (the ephemeral one when port 0 was asked for). */
  readonly port: number;
  /** "host:port" the gRPC server listens on. */
  readonly address: string;
  /** The bound HTTP port. */
  readonly httpPort: number;
  /** "host:port" the HTTP server listens on. */
  readonly httpAddress: string;
  /** The store behind the server (closed by close()). */
  readonly store: Store;
  /** Whether both ports speak TLS. */
  readonly tls: boolean;
  /** Re-reads the token and TLS files (what SIGHUP does); bad files keep the previous ones. */
  reload(): void;
  /** Graceful shutdown (see startServer); idempotent, never rejects. */
  close(): Promise<void>;
}

/**
 * Builds the store, starts the watchdog and the health monitor, serves the store service, health and
 * reflection over gRPC, and the agent-lightning REST API and OTLP/HTTP on the HTTP port, all sharing one
 * ingest pipeline and one memory budget. close() reports NOT_SERVING, refuses new calls, lets open calls
 * and streams finish for up to drainSeconds, cancels the rest, writes every span received, stops the
 * watchdog and closes the store.
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const o = resolveServerOptions(options);
  const logger = options.logger ?? pino({ level: 'silent' });
  // Before anything opens: bad token or TLS files, or an exposed address without tokens, stop the start.
  const security = new SecurityState(o.security, logger);
  const refusal = exposureRefusal({ host: o.listen.host, tokenCount: security.tokens?.size ?? 0, insecureNoAuth: o.security.insecureNoAuth });
  if (refusal) throw new Error(refusal);
  const tokens = (): TokenSet | null => security.tokens;
  const clock = options.clock ?? systemClock;
  const store = options.store ?? createStore({ ...o.storage, clock });
  const shutdown = new AbortController();
  const health = new HealthMonitor(store, { intervalMs: o.health.intervalMs, logger });
  const watchdog = new Watchdog(store, {
    clock,
    intervalMs: o.watchdog.intervalMs,
    onError: (err) => logger.error({ err }, 'watchdog pass failed'),
    onApplied: (count) => logger.debug({ count }, 'watchdog applied verdicts'),
  });
  const budget = memoryBudget(o.limits.maxHeldBytes);
  const ingest = new Ingest(store, budget, o.ingest);
  const { limits } = o;
  const server = createGrpcServer({ store, ingest, logger, health, limits, shutdown: shutdown.signal, tokens });
  const tls = security.tls;
  const requireClientCertificate = security.requiresClientCertificate;
  const grpcCredentials = tls ? new ReloadableServerCredentials(tls, requireClientCertificate) : undefined;
  const http = createHttpServer({
    routes: httpRoutes({ store, ingest, logger, health, limits, shutdown: shutdown.signal }),
    logger,
    maxBodyBytes: limits.maxMessageBytes,
    budget,
    cors: corsOrigins(o.http.corsOrigins),
    guard: { tokens, allowedHosts: o.security.allowedHosts },
    ...(tls ? { tls: { material: tls, requireClientCertificate } } : {}),
  });
  security.onTlsChange((material) => {
    grpcCredentials?.update(material);
    if ('setSecureContext' in http) http.setSecureContext({ ...material });
  });

  const stopAll = async (): Promise<void> => {
    await health.stop();
    // Spans received before shutdown are written before the store closes.
    await ingest.drain();
    const { received, written, failed } = ingest.pipeline;
    logger.info({ spansReceived: received, spansWritten: written, spansFailed: failed }, 'ingest drained');
    await watchdog.stop();
    await store.close();
  };
  const { host } = o.listen;
  let port: number;
  let httpPort: number;
  try {
    await health.check();
    port = await bindServer(server, host, o.listen.grpcPort, grpcCredentials);
    httpPort = await bindHttpServer(http, host, o.listen.httpPort);
  } catch (err) {
    server.forceShutdown();
    await shutdownHttpServer(http, 0);
    await stopAll();
    throw err;
  }
  health.start();
  watchdog.start();
  security.watch();
  const address = formatAddress(host, port);
  const httpAddress = formatAddress(host, httpPort);
  const authentication = security.tokens === null ? 'off' : `${security.tokens.size} tokens`;
  logger.info({ address, httpAddress, backend: store.backendName, tls: tls !== null, authentication, options: loggable(o) }, 'Lightning Store listening');

  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      logger.info({ drainSeconds: o.drainSeconds }, 'shutting down');
      security.unwatch();
      await health.stop();
      shutdown.abort();
      await Promise.all([shutdownServer(server, o.drainSeconds * 1000, logger), shutdownHttpServer(http, o.drainSeconds * 1000)]);
      await stopAll();
      logger.info('stopped');
    })().catch((err: unknown) => logger.error({ err }, 'error during shutdown'));
    return closing;
  };
  return { port, address, httpPort, httpAddress, store, tls: tls !== null, reload: () => security.reload(), close };
}
