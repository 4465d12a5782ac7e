import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AttemptStatus } from '../../gen/lightning/store/v1/records';
import { call, connect } from '../support/client';
import { ServerProcesses } from '../support/server-processes';
import { wireSpan } from '../support/spans';
import { OpenStream, pause, RssSampler, startHostile, until } from './support';

/**
 * Streams as runners really hold them: open for a whole rollout with a span now and then, flooding with
 * messages near the size limit, or still open when the server is told to stop.
 */
const processes = new ServerProcesses();
const dirs: string[] = [];
const tempDb = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ls-hostile-'));
  dirs.push(dir);
  return path.join(dir, 'store.db');
};

afterEach(async () => {
  await processes.stopAll('SIGKILL');
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe.each([
  ['memory', () => ['--backend', 'memory']],
  ['sqlite', () => ['--db', tempDb()]],
])('a stream held open [%s]', (_name, storage) => {
  it('stores each span as it arrives and keeps the attempt alive past unresponsive_seconds', async () => {
    const server = await startHostile(processes, [...storage(), '--watchdog-interval-ms', '100']);
    const config = { unresponsiveSeconds: 1, maxAttempts: 1 };
    const started = (await call(server.client, 'startRollout', { rollout: { config } })).rollout!;
    const rolloutId = started.rollout!.rolloutId;
    const attemptId = started.attempt!.attemptId;
    const stream = new OpenStream(server.client);
    const visibleAfterMs: number[] = [];
    // One span every 400 ms for 3.2 s: three times the silence after which the watchdog would give up.
    for (let i = 1; i <= 8; i++) {
      await stream.send([wireSpan(rolloutId, attemptId)]);
      const took = await until(async () => (await call(server.client, 'querySpans', { rolloutId, page: { limit: 0 } })).page!.total === i, 2000);
      visibleAfterMs.push(Math.round(took));
      await pause(400);
    }
    const attempt = (await call(server.client, 'getLatestAttempt', { rolloutId })).attempt!;
    expect(attempt.status).toBe(AttemptStatus.ATTEMPT_STATUS_RUNNING);
    stream.end();
    expect(await stream.answer).toEqual({ accepted: 8, duplicates: 0, rejected: [], rejectedCount: 0 });
    console.log(`open stream [${_name}]: each span stored and heartbeated after ${visibleAfterMs.join(', ')} ms`);
    // A span that never became visible would read -1.
    expect(Math.min(...visibleAfterMs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...visibleAfterMs)).toBeLessThan(1000);
  });
});

describe('a flood of large messages on one stream', () => {
  it('is held back by flow control: SQLite stores all of it with bounded memory', async () => {
    const server = await startHostile(processes, ['--db', tempDb(), '--max-held-bytes', String(64 * 2 ** 20), '--max-stream-bytes', String(16 * 2 ** 20)]);
    const started = (await call(server.client, 'startRollout', { rollout: {} })).rollout!;
    const { rolloutId, attemptId } = started.attempt!;
    const rss = new RssSampler(server.pid);
    const stream = new OpenStream(server.client);
    const big = JSON.stringify({ blob: 'x'.repeat(8 * 2 ** 20) });
    const messages = 40; // 320 MiB in all
    for (let i = 0; i < messages; i++) await stream.send([wireSpan(rolloutId, attemptId, { attributesJson: big })]);
    stream.end();
    expect((await stream.answer).accepted).toBe(messages);
    const peak = rss.stop();
    console.log(`flood of ${messages} x 8 MiB spans on SQLite: peak server RSS ${peak.toFixed(0)} MiB`);
    expect(peak).toBeLessThan(700);
    expect((await call(server.client, 'querySpans', { rolloutId, page: { limit: 0 } })).page!.total).toBe(messages);
  }, 120_000);

  it('the memory backend evicts finished rollouts past its limit, refuses when nothing can go, and stays up', async () => {
    const limit = 120 * 2 ** 20;
    const server = await startHostile(processes, ['--backend', 'memory', '--memory-limit-bytes', String(limit)]);
    const rss = new RssSampler(server.pid);
    const big = JSON.stringify({ blob: 'y'.repeat(8 * 2 ** 20) });
    const fill = async (rolloutId: string, attemptId: string, count: number) => {
      const stream = new OpenStream(server.client);
      for (let i = 0; i < count; i++) await stream.send([wireSpan(rolloutId, attemptId, { attributesJson: big })]);
      stream.end();
      return stream.answer;
    };
    const first = (await call(server.client, 'startRollout', { rollout: {} })).rollout!.attempt!;
    // Past the limit with only a running rollout: nothing may be evicted, so writes are refused.
    const refused = (await fill(first.rolloutId, first.attemptId, 30).catch((e: unknown) => e)) as { code?: number; details?: string };
    expect(refused.details).toMatch(/memory backend full/);
    // Finishing the rollout lets its spans go: the next rollout's spans are stored.
    await call(server.client, 'updateAttempt', { rolloutId: first.rolloutId, attemptId: first.attemptId, status: AttemptStatus.ATTEMPT_STATUS_SUCCEEDED });
    const second = (await call(server.client, 'startRollout', { rollout: {} })).rollout!.attempt!;
    expect((await fill(second.rolloutId, second.attemptId, 5)).accepted).toBe(5);
    const stats = await call(server.client, 'getStatistics');
    expect(Number(stats.evictedSpans)).toBeGreaterThan(0);
    await expect(call(server.client, 'querySpans', { rolloutId: first.rolloutId })).rejects.toMatchObject({ details: expect.stringMatching(/have been evicted/) as string });
    const peak = rss.stop();
    console.log(`memory backend at a ${limit / 2 ** 20} MiB limit: ${stats.evictedSpans} spans evicted, peak RSS ${peak.toFixed(0)} MiB`);
    expect(peak).toBeLessThan(900);
  }, 120_000);
});

describe('shutdown with a stream still open', () => {
  it('writes every span it received before the process exits, while a flood is still arriving', async () => {
    const db = tempDb();
    const server = await startHostile(processes, ['--db', db, '--drain-seconds', '0']);
    const started = (await call(server.client, 'startRollout', { rollout: {} })).rollout!;
    const { rolloutId, attemptId } = started.attempt!;
    const stream = new OpenStream(server.client);
    const big = JSON.stringify({ blob: 'z'.repeat(2 * 2 ** 20) });
    let sending = true;
    const flood = (async () => {
      // 2 MiB spans as fast as flow control lets them in, until the server goes away.
      for (let i = 0; sending && i < 2000; i++) await stream.send([wireSpan(rolloutId, attemptId, { attributesJson: big })]);
    })();
    await pause(1500);
    server.cli.child.kill('SIGTERM');
    expect(await server.cli.exited).toBe(0);
    sending = false;
    stream.cancel();
    await Promise.race([flood, pause(2000)]);
    await stream.answer.catch(() => undefined);
    const drained = server.cli.logs.find((l) => l['msg'] === 'ingest drained')!;
    const received = Number(drained['spansReceived']);
    expect(received).toBeGreaterThan(0);
    expect(drained).toMatchObject({ spansWritten: received, spansFailed: 0 });
    const again = await startHostile(processes, ['--db', db]);
    const client = connect(again.address);
    try {
      expect((await call(client, 'querySpans', { rolloutId, page: { limit: 0 } })).page!.total).toBe(received);
    } finally {
      client.close();
    }
    console.log(`SIGTERM during a flood: ${received} spans received, all ${received} stored`);
  }, 60_000);
});
