import { gzipSync } from 'node:zlib';
import type { ServerOptions } from '../../src/server';
import type { TestServer } from '../support/server';
import { startTestServer } from '../support/server';

/** An answer of the REST API: status, parsed JSON (undefined when the body is not JSON) and raw text. */
export interface AglAnswer {
  readonly status: number;
  readonly json: unknown;
  readonly text: string;
  readonly headers: Headers;
}

/** A test server with a small fetch helper bound to its HTTP port. */
export interface AglServer {
  readonly t: TestServer;
  /** Base URL of the HTTP port, e.g. http://127.0.0.1:12345. */
  readonly base: string;
  /** Sends a request; `body` is JSON-encoded unless it is a string or Buffer (sent as is). */
  call(method: string, path: string, body?: unknown, options?: { gzip?: boolean; headers?: Record<string, string> }): Promise<AglAnswer>;
  stop(): Promise<void>;
}

/** Starts a real server (memory backend, gRPC and HTTP on port 0), with any other server `options`. */
export async function startAglServer(options: ServerOptions = {}): Promise<AglServer> {
  const t = await startTestServer(options);
  const base = `http://127.0.0.1:${t.server.httpPort}`;
  return {
    t,
    base,
    async call(method, path, body, options = {}) {
      let payload: Buffer | string | undefined =
        body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
      const headers: Record<string, string> = { ...options.headers };
      if (payload !== undefined) headers['content-type'] ??= 'application/json';
      if (payload !== undefined && options.gzip) {
        payload = gzipSync(payload);
        headers['content-encoding'] = 'gzip';
      }
      const res = await fetch(`${base}${path}`, { method, headers, body: payload });
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.status, json, text, headers: res.headers };
    },
    stop: () => t.stop(),
  };
}

/** Shorthand for the fields of a JSON object answer. */
export function obj(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`not an object: ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

/** A complete agent-lightning span body for (rollout, attempt), with overrides. */
export function aglSpan(rolloutId: string, attemptId: string, spanId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  return {
    rollout_id: rolloutId,
    attempt_id: attemptId,
    sequence_id: 1,
    trace_id: traceId,
    span_id: spanId,
    parent_id: null,
    name: `span-${spanId}`,
    status: { status_code: 'OK', description: null },
    attributes: { 'gen_ai.request.model': 'gpt-4o' },
    events: [],
    links: [],
    start_time: 1735000001.5,
    end_time: 1735000002.25,
    context: { trace_id: traceId, span_id: spanId, is_remote: false, trace_state: {} },
    parent: null,
    resource: { attributes: {}, schema_url: '' },
    ...extra,
  };
}
