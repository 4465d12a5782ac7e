import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Metadata, status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { StoreClient } from '../../src/index';
import { call } from '../support/client';
import { ServerProcesses } from '../support/server-processes';
import { wireSpan } from '../support/spans';
import type { HostileServer } from './support';
import { httpCall, startHostile } from './support';

/** Input a careless or hostile client sends, on every backend that needs nothing outside: bounded, refused clearly, never INTERNAL. */
const processes = new ServerProcesses();
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ls-hostile-inputs-'));
});
afterAll(async () => {
  await processes.stopAll('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const rejection = (err: unknown) => err as ServiceError;

describe.each([
  ['memory', () => ['--backend', 'memory']],
  ['sqlite', () => ['--db', path.join(dir, `inputs-${Math.random().toString(16).slice(2)}.db`)]],
])('hostile input [%s]', (_name, storage) => {
  let server: HostileServer;
  let pair: { rolloutId: string; attemptId: string };
  beforeAll(async () => {
    server = await startHostile(processes, storage());
    const started = (await call(server.client, 'startRollout', { rollout: {} })).rollout!;
    pair = { rolloutId: started.rollout!.rolloutId, attemptId: started.attempt!.attemptId };
  });

  it('quotes at most a short prefix of a 100 KB or 10 MB id, and the connection keeps working', async () => {
    for (const size of [100_000, 10_000_000]) {
      const err = rejection(await call(server.client, 'getRollout', { rolloutId: 'r'.repeat(size) }).catch((e: unknown) => e));
      expect(err.code).toBe(status.INVALID_ARGUMENT);
      expect(err.details.length).toBeLessThan(200);
      expect(err.details).toMatch(/rollout_id is longer than 512 characters/);
      const huge = rejection(await call(server.client, 'addSpan', { span: wireSpan(pair.rolloutId, pair.attemptId, { spanId: 's'.repeat(size) }) }).catch((e: unknown) => e));
      expect([huge.code, huge.details.length < 200]).toEqual([status.INVALID_ARGUMENT, true]);
      expect((await call(server.client, 'getStatistics')).backend).toBe(_name);
    }
    // Over REST the id travels in the URL, which Node caps (with the headers) at 16 KiB.
    const rest = await httpCall(server, 'GET', `/v1/agl/rollouts/${'x'.repeat(10_000)}`);
    expect([rest.status, rest.body.length < 300]).toEqual([400, true]);
  });

  it('refuses NUL in ids, and NaN or infinite times, with INVALID_ARGUMENT', async () => {
    const cases = [
      { spanId: 'a\u0000b' },
      { rolloutId: `${pair.rolloutId}\u0000` },
      { traceId: 't\u0000' },
      { startTime: Number.NaN },
      { endTime: Number.POSITIVE_INFINITY },
      { events: [{ name: 'e', timestamp: Number.NaN }] },
      { events: [{ name: 'e', timestamp: Number.NEGATIVE_INFINITY }] },
    ];
    for (const extra of cases) {
      const err = rejection(await call(server.client, 'addSpan', { span: wireSpan(pair.rolloutId, pair.attemptId, extra) }).catch((e: unknown) => e));
      expect([JSON.stringify(extra), err.code]).toEqual([JSON.stringify(extra), status.INVALID_ARGUMENT]);
    }
    const heartbeat = rejection(await call(server.client, 'updateAttempt', { ...pair, lastHeartbeatTime: Number.NaN }).catch((e: unknown) => e));
    expect(heartbeat.code).toBe(status.INVALID_ARGUMENT);
    const worker = rejection(await call(server.client, 'updateWorker', { workerId: 'w\u0000' }).catch((e: unknown) => e));
    expect(worker.code).toBe(status.INVALID_ARGUMENT);
    expect((await call(server.client, 'querySpans', { rolloutId: pair.rolloutId, page: { limit: 0 } })).page!.total).toBe(0);
  });

  it('keeps sequence ids within what every client decodes (2^53 - 1)', async () => {
    const started = (await call(server.client, 'startRollout', { rollout: {} })).rollout!;
    const { rolloutId, attemptId } = started.attempt!;
    for (const sequenceId of [2 ** 53 - 1, 2 ** 52 + 1]) {
      const err = rejection(await call(server.client, 'addSpan', { span: wireSpan(rolloutId, attemptId, { sequenceId }) }).catch((e: unknown) => e));
      expect([sequenceId, err.code]).toEqual([sequenceId, status.INVALID_ARGUMENT]);
    }
    await call(server.client, 'addSpan', { span: wireSpan(rolloutId, attemptId, { sequenceId: 2 ** 52 }) });
    const { sequenceIds } = await call(server.client, 'getManySpanSequenceIds', { targets: [{ rolloutId, attemptId }, { rolloutId, attemptId }] });
    expect(sequenceIds.map(Number)).toEqual([2 ** 52 + 1, 2 ** 52 + 2]);
    // The project's own client decodes every answer that carries them.
    const client = new StoreClient(server.address);
    try {
      const spans = await client.querySpans({ rolloutId });
      expect(spans.spans.map((s) => s.sequenceId)).toEqual([2 ** 52]);
    } finally {
      client.close();
    }
  });

  it('answers bytes that do not decode as protobuf with INVALID_ARGUMENT, on unary calls and streams', async () => {
    const garbage = Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]);
    const raw = (method: string) =>
      new Promise<ServiceError>((resolve) => {
        server.client.makeUnaryRequest(
          `/lightning.store.v1.LightningStoreService/${method}`,
          (b: Buffer) => b,
          (b: Buffer) => b,
          garbage,
          new Metadata(),
          {},
          (err) => resolve(err!),
        );
      });
    for (const method of ['GetRollout', 'EnqueueRollout', 'AddSpan']) expect([method, (await raw(method)).code]).toEqual([method, status.INVALID_ARGUMENT]);
    const streamed = await new Promise<ServiceError>((resolve) => {
      const stream = server.client.makeClientStreamRequest(
        '/lightning.store.v1.LightningStoreService/IngestSpans',
        (b: Buffer) => b,
        (b: Buffer) => b,
        new Metadata(),
        {},
        (err) => resolve(err!),
      );
      stream.write(garbage);
      stream.end();
    });
    expect(streamed.code).toBe(status.INVALID_ARGUMENT);
    expect((await call(server.client, 'getStatistics')).backend).toBe(_name);
  });
});
