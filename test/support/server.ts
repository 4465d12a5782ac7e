import type { LightningStoreServiceClient } from '../../gen/lightning/store/v1/store_service';
import type { RunningServer, ServerOptions } from '../../src/server';
import { startServer } from '../../src/server';
import { connect } from './client';

/** A server on 127.0.0.1:0 with a connected client; `stop` closes both. */
export interface TestServer {
  readonly server: RunningServer;
  readonly client: LightningStoreServiceClient;
  stop(): Promise<void>;
}

/** Starts a real server on an ephemeral port (short drain by default) and connects a client. */
export async function startTestServer(options: ServerOptions = {}): Promise<TestServer> {
  const server = await startServer({ drainSeconds: 1, ...options, listen: { host: '127.0.0.1', grpcPort: 0, httpPort: 0, ...options.listen } });
  const client = connect(server.address);
  return {
    server,
    client,
    stop: async () => {
      client.close();
      await server.close();
    },
  };
}
