import { status } from '@grpc/grpc-js';
import { StoreClient } from '../../src/index';
import type { RetryEvent } from '../../src/index';
import type { TestServer } from '../support/server';
import { startTestServer } from '../support/server';
import { sleep } from '../support/time';
import { freePort } from '../support/free-port';

/** A client of 127.0.0.1:`port` with quick retries that records every resend. */
function retryingClient(port: number, retry = { maxAttempts: 50, initialBackoffMs: 20, maxBackoffMs: 200 }): { client: StoreClient; retries: RetryEvent[] } {
  const retries: RetryEvent[] = [];
  const client = new StoreClient(`127.0.0.1:${port}`, { deadlineMs: 10_000, retry, onRetry: (e) => retries.push(e) });
  return { client, retries };
}

describe('StoreClient retries on UNAVAILABLE', () => {
  const servers: TestServer[] = [];
  const clients: StoreClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const s of servers.splice(0)) await s.stop();
  });
  const track = <T extends { client: StoreClient }>(made: T): T => {
    clients.push(made.client);
    return made;
  };

  it('resends an idempotent call until the server comes up; a non-idempotent one fails at once', async () => {
    const port = await freePort();
    const { client, retries } = track(retryingClient(port));

    const begun = Date.now();
    const enqueue: unknown = await client.enqueueRollout({ rollout: {} }).catch((e: unknown) => e);
    expect(enqueue).toMatchObject({ code: status.UNAVAILABLE, rpc: 'enqueueRollout', attempts: 1 });
    expect(Date.now() - begun).toBeLessThan(2000);
    expect(retries).toEqual([]);

    const stats = client.getStatistics();
    await sleep(300);
    servers.push(await startTestServer({ listen: { grpcPort: port } }));
    expect((await stats).backend).toBe('memory');
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.every((r) => r.rpc === 'getStatistics' && r.error.code === status.UNAVAILABLE)).toBe(true);
    expect(retries.map((r) => r.attempt)).toEqual(retries.map((_, i) => i + 1));
  });

  it('rides out a server restart on the same port for idempotent calls only', async () => {
    const first = await startTestServer();
    const port = first.server.port;
    const { client, retries } = track(retryingClient(port));
    const rolloutId = (await client.enqueueRollout({ rollout: {} })).rollout!.rolloutId;
    expect((await client.getRollout({ rolloutId })).rollout?.rollout?.rolloutId).toBe(rolloutId);
    await first.stop();

    const refused: unknown = await client.startRollout({ rollout: {} }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: status.UNAVAILABLE, rpc: 'startRollout', attempts: 1 });

    const read = client.queryRollouts();
    await sleep(300);
    servers.push(await startTestServer({ listen: { grpcPort: port } }));
    // A fresh memory store: the rollout of the first server is gone, the call itself succeeds.
    expect((await read).rollouts).toEqual([]);
    expect(retries.filter((r) => r.rpc === 'queryRollouts').length).toBeGreaterThan(0);
    expect(retries.some((r) => r.rpc === 'startRollout')).toBe(false);
  });

  it('gives up after maxAttempts sends with the last UNAVAILABLE, and never resends with retry: false', async () => {
    const port = await freePort();
    const { client, retries } = track(retryingClient(port, { maxAttempts: 3, initialBackoffMs: 10, maxBackoffMs: 10 }));
    await expect(client.getStatistics()).rejects.toMatchObject({ code: status.UNAVAILABLE, attempts: 3 });
    expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
    expect(retries.every((r) => r.delayMs >= 0 && r.delayMs < 10)).toBe(true);

    const once = track({ client: new StoreClient(`127.0.0.1:${port}`, { retry: false }) });
    await expect(once.client.getStatistics()).rejects.toMatchObject({ code: status.UNAVAILABLE, attempts: 1 });
  });

  it('stops resending when the next backoff would end past the deadline', async () => {
    const port = await freePort();
    const { client } = track(retryingClient(port, { maxAttempts: 1000, initialBackoffMs: 50, maxBackoffMs: 100 }));
    const begun = Date.now();
    const err: unknown = await client.getStatistics({ deadlineMs: 400 }).catch((e: unknown) => e);
    const elapsed = Date.now() - begun;
    expect(err).toMatchObject({ code: status.UNAVAILABLE });
    expect((err as { attempts: number }).attempts).toBeGreaterThan(1);
    expect(elapsed).toBeLessThan(1500);
  });
});
