import { createServer } from 'node:http';
import type { IncomingMessage, Server as PlainServer, ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Server as TlsServer } from 'node:https';
import type { Logger } from 'pino';
import type { ByteBudget } from '../ingest/byte-budget';
import { HeldBytes, readBody } from './body';
import type { CorsOrigins } from './cors';
import { corsOutcome } from './cors';
import { HttpError, httpErrorOf } from './errors';
import type { HttpGuardOptions } from './guard';
import { refusalOf } from './guard';
import type { TlsMaterial } from '../security/state';
import type { HttpReply, Route } from './router';
import { matchRoute } from './router';

/** Options of the HTTP server. */
export interface HttpServerOptions {
  readonly routes: readonly Route[];
  readonly logger: Logger;
  /** Largest request body, after decompression. */
  readonly maxBodyBytes: number;
  /** The server's memory budget: request bodies and answers being written draw from it. */
  readonly budget: ByteBudget;
  /** Origins CORS answers (see corsOrigins); absent or null: no CORS headers and no preflight answers. */
  readonly cors?: CorsOrigins | null;
  /** Host, token and content-type checks before routing; absent: none (tests of the routes alone). */
  readonly guard?: HttpGuardOptions;
  /** HTTPS with this certificate (and client CA: mTLS); absent: plain HTTP. */
  readonly tls?: { readonly material: TlsMaterial; readonly requireClientCertificate: boolean };
}

/** The HTTP port's server: node:http, or node:https with TLS. */
export type HttpServer = PlainServer | TlsServer;

/** Options of the HTTP port that the server options tree carries. */
export interface HttpPortOptions {
  /** Origins the HTTP port answers CORS for (`*`: every origin), as the reference's `--cors-origin`; default none. */
  readonly corsOrigins: readonly string[];
}

/** Defaults of the HTTP port. */
export const HTTP_DEFAULTS: HttpPortOptions = { corsOrigins: [] };

/** Milliseconds a client gets to finish sending a body the server has already refused. */
const DISCARD_MS = 5000;

function waitForDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Writes an answer. Pieces are written as they come, each held in the budget until the socket takes it. */
async function send(res: ServerResponse, reply: HttpReply, budget: ByteBudget, headers: Record<string, string> = {}): Promise<void> {
  if ('pieces' in reply) {
    res.writeHead(reply.status, { ...headers, 'content-type': reply.contentType });
    for await (const piece of reply.pieces) {
      if (res.destroyed) return;
      const bytes = Buffer.byteLength(piece);
      await budget.take(bytes);
      try {
        if (!res.write(piece)) await waitForDrain(res);
      } finally {
        budget.give(bytes);
      }
      // Let other requests in between pieces: a store that answers synchronously never yields otherwise.
      await new Promise((resolve) => setImmediate(resolve));
    }
    res.end();
    return;
  }
  const [bytes, type] = 'json' in reply ? [Buffer.from(JSON.stringify(reply.json)), 'application/json'] : [reply.bytes, reply.contentType];
  res.writeHead(reply.status, { ...headers, 'content-type': type, 'content-length': bytes.byteLength });
  res.end(bytes);
}

/**
 * Answers a request that failed, exactly once. When the body was not read to its end the answer says
 * `connection: close`, the rest of the body is read and dropped (so the client sees the answer, not a
 * reset), and the socket closes once the client is done or DISCARD_MS passes.
 */
function sendError(req: IncomingMessage, res: ServerResponse, err: unknown, options: HttpServerOptions, route: string): void {
  if (res.headersSent) {
    options.logger.warn({ route }, 'request failed after its answer began; closing the connection');
    res.destroy();
    return;
  }
  const { status, json, retryAfterSeconds, headers: extra } = httpErrorOf(err, options.logger, route);
  const headers: Record<string, string> = { ...extra, ...(retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) }) };
  if (!req.complete) {
    headers['connection'] = 'close';
    req.resume();
    const timer = setTimeout(() => req.socket.destroy(), DISCARD_MS);
    timer.unref();
    req.once('end', () => clearTimeout(timer));
  }
  void send(res, { status, json }, options.budget, headers);
}

async function handle(options: HttpServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  const match = matchRoute(options.routes, method, url.pathname);
  const routeName = match.kind === 'found' ? `${method} ${match.route.pattern}` : `${method} ${url.pathname.slice(0, 200)}`;
  const held = new HeldBytes(options.budget);
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
    const refusal = options.guard ? refusalOf(options.guard, routeName, req.headers) : null;
    if (refusal) return sendError(req, res, refusal, options, routeName);
    if (match.kind === 'not-found') return sendError(req, res, new HttpError(404, 'Not Found'), options, routeName);
    if (match.kind === 'method-not-allowed') {
      res.setHeader('allow', match.allowed.join(', '));
      return sendError(req, res, new HttpError(405, 'Method Not Allowed'), options, routeName);
    }
    const body = await readBody(req, options.maxBodyBytes, held);
    const reply = await match.route.handler({ method, path: url.pathname, params: match.params, query: url.searchParams, headers: req.headers, body });
    await send(res, reply, options.budget);
  } catch (err) {
    sendError(req, res, err, options, routeName);
  } finally {
    held.release();
  }
}

/** A node:http (or, with `tls`, node:https) server answering the given routes; not yet listening. */
export function createHttpServer(options: HttpServerOptions): HttpServer {
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(options, req, res).catch((err: unknown) => {
      options.logger.error({ err }, 'failed to answer an HTTP request');
      res.destroy();
    });
  };
  const { tls } = options;
  const server: HttpServer = tls
    ? createTlsServer({ ...tls.material, requestCert: tls.requireClientCertificate, rejectUnauthorized: tls.requireClientCertificate }, listener)
    : createServer(listener);
  // A client that half-closes after sending its request still gets the answer.
  // (A Node 20 server option that @types/node 20 does not declare.)
  (server as HttpServer & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  server.keepAliveTimeout = 65_000;
  return server;
}

/** Starts listening; resolves with the bound port (the ephemeral one when `port` is 0). */
export function bindHttpServer(server: HttpServer, host: string, port: number): Promise<number> {
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
export function shutdownHttpServer(server: HttpServer, drainMs: number): Promise<void> {
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
