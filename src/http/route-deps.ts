import type { Logger } from 'pino';
import type { HealthMonitor } from '../frontend/health-monitor';
import type { ServiceLimits } from '../frontend/limits';
import type { Ingest } from '../ingest/ingest';
import type { Store } from '../store/store';

/** What HTTP routes are built from; the same store, limits and ingest the gRPC services use. */
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
