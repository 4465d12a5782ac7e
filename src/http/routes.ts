import type { Logger } from 'pino';
import type { HealthMonitor } from '../grpc/health';
import type { ServiceLimits } from '../frontend/limits';
import { otlpHttpRoutes } from '../otlp/http-routes';
import type { Ingest } from '../ingest/ingest';
import type { Store } from '../store/store';
import { aglRoutes } from './agl/routes';
import type { Route } from './router';

/** What HTTP routes are built from; the same store and limits the gRPC services use. */
export interface HttpRouteDeps {
  readonly store: Store;
  readonly logger: Logger;
  readonly health: HealthMonitor;
  readonly limits: ServiceLimits;
  /** Span ingest shared with the other front ends. */
  readonly ingest: Ingest;
  /** Aborted when shutdown begins; open waits end early. */
  readonly shutdown: AbortSignal;
}

/** Every route of the HTTP port: the agent-lightning REST API and OTLP/HTTP. */
export function httpRoutes(deps: HttpRouteDeps): Route[] {
  return [...aglRoutes(deps), ...otlpHttpRoutes(deps)];
}
