import type { IncomingHttpHeaders } from 'node:http';

/*
 * CORS as agent-lightning's server sets it up (reference §10.1): Starlette's CORSMiddleware with the
 * configured origins, every method, every header, credentials allowed and every header exposed. The
 * answers below are that middleware's, header for header, so a browser dashboard that worked against the
 * reference works here.
 */

/** Methods a preflight may ask for (the middleware's list for `allow_methods=["*"]`). */
const ALLOWED_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'QUERY'];
const PREFLIGHT_VARY = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network';
/** How long a browser may cache a preflight answer, in seconds (the middleware's default). */
const PREFLIGHT_MAX_AGE = '600';

/** The origins CORS answers: a list, or every origin. */
export type CorsOrigins = { readonly all: true } | { readonly all: false; readonly origins: ReadonlySet<string> };

/**
 * The configured origins as the reference reads them: blanks are dropped, `*` anywhere allows every
 * origin, and nothing left means no CORS at all (null).
 */
export function corsOrigins(configured: readonly string[]): CorsOrigins | null {
  const cleaned = configured.map((o) => o.trim()).filter((o) => o !== '');
  if (cleaned.includes('*')) return { all: true };
  return cleaned.length === 0 ? null : { all: false, origins: new Set(cleaned) };
}

/** What CORS makes of a request: a preflight answered in full, or headers to add to the route's answer. */
export type CorsOutcome =
  | { readonly kind: 'preflight'; readonly status: number; readonly headers: Record<string, string>; readonly body: string }
  | { readonly kind: 'simple'; readonly headers: Record<string, string> };

function allowed(policy: CorsOrigins, origin: string): boolean {
  return policy.all || policy.origins.has(origin);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * The CORS answer to a request. A preflight (OPTIONS with Origin and Access-Control-Request-Method, on any
 * path) is answered here: 200 "OK", or 400 "Disallowed CORS origin, method" naming what is refused. Any
 * other request gets `Vary: Origin`, and when it has an Origin the credentials and expose headers, plus
 * `Access-Control-Allow-Origin` echoing an allowed origin (credentials forbid `*`).
 */
export function corsOutcome(policy: CorsOrigins, method: string, headers: IncomingHttpHeaders): CorsOutcome {
  const origin = header(headers, 'origin');
  const requestedMethod = header(headers, 'access-control-request-method');
  if (origin !== undefined && method === 'OPTIONS' && requestedMethod !== undefined) {
    const answer: Record<string, string> = {
      vary: PREFLIGHT_VARY,
      'access-control-allow-methods': ALLOWED_METHODS.join(', '),
      'access-control-max-age': PREFLIGHT_MAX_AGE,
      'access-control-allow-credentials': 'true',
      'content-type': 'text/plain; charset=utf-8',
    };
    const failures: string[] = [];
    if (allowed(policy, origin)) answer['access-control-allow-origin'] = origin;
    else failures.push('origin');
    if (!ALLOWED_METHODS.includes(requestedMethod)) failures.push('method');
    const requestedHeaders = header(headers, 'access-control-request-headers');
    if (requestedHeaders !== undefined) answer['access-control-allow-headers'] = requestedHeaders;
    // The reference does not allow private-network access, so a preflight asking for it is refused.
    if (header(headers, 'access-control-request-private-network') !== undefined) failures.push('private-network');
    return failures.length === 0
      ? { kind: 'preflight', status: 200, headers: answer, body: 'OK' }
      : { kind: 'preflight', status: 400, headers: answer, body: `Disallowed CORS ${failures.join(', ')}` };
  }
  const added: Record<string, string> = { vary: 'Origin' };
  if (origin !== undefined) {
    added['access-control-allow-credentials'] = 'true';
    added['access-control-expose-headers'] = '*';
    if (allowed(policy, origin)) added['access-control-allow-origin'] = origin;
  }
  return { kind: 'simple', headers: added };
}
