import { credentials } from '@grpc/grpc-js';
import * as api from '../../src/index';
import * as serverApi from '../../src/entry/server';
import { GetStatisticsRequest } from '../../gen/lightning/store/v1/store_service';
import type { GetStatisticsResponse } from '../../gen/lightning/store/v1/store_service';

describe('package entry point', () => {
  it('exports the store and the server from the server entry, the domain errors and clock and a client from the root', async () => {
    expect(typeof serverApi.LightningStore).toBe('function');
    expect(typeof serverApi.MemoryBackend).toBe('function');
    expect(typeof serverApi.createStore).toBe('function');
    expect(new api.StoreError('NOT_FOUND', 'x')).toBeInstanceOf(Error);
    expect(new api.FakeClock(5).now()).toBe(5);
    expect(api.ROLLOUT_STATUSES).toContain('requeuing');
    const server = await serverApi.startServer({ listen: { host: '127.0.0.1', grpcPort: 0, httpPort: 0 }, store: new serverApi.LightningStore({ backend: new serverApi.MemoryBackend() }) });
    const client = new api.LightningStoreServiceClient(server.address, credentials.createInsecure());
    try {
      const stats = await new Promise<GetStatisticsResponse>((resolve, reject) =>
        client.getStatistics(GetStatisticsRequest.fromPartial({}), (err, res) => (err ? reject(err) : resolve(res))),
      );
      expect(stats.backend).toBe('memory');
    } finally {
      client.close();
      await server.close();
    }
  });

  it('exports the typed client, its error, the retry table, the span exporter and the wire namespace', async () => {
    expect(api.RETRY_SAFETY.getRollout.retry).toBe(true);
    expect(api.RETRY_SAFETY.enqueueRollout.retry).toBe(false);
    expect(api.DEFAULT_RETRY_POLICY.maxAttempts).toBeGreaterThan(1);
    expect(api.wire.AttemptStatus.ATTEMPT_STATUS_SUCCEEDED).toBe(4);
    expect(api.ROLLOUT_ID_ATTRIBUTE).toBe('agentlightning.rollout_id');
    const server = await serverApi.startServer({ listen: { host: '127.0.0.1', grpcPort: 0, httpPort: 0 } });
    const client = new api.StoreClient(server.address);
    const exporter = new api.StoreSpanExporter({ client });
    try {
      expect((await client.getStatistics()).backend).toBe('memory');
      await expect(client.getWorker({ workerId: 'nobody' })).rejects.toBeInstanceOf(api.StoreClientError);
      await exporter.forceFlush();
    } finally {
      await exporter.shutdown();
      client.close();
      await server.close();
    }
  });
});
