import pino from 'pino';
import { packageVersion } from '../frontend/package-root';
import { parseCommandLine } from './args';
import { checkHealth } from './health';
import type { ForceExit } from './serve';
import { serve } from './serve';
import { UsageError } from './settings';
import { usage } from './usage';

/** Where the CLI writes and how it ends the process early. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly forceExit: ForceExit;
}

/**
 * Runs the `lightning-store` command line and resolves with the exit code: 0 on success, 1 when the
 * server fails, 2 for a usage error (message on stderr).
 */
export async function runCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: CliIo): Promise<number> {
  let command;
  try {
    command = parseCommandLine(argv, env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.stderr.write(`lightning-store: ${err.message}\nRun 'lightning-store --help' for usage.\n`);
    return 2;
  }
  switch (command.kind) {
    case 'help':
      io.stdout.write(usage());
      return 0;
    case 'version':
      io.stdout.write(`${packageVersion()}\n`);
      return 0;
    case 'health':
      return checkHealth(command.address, command.tls, io);
    case 'serve': {
      const logger = pino({ level: command.settings.logLevel });
      return serve(command.settings, { logger, stderr: io.stderr, forceExit: io.forceExit, dataDir: command.dataDir });
    }
  }
}
