import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StoreClient } from '../../src/client/store-client';
import { StoreClientError } from '../../src/client/errors';
import { healthClient } from '../support/grpc-clients';
import type { SecuredServer } from './support';
import { call, eventually, startSecured, stop } from './support';

const ADMIN = 'admin-token-aaaaaaaaaaaaaaaa';
const RUNNER = 'runner-token-bbbbbbbbbbbbbbbb';
const ROTATED = 'runner-token-cccccccccccccccc';

async function statusOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (err) {
    if (err instanceof StoreClientError) return err.codeName;
    throw err;
  }
}

describe('bearer tokens on a real server process', () => {
  let dir: string;
  let tokenFile: string;
  let server: SecuredServer | undefined;
  const clients: StoreClient[] = [];
  const client = (token?: string) => {
    const c = new StoreClient(server!.address, { retry: false, deadlineMs: 5000, ...(token === undefined ? {} : { token }) });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ls-tokens-'));
    tokenFile = path.join(dir, 'tokens');
    writeFileSync(tokenFile, `admin ${ADMIN}\nrunner ${RUNNER}\n`);
    server = await startSecured(['--token-file', tokenFile, '--reload-interval-ms', '100', '--cors-origin', 'http://app.test']);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await stop(server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers gRPC UNAUTHENTICATED without a valid token, PERMISSION_DENIED without the scope, and serves the scope', async () => {
    expect(await statusOf(client().getStatistics({}))).toBe('UNAUTHENTICATED');
    expect(await statusOf(client('not-a-token-at-all-xxxx').getStatistics({}))).toBe('UNAUTHENTICATED');
    expect(await statusOf(client(RUNNER).enqueueRollout({ rollout: { inputJson: '{}' } }))).toBe('PERMISSION_DENIED');
    expect(await statusOf(client(RUNNER).ingestSpans([]))).toBe('OK');
    expect(await statusOf(client().ingestSpans([]))).toBe('UNAUTHENTICATED');
    expect(await statusOf(client(ADMIN).enqueueRollout({ rollout: { inputJson: '{}' } }))).toBe('OK');
    const claimed = await client(RUNNER).dequeueRollout({});
    expect(claimed.rollout).toBeDefined();
  });

  it('keeps gRPC health open', async () => {
    const health = healthClient(server!.address);
    try {
      expect(await health.check('')).toBe('SERVING');
    } finally {
      health.close();
    }
  });

  it('answers HTTP 401 with WWW-Authenticate, 403 without the scope, and serves the scope; health and preflight need no token', async () => {
    const port = server!.httpPort;
    const noToken = await call(port, 'GET', '/v1/agl/statistics');
    expect([noToken.status, noToken.headers['www-authenticate']]).toEqual([401, 'Bearer']);
    const json = { 'content-type': 'application/json' };
    const resources = JSON.stringify({ llm: { resource_type: 'llm', endpoint: 'http://x', model: 'm' } });
    expect((await call(port, 'POST', '/v1/agl/resources', { body: resources, headers: { ...json, authorization: `Bearer ${RUNNER}` } })).status).toBe(403);
    expect((await call(port, 'POST', '/v1/agl/resources', { body: resources, headers: { ...json, authorization: `Bearer ${ADMIN}` } })).status).toBe(201);
    expect((await call(port, 'GET', '/v1/agl/resources/latest', { headers: { authorization: `Bearer ${RUNNER}` } })).status).toBe(200);
    expect((await call(port, 'POST', '/v1/traces', { body: '{}', headers: json })).status).toBe(401);
    expect((await call(port, 'GET', '/v1/agl/no-such-route')).status).toBe(401);
    expect((await call(port, 'GET', '/v1/agl/health')).status).toBe(200);
    const preflight = await call(port, 'OPTIONS', '/v1/agl/rollouts', { headers: { origin: 'http://app.test', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(200);
  });

  it('refuses cross-site writes: a body without a JSON or protobuf type is 415, a foreign Host 421', async () => {
    const port = server!.httpPort;
    const auth = { authorization: `Bearer ${ADMIN}` };
    const body = JSON.stringify({ input: {} });
    const plain = await call(port, 'POST', '/v1/agl/queues/rollouts/enqueue', { body, headers: { ...auth, 'content-type': 'text/plain' } });
    expect(plain.status).toBe(415);
    expect((await call(port, 'POST', '/v1/agl/queues/rollouts/enqueue', { body, headers: auth })).status).toBe(415);
    const rebound = await call(port, 'GET', '/v1/agl/health', { headers: { host: `evil.example:${port}` } });
    expect(rebound.status).toBe(421);
    expect((await call(port, 'GET', '/v1/agl/health', { headers: { host: `localhost:${port}` } })).status).toBe(200);
  });

  it('reloads the token file when it changes and on SIGHUP, without a restart', async () => {
    writeFileSync(tokenFile, `admin ${ADMIN}\nrunner ${ROTATED}\n`);
    await eventually(async () => (await statusOf(client(ROTATED).getStatistics({}))) === 'OK');
    expect(await statusOf(client(RUNNER).getStatistics({}))).toBe('UNAUTHENTICATED');
    writeFileSync(tokenFile, `admin ${ADMIN}\nrunner ${RUNNER}\n`);
    server!.cli.child.kill('SIGHUP');
    await eventually(async () => (await call(server!.httpPort, 'GET', '/v1/agl/statistics', { headers: { authorization: `Bearer ${RUNNER}` } })).status === 200);
    // A broken file keeps the tokens loaded before.
    writeFileSync(tokenFile, 'root nope\n');
    server!.cli.child.kill('SIGHUP');
    await server!.cli.waitForLog((l) => l['msg'] === 'tokens not reloaded: keeping the previous ones');
    expect(await statusOf(client(RUNNER).getStatistics({}))).toBe('OK');
  });
});
