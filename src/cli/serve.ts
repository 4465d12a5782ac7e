import type { Logger } from 'pino';
import type { RunningServer } from '../server';
import { startServer } from '../server';
import type { ServeSettings } from './settings';

/** How `serve` ends the process early when a second signal arrives. */
export type ForceExit = (code: number) => never;

/**
 * Runs the server until SIGTERM or SIGINT, then shuts it down gracefully. Resolves with the exit code:
 * 0 after a clean shutdown, 1 when the server cannot start. A second signal calls `forceExit(1)`.
 */
export async function serve(settings: ServeSettings, logger: Logger, forceExit: ForceExit): Promise<number> {
  const { logLevel: _logLevel, ...options } = settings;
  let server: RunningServer;
  try {
    server = await startServer({ ...options, logger });
  } catch (err) {
    logger.fatal({ err }, 'Lightning Store failed to start');
    return 1;
  }
  return new Promise((resolve) => {
    let stopping = false;
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
        resolve(0);
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
