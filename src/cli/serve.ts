import { mkdirSync } from 'node:fs';
import type { Logger } from 'pino';
import type { RunningServer } from '../server';
import { startServer } from '../server';
import type { ServeSettings } from './settings';

/** How `serve` ends the process early when a second signal arrives. */
export type ForceExit = (code: number) => never;

/** What serve needs besides its settings. */
export interface ServeIo {
  readonly logger: Logger;
  /** Where a failure to start is explained in one plain line (besides the log). */
  readonly stderr: { write(text: string): unknown };
  readonly forceExit: ForceExit;
  /** Directory to create first (the default data directory), or null. */
  readonly dataDir: string | null;
}

/**
 * Runs the server until SIGTERM or SIGINT, then shuts it down gracefully; SIGHUP re-reads the token and TLS files. Resolves with the exit code:
 * 0 after a clean shutdown, 1 when the server cannot start. A second signal calls `forceExit(1)`.
 */
export async function serve(settings: ServeSettings, io: ServeIo): Promise<number> {
  const { logger, forceExit } = io;
  const { logLevel: _logLevel, ...options } = settings;
  let server: RunningServer;
  try {
    if (io.dataDir !== null) mkdirSync(io.dataDir, { recursive: true });
    server = await startServer({ ...options, logger });
  } catch (err) {
    logger.fatal({ err }, 'Lightning Store failed to start');
    io.stderr.write(`lightning-store: cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  return new Promise((resolve) => {
    let stopping = false;
    const onHangup = (): void => {
      logger.info('SIGHUP: re-reading the token and TLS files');
      server.reload();
    };
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting without waiting for the shutdown');
        forceExit(1);
      }
      stopping = true;
      logger.info({ signal }, 'signal received: shutting down gracefully');
      void server.close().then(() => {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        process.off('SIGHUP', onHangup);
        resolve(0);
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    process.on('SIGHUP', onHangup);
  });
}
