import type { LightningStoreServiceClient } from '../../gen/lightning/store/v1/store_service';
import { connect } from './client';
import type { CliProcess } from './cli-process';
import { runCli } from './cli-process';

/** A server process started through the CLI, with a client connected to it. */
export interface ServerProcess {
  readonly cli: CliProcess;
  readonly address: string;
  readonly client: LightningStoreServiceClient;
}

/** Starts `lightning-store serve` processes on ephemeral ports and stops every one of them in `stopAll`. */
export class ServerProcesses {
  private readonly started: ServerProcess[] = [];

  /** Starts a server with `args` (after serve --host 127.0.0.1 --port 0) and waits until it listens. */
  async start(args: readonly string[]): Promise<ServerProcess> {
    const cli = runCli(['serve', '--host', '127.0.0.1', '--port', '0', '--http-port', '0', ...args]);
    const line = await cli.waitForLog((l) => l['msg'] === 'Lightning Store listening');
    const address = String(line['address']);
    const server = { cli, address, client: connect(address) };
    this.started.push(server);
    return server;
  }

  /** Closes the clients and ends the processes still running with `signal`. */
  async stopAll(signal: NodeJS.Signals): Promise<void> {
    for (const { cli, client } of this.started.splice(0)) {
      client.close();
      if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill(signal);
      await cli.exited;
    }
  }
}
