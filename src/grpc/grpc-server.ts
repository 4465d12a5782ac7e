import { Server, ServerCredentials } from '@grpc/grpc-js';
import type { ServerInterceptor } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { LightningStoreServiceService } from '../../gen/lightning/store/v1/store_service';
import { TraceServiceService } from '../../gen/opentelemetry/proto/collector/trace/v1/trace_service';
import { createTraceService } from './service/trace-service';
import type { Ingest } from '../ingest/ingest';
import type { Store } from '../store/store';
import type { HealthMonitor } from '../frontend/health-monitor';
import type { ServiceLimits } from '../frontend/limits';
import type { TokenSet } from '../security/tokens';
import { authInterceptor } from './auth-interceptor';
import { addReflection } from './reflection';
import { createStoreService } from './service/store-service';
import { tolerantDecoding } from './undecodable';

/** Options of the gRPC server. */
export interface GrpcServerOptions {
  readonly store: Store;
  readonly ingest: Ingest;
  readonly logger: Logger;
  readonly health: HealthMonitor;
  /** Limits; grpc-js answers RESOURCE_EXHAUSTED above limits.maxMessageBytes. */
  readonly limits: ServiceLimits;
  /** Aborted when shutdown begins; open waits end early. */
  readonly shutdown: AbortSignal;
  /** The tokens accepted now, or null when authentication is off; absent: no check at all. */
  readonly tokens?: () => TokenSet | null;
}

/** Calls one HTTP/2 connection may have open at once. */
export const MAX_CONCURRENT_STREAMS = 256;

/** A grpc-js server with the store service, OTLP TraceService, grpc.health.v1 and reflection registered; not yet bound. */
export function createGrpcServer(options: GrpcServerOptions): Server {
  const interceptors: ServerInterceptor[] = options.tokens ? [authInterceptor(options.tokens)] : [];
  const server = new Server({
    'grpc.max_receive_message_length': options.limits.maxMessageBytes,
    // Each open call may hold one decoded message; this bounds how many one connection can open.
    'grpc.max_concurrent_streams': MAX_CONCURRENT_STREAMS,
    interceptors,
  });
  const context = { store: options.store, ingest: options.ingest, logger: options.logger, limits: options.limits, shutdown: options.shutdown };
  server.addService(tolerantDecoding(LightningStoreServiceService), createStoreService(context));
  server.addService(tolerantDecoding(TraceServiceService), createTraceService(context));
  options.health.implementation.addToServer(server);
  addReflection(server);
  return server;
}

/** "host:port", with IPv6 hosts in brackets. */
export function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Binds the server (without TLS unless `credentials` say otherwise); resolves with the bound port (the ephemeral one when `port` is 0). */
export function bindServer(server: Server, host: string, port: number, credentials: ServerCredentials = ServerCredentials.createInsecure()): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(formatAddress(host, port), credentials, (err, bound) => {
      if (err) reject(err);
      else resolve(bound);
    });
  });
}

/**
 * Graceful stop: refuses new calls at once (listeners close, connections get GOAWAY), lets calls in
 * flight finish for up to `drainMs`, then cancels whatever is left. Resolves when the server is down.
 */
export function shutdownServer(server: Server, drainMs: number, logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      logger.warn({ drainMs }, 'drain time over: cancelling the calls still open');
      server.forceShutdown();
      resolve();
    }, drainMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
