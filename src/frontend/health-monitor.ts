import type { ServingStatus } from 'grpc-health-check';
import { HealthImplementation } from 'grpc-health-check';
import type { Logger } from 'pino';
import type { Store } from '../store/store';

/** The service names whose health is reported: the whole server ("") and the store service. */
export const HEALTH_SERVICE_NAMES = ['', 'lightning.store.v1.LightningStoreService'] as const;

/** Defaults of the health monitor. */
export const HEALTH_DEFAULTS = { intervalMs: 1000 } as const;

/** Options of the health monitor. */
export interface HealthMonitorOptions {
  /** Milliseconds between store pings; a ping slower than this counts as failed; default 1000. */
  readonly intervalMs?: number;
  readonly logger: Logger;
}

/**
 * Keeps grpc.health.v1 in step with the store: SERVING while store.ping() succeeds, NOT_SERVING when it
 * fails or is too slow, and NOT_SERVING for good once stopped (shutdown).
 */
export class HealthMonitor {
  /** The grpc.health.v1 implementation to register on the server. */
  readonly implementation = new HealthImplementation(
    Object.fromEntries(HEALTH_SERVICE_NAMES.map((name) => [name, 'NOT_SERVING'])),
  );
  private readonly intervalMs: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private current: ServingStatus = 'NOT_SERVING';
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly options: HealthMonitorOptions,
  ) {
    this.intervalMs = options.intervalMs ?? HEALTH_DEFAULTS.intervalMs;
    if (!(this.intervalMs > 0)) throw new Error(`health interval must be > 0 ms, got ${this.intervalMs}`);
  }

  /** The status last reported. */
  get status(): ServingStatus {
    return this.current;
  }

  /** Pings the store once (unless a ping is in progress) and updates the status. Never rejects. */
  check(): Promise<void> {
    this.running ??= this.ping()
      .then(
        () => this.set('SERVING'),
        (err: unknown) => this.set('NOT_SERVING', err),
      )
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  /** Starts polling (idempotent). */
  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setInterval(() => void this.check(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops polling and reports NOT_SERVING from now on. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.set('NOT_SERVING');
    await this.running;
  }

  private async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`store ping took longer than ${this.intervalMs} ms`)), this.intervalMs);
    });
    try {
      await Promise.race([this.store.ping(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private set(status: ServingStatus, err?: unknown): void {
    if (this.stopped) status = 'NOT_SERVING';
    if (status !== this.current) {
      if (status === 'SERVING') this.options.logger.info('store reachable: SERVING');
      else if (!this.stopped) this.options.logger.warn({ err }, 'store unreachable: NOT_SERVING');
    }
    this.current = status;
    for (const name of HEALTH_SERVICE_NAMES) this.implementation.setStatus(name, status);
  }
}
