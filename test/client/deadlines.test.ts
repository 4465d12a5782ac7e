import { status } from '@grpc/grpc-js';
import { StoreClient, StoreClientError } from '../../src/index';
import type { TestServer } from '../support/server';
import { startTestServer } from '../support/server';

describe('StoreClient deadlines and cancellation', () => {
  let t: TestServer;
  let client: StoreClient;
  let rolloutId: string;
  beforeAll(async () => {
    t = await startTestServer();
    client = new StoreClient(t.server.address, { deadlineMs: 200 });
    // A queued rollout never finishes in these tests, so waits on it last their whole timeout.
    rolloutId = (await client.enqueueRollout({ rollout: {} })).rollout!.rolloutId;
  });
  afterAll(async () => {
    client.close();
    await t.stop();
  });

  it('fails a WaitForRollouts longer than the per-call deadline with DEADLINE_EXCEEDED, at the deadline', async () => {
    const begun = Date.now();
    const err: unknown = await client.waitForRollouts({ rolloutIds: [rolloutId], timeoutSeconds: 10 }, { deadlineMs: 300 }).catch((e: unknown) => e);
    const elapsed = Date.now() - begun;
    expect(err).toBeInstanceOf(StoreClientError);
    expect(err).toMatchObject({ code: status.DEADLINE_EXCEEDED, codeName: 'DEADLINE_EXCEEDED', rpc: 'waitForRollouts', attempts: 1 });
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(3000);
  });

  it('gives a wait the client deadline plus its timeout by default, so it ends with the server answer', async () => {
    // The client deadline (200 ms) alone is shorter than the 600 ms wait.
    const begun = Date.now();
    const answer = await client.waitForRollouts({ rolloutIds: [rolloutId], timeoutSeconds: 0.6 });
    expect(answer.rollouts).toEqual([]);
    expect(Date.now() - begun).toBeGreaterThanOrEqual(550);
  });

  it('applies the client default deadline to other calls and lets a call override it', async () => {
    // A deadline of 0 ms has passed before the call starts.
    const slow = new StoreClient(t.server.address, { deadlineMs: 0 });
    try {
      const err: unknown = await slow.getStatistics().catch((e: unknown) => e);
      expect(err).toMatchObject({ code: status.DEADLINE_EXCEEDED });
      expect((await slow.getStatistics({ deadlineMs: 5000 })).backend).toBe('memory');
    } finally {
      slow.close();
    }
  });

  it('cancels a call when its signal aborts, with CANCELLED', async () => {
    const abort = new AbortController();
    const waiting = client.waitForRollouts({ rolloutIds: [rolloutId], timeoutSeconds: 10 }, { deadlineMs: 10_000, signal: abort.signal });
    setTimeout(() => abort.abort(), 100);
    const begun = Date.now();
    await expect(waiting).rejects.toMatchObject({ code: status.CANCELLED, rpc: 'waitForRollouts' });
    expect(Date.now() - begun).toBeLessThan(3000);
    await expect(client.getStatistics({ signal: abort.signal })).rejects.toMatchObject({ code: status.CANCELLED, attempts: 0 });
  });
});
