import type { IncomingHttpHeaders } from 'node:http';

/** A request as route handlers see it: body already read (and decompressed), path parameters parsed. */
export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  /** Values of the `:name` segments of the route's pattern, URL-decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** What a handler answers: JSON, raw bytes with their content type, or text written piece by piece. */
export type HttpReply =
  | { readonly status: number; readonly json: unknown }
  | { readonly status: number; readonly bytes: Uint8Array; readonly contentType: string }
  | { readonly status: number; readonly pieces: AsyncIterable<string>; readonly contentType: string };

/** A JSON answer. */
export function jsonReply(status: number, json: unknown): HttpReply {
  return { status, json };
}

/** A binary answer. */
export function bytesReply(status: number, bytes: Uint8Array, contentType: string): HttpReply {
  return { status, bytes, contentType };
}

/** One route: a method, a pattern such as `/v1/agl/rollouts/:rolloutId`, and its handler. */
export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly pattern: string;
  readonly handler: (req: HttpRequest) => Promise<HttpReply>;
}

/** The outcome of matching a path against the routes. */
export type RouteMatch =
  | { readonly kind: 'found'; readonly route: Route; readonly params: Record<string, string> }
  | { readonly kind: 'method-not-allowed'; readonly allowed: readonly string[] }
  | { readonly kind: 'not-found' };

function matchPattern(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) {
      if (g === '') return null;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w !== g) {
      return null;
    }
  }
  return params;
}

/** Finds the route for a method and path; literal segments must match exactly. */
export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  const allowed: string[] = [];
  for (const route of routes) {
    const params = matchPattern(route.pattern, path);
    if (params === null) continue;
    if (route.method === method) return { kind: 'found', route, params };
    allowed.push(route.method);
  }
  return allowed.length > 0 ? { kind: 'method-not-allowed', allowed } : { kind: 'not-found' };
}
