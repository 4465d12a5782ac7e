import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { call } from '../support/client';
import { ServerProcesses } from '../support/server-processes';
import { wireSpan } from '../support/spans';
import type { HostileServer } from './support';
import { httpCall, OpenStream, rawExchange, RssSampler, startHostile } from './support';

/** The HTTP port against careless and hostile clients: bombs, huge answers, early errors, half-closed sockets. */
const processes = new ServerProcesses();
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ls-hostile-http-'));
});
afterEach(async () => {
  await processes.stopAll('SIGKILL');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const db = (name: string) => path.join(dir, `${name}.db`);

/** Milliseconds the health route takes to answer. */
async function healthLatency(server: HostileServer): Promise<number> {
  const t0 = performance.now();
  const answer = await httpCall(server, 'GET', '/v1/agl/health');
  expect(answer.status).toBe(200);
  return performance.now() - t0;
}

describe('compressed bodies that inflate to nearly the size limit', () => {
  it('answers 300 concurrent gzip bombs with 400 or 503 (Retry-After), within bounded memory, and keeps serving', async () => {
    const server = await startHostile(processes, ['--db', db('bombs')]);
    const bomb = gzipSync(Buffer.alloc(16 * 2 ** 20 - 4096, 0xff)); // an endless varint: not a valid protobuf request
    expect(bomb.length).toBeLessThan(20_000);
    const rss = new RssSampler(server.pid);
    const t0 = performance.now();
    const headers = { 'content-type': 'application/x-protobuf', 'content-encoding': 'gzip', 'content-length': String(bomb.length) };
    const answers = Promise.all(Array.from({ length: 300 }, () => httpCall(server, 'POST', '/v1/traces', bomb, headers)));
    const latencyDuring = await healthLatency(server);
    const statuses = (await answers).map((a) => a.status);
    const took = performance.now() - t0;
    const peak = rss.stop();
    const count = (s: number) => statuses.filter((x) => x === s).length;
    console.log(`300 gzip bombs: ${count(400)} x 400, ${count(503)} x 503 in ${took.toFixed(0)} ms; health answered in ${latencyDuring.toFixed(0)} ms meanwhile; peak RSS ${peak.toFixed(0)} MiB`);
    expect(count(400) + count(503)).toBe(300);
    expect(count(503)).toBeGreaterThan(0);
    expect(peak).toBeLessThan(900);
    const busy = (await answers).find((a) => a.status === 503)!;
    expect(busy.headers['retry-after']).toBe('1');
    expect(JSON.parse(busy.body)).toEqual({ detail: expect.stringMatching(/server busy/) as string });
    expect(await healthLatency(server)).toBeLessThan(1000);
  }, 120_000);
});

describe('queries without a limit over many spans', () => {
  it('answers six at once in full, in pieces, within bounded memory, while other clients are served', async () => {
    const server = await startHostile(processes, ['--db', db('queries')]);
    const started = (await call(server.client, 'startRollout', { rollout: {} })).rollout!;
    const { rolloutId, attemptId } = started.attempt!;
    const attributesJson = JSON.stringify({ text: 'q'.repeat(5000) });
    const stream = new OpenStream(server.client);
    const total = 20_000; // about 100 MB of spans
    for (let i = 0; i < total / 500; i++) await stream.send(Array.from({ length: 500 }, () => wireSpan(rolloutId, attemptId, { attributesJson })));
    stream.end();
    expect((await stream.answer).accepted).toBe(total);
    const rss = new RssSampler(server.pid);
    const before = rss.max / 2 ** 20;
    const t0 = performance.now();
    const queries = Promise.all(Array.from({ length: 6 }, () => httpCall(server, 'GET', `/v1/agl/spans?rollout_id=${rolloutId}`)));
    const latencyDuring = await healthLatency(server);
    const answers = await queries;
    const took = performance.now() - t0;
    const peak = rss.stop();
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      const page = JSON.parse(answer.body) as { items: { sequence_id: number }[]; total: number; limit: number };
      expect([page.total, page.limit, page.items.length]).toEqual([total, -1, total]);
      expect(page.items.map((s) => s.sequence_id)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    }
    console.log(
      `6 queries of ${total} spans without a limit: ${took.toFixed(0)} ms; health answered in ${latencyDuring.toFixed(0)} ms meanwhile; RSS ${before.toFixed(0)} MiB before, peak ${peak.toFixed(0)} MiB`,
    );
    expect(peak).toBeLessThan(768);
    expect(latencyDuring).toBeLessThan(5000);
  }, 180_000);
});

describe('HTTP error paths', () => {
  it('answers a body over the limit once with 413, reads and drops the rest, and logs no error', async () => {
    const server = await startHostile(processes, ['--backend', 'memory', '--max-message-bytes', String(2 ** 20)]);
    const body = Buffer.alloc(3 * 2 ** 20, 0x20);
    const head = `POST /v1/agl/rollouts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const answer = await rawExchange(server, Buffer.concat([Buffer.from(head), body]), false, 5000);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toMatch(/connection: close/i);
    expect(answer).toContain('{"detail":"request body larger than 1048576 bytes"}');
    // A chunked body over the limit is cut off the same way, once the limit is passed.
    const chunked = `POST /v1/agl/rollouts HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    const pieces = Array.from({ length: 8 }, () => Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]));
    const chunkedAnswer = await rawExchange(server, Buffer.concat([Buffer.from(chunked), ...pieces, Buffer.from('0\r\n\r\n')]), false, 5000);
    expect(chunkedAnswer).toMatch(/^HTTP\/1\.1 413 /);
    expect(server.cli.stdout() + server.cli.stderr()).not.toMatch(/ERR_HTTP_HEADERS_SENT|failed to answer/);
    expect((await httpCall(server, 'GET', '/v1/agl/health')).status).toBe(200);
  });

  it('answers a corrupt gzip body with 400 and keeps the connection usable for the answer', async () => {
    const server = await startHostile(processes, ['--backend', 'memory']);
    const corrupt = Buffer.concat([gzipSync(Buffer.from('{"input": 1}')).subarray(0, 12), Buffer.from('not gzip at all')]);
    const answer = await httpCall(server, 'POST', '/v1/agl/queues/rollouts/enqueue', corrupt, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ detail: expect.stringMatching(/cannot read the request body/) as string });
    expect(server.cli.stdout() + server.cli.stderr()).not.toMatch(/ERR_HTTP_HEADERS_SENT|failed to answer/);
  });

  it('answers a client that half-closes its socket after sending the request', async () => {
    const server = await startHostile(processes, ['--backend', 'memory']);
    const body = '{"rollouts": [{"input": {"task": 1}}]}';
    const request = `POST /v1/agl/queues/rollouts/enqueue HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const answer = await rawExchange(server, Buffer.from(request), true);
    expect(answer).toMatch(/^HTTP\/1\.1 201 /);
    expect(answer).toContain('"rollout_id":"ro-');
  });

  it('answers JSON nested thousands of levels deep with 400', async () => {
    const server = await startHostile(processes, ['--backend', 'memory']);
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    for (const route of ['/v1/agl/queues/rollouts/enqueue', '/v1/traces']) {
      const answer = await httpCall(server, 'POST', route, `{"input": ${deep}}`, { 'content-type': 'application/json' });
      expect([route, answer.status]).toEqual([route, 400]);
      expect(answer.body).toMatch(/deeper than 128 levels/);
    }
  });
});
