import { corsOrigins, corsOutcome } from '../../src/http/cors';
import { parseCommandLine } from '../../src/cli/args';
import type { TestServer } from '../support/server';
import { startTestServer } from '../support/server';

/**
 * CORS as agent-lightning's server answers it (Starlette's CORSMiddleware with allow_methods, allow_headers
 * and expose_headers `*` and credentials allowed); the expected headers were read off that middleware.
 */

const PREFLIGHT_COMMON = {
  vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network',
  'access-control-allow-methods': 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT, QUERY',
  'access-control-max-age': '600',
  'access-control-allow-credentials': 'true',
  'content-type': 'text/plain; charset=utf-8',
};

describe('corsOrigins and corsOutcome', () => {
  const listed = corsOrigins(['http://a.test', ' '])!;
  const every = corsOrigins(['http://a.test', '*'])!;

  it('reads the configured origins as the reference: blanks dropped, * wins, nothing left is no CORS', () => {
    expect(corsOrigins([])).toBeNull();
    expect(corsOrigins(['', '  '])).toBeNull();
    expect(every).toEqual({ all: true });
    expect(listed).toEqual({ all: false, origins: new Set(['http://a.test']) });
  });

  it('answers a preflight with the allowed origin echoed and the requested headers mirrored', () => {
    const headers = { origin: 'http://a.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'Content-Type, X-Foo' };
    expect(corsOutcome(listed, 'OPTIONS', headers)).toEqual({
      kind: 'preflight',
      status: 200,
      body: 'OK',
      headers: { ...PREFLIGHT_COMMON, 'access-control-allow-origin': 'http://a.test', 'access-control-allow-headers': 'Content-Type, X-Foo' },
    });
  });

  it('refuses a preflight naming what is disallowed, with the same headers', () => {
    expect(corsOutcome(listed, 'OPTIONS', { origin: 'http://b.test', 'access-control-request-method': 'FOO' })).toEqual({
      kind: 'preflight',
      status: 400,
      body: 'Disallowed CORS origin, method',
      headers: PREFLIGHT_COMMON,
    });
    expect(corsOutcome(listed, 'OPTIONS', { origin: 'http://a.test', 'access-control-request-method': 'GET', 'access-control-request-private-network': 'true' })).toMatchObject({
      status: 400,
      body: 'Disallowed CORS private-network',
    });
    // With *, every origin passes and is echoed (credentials forbid a literal *).
    expect(corsOutcome(every, 'OPTIONS', { origin: 'http://b.test', 'access-control-request-method': 'GET' })).toMatchObject({
      status: 200,
      headers: { 'access-control-allow-origin': 'http://b.test' },
    });
  });

  it('adds headers to other requests: the origin only when allowed, Vary always', () => {
    const simple = { vary: 'Origin', 'access-control-allow-credentials': 'true', 'access-control-expose-headers': '*' };
    expect(corsOutcome(listed, 'GET', { origin: 'http://a.test' })).toEqual({ kind: 'simple', headers: { ...simple, 'access-control-allow-origin': 'http://a.test' } });
    expect(corsOutcome(listed, 'GET', { origin: 'http://b.test' })).toEqual({ kind: 'simple', headers: simple });
    expect(corsOutcome(every, 'POST', { origin: 'http://b.test' })).toEqual({ kind: 'simple', headers: { ...simple, 'access-control-allow-origin': 'http://b.test' } });
    expect(corsOutcome(listed, 'GET', {})).toEqual({ kind: 'simple', headers: { vary: 'Origin' } });
    // An OPTIONS without Access-Control-Request-Method is not a preflight: it goes to the routes.
    expect(corsOutcome(listed, 'OPTIONS', { origin: 'http://a.test' }).kind).toBe('simple');
  });
});

describe('CORS on the HTTP port', () => {
  let servers: TestServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    servers = [];
  });
  const start = async (origins?: string[]) => {
    const t = await startTestServer(origins ? { http: { corsOrigins: origins } } : {});
    servers.push(t);
    return `http://127.0.0.1:${t.server.httpPort}`;
  };
  const preflight = { origin: 'http://a.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' };

  it('answers nothing CORS by default: a preflight is a plain 405 and answers carry no CORS header', async () => {
    const base = await start();
    const res = await fetch(`${base}/v1/agl/rollouts/search`, { method: 'OPTIONS', headers: preflight });
    expect(res.status).toBe(405);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const health = await fetch(`${base}/v1/agl/health`, { headers: { origin: 'http://a.test' } });
    expect(health.headers.get('access-control-allow-origin')).toBeNull();
    expect(health.headers.get('vary')).toBeNull();
  });

  it('answers preflights on any path and marks answers, errors included, for a configured origin', async () => {
    const base = await start(['http://a.test']);
    for (const path of ['/v1/agl/rollouts/search', '/v1/traces', '/nowhere']) {
      const res = await fetch(`${base}${path}`, { method: 'OPTIONS', headers: preflight });
      expect([path, res.status, await res.text()]).toEqual([path, 200, 'OK']);
      expect(res.headers.get('access-control-allow-origin')).toBe('http://a.test');
      expect(res.headers.get('access-control-allow-headers')).toBe('content-type');
    }
    const refused = await fetch(`${base}/v1/agl/health`, { method: 'OPTIONS', headers: { ...preflight, origin: 'http://evil.test' } });
    expect([refused.status, await refused.text()]).toEqual([400, 'Disallowed CORS origin']);
    const ok = await fetch(`${base}/v1/agl/health`, { headers: { origin: 'http://a.test' } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('http://a.test');
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    const missing = await fetch(`${base}/v1/agl/nothing`, { headers: { origin: 'http://a.test' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('access-control-allow-origin')).toBe('http://a.test');
    const other = await fetch(`${base}/v1/agl/health`, { headers: { origin: 'http://evil.test' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('vary')).toBe('Origin');
  });

  it('is configured by a repeatable --cors-origin or LIGHTNING_STORE_CORS_ORIGINS, flags first', () => {
    const settings = (argv: string[], env: Record<string, string> = {}) => {
      const command = parseCommandLine(['serve', '--backend', 'memory', ...argv], env);
      if (command.kind !== 'serve') throw new Error('expected serve');
      return command.settings.http?.corsOrigins ?? [];
    };
    expect(settings([])).toEqual([]);
    expect(settings(['--cors-origin', 'http://a.test', '--cors-origin', 'http://b.test'])).toEqual(['http://a.test', 'http://b.test']);
    expect(settings(['--cors-origin', '*'])).toEqual(['*']);
    expect(settings([], { LIGHTNING_STORE_CORS_ORIGINS: 'http://a.test, http://b.test' })).toEqual(['http://a.test', 'http://b.test']);
    expect(settings(['--cors-origin', 'http://c.test'], { LIGHTNING_STORE_CORS_ORIGINS: 'http://a.test' })).toEqual(['http://c.test']);
    expect(() => settings([], { LIGHTNING_STORE_CORS_ORIGINS: ' , ' })).toThrow('LIGHTNING_STORE_CORS_ORIGINS');
  });
});
