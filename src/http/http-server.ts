import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { readBody } from './body';
import type { CorsOrigins } from './cors';
import { corsOutcome } from './cors';
import { httpErrorOf } from './errors';
import type { HttpReply, Route } from './router';
import { matchRoute } from './router';

/** Options of the HTTP server. */
export interface HttpServerOptions {
  readonly routes: readonly Route[];
  readonly logger: Logger;
  /** Largest request body, after decompression. */
  readonly maxBodyBytes: number;
  /** Origins CORS answers (see corsOrigins); absent or null: no CORS headers and no preflight answers. */
  readonly cors?: CorsOrigins | null;
}

function send(res: ServerResponse, reply: HttpReply): void {
  if ('json' in reply) {
    const text = JSON.stringify(reply.json);
    res.writeHead(reply.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  } else {
    res.writeHead(reply.status, { 'content-type': reply.contentType, 'content-length': reply.bytes.byteLength });
    res.end(reply.bytes);
  }
}

async function handle(options: HttpServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  const match = matchRoute(options.routes, method, url.pathname);
  const routeName = match.kind === 'found' ? `${method} ${match.route.pattern}` : `${method} ${url.pathname}`;
  if (options.cors) {
    const cors = corsOutcome(options.cors, method, req.headers);
    if (cors.kind === 'preflight') {
      res.writeHead(cors.status, { ...cors.headers, 'content-length': Buffer.byteLength(cors.body) });
      res.end(cors.body);
      return;
    }
    // Set before the answer is written, so every answer (errors too) carries them, as behind the middleware.
    for (const [name, value] of Object.entries(cors.headers)) res.setHeader(name, value);
  }
  try {
    if (match.kind === 'not-found') return send(res, { status: 404, json: { detail: 'Not Found' } });
    if (match.kind === 'method-not-allowed') {
      res.setHeader('allow', match.allowed.join(', '));
      return send(res, { status: 405, json: { detail: 'Method Not Allowed' } });
    }
    const body = await readBody(req, options.maxBodyBytes);
    const reply = await match.route.handler({ method, path: url.pathname, params: match.params, query: url.searchParams, headers: req.headers, body });
    send(res, reply);
  } catch (err) {
    send(res, httpErrorOf(err, options.logger, routeName));
    // Whatever of the body was not read is dropped with the connection rather than read on.
    if (!req.complete) res.setHeader('connection', 'close');
  }
}

/** A node:http server answering the given routes; not yet listening. */
export function createHttpServer(options: HttpServerOptions): Server {
  const server = createServer((req, res) => {
    handle(options, req, res).catch((err: unknown) => {
      options.logger.error({ err }, 'failed to answer an HTTP request');
      res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

/** Starts listening; resolves with the bound port (the ephemeral one when `port` is 0). */
export function bindHttpServer(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

/** Stops accepting connections, lets requests in flight finish for up to `drainMs`, then closes the rest. */
export function shutdownHttpServer(server: Server, drainMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    const timer = setTimeout(() => server.closeAllConnections(), drainMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
