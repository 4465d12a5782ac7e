import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import { connect as netConnect } from 'node:net';
import type { ClientWritableStream } from '@grpc/grpc-js';
import { IngestSpansRequest } from '../../gen/lightning/store/v1/store_service';
import type { IngestSpansResponse, LightningStoreServiceClient } from '../../gen/lightning/store/v1/store_service';
import type { DeepPartial } from '../support/client';
import type { Span } from '../../gen/lightning/store/v1/spans';
import type { ServerProcess } from '../support/server-processes';
import type { ServerProcesses } from '../support/server-processes';

/** A server process of the hostile suite, with its HTTP base URL and process id. */
export interface HostileServer extends ServerProcess {
  readonly http: { readonly host: string; readonly port: number };
  readonly pid: number;
}

/** Starts `lightning-store serve` with `args` and answers where it listens. */
export async function startHostile(processes: ServerProcesses, args: readonly string[]): Promise<HostileServer> {
  const server = await processes.start(args);
  const line = server.cli.logs.find((l) => l['msg'] === 'Lightning Store listening')!;
  const [host, port] = String(line['httpAddress']).split(':');
  return { ...server, http: { host: host!, port: Number(port) }, pid: server.cli.child.pid! };
}

/** Resident memory of a process in bytes (Linux /proc). */
export function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : 0;
}

/** Samples a process's RSS every `everyMs` until stopped; `max` is the highest seen. */
export class RssSampler {
  max = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    everyMs = 50,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  private sample(): void {
    try {
      this.max = Math.max(this.max, rssBytes(this.pid));
    } catch {
      // The process ended; the test sees that on its own.
    }
  }

  /** Stops sampling; returns the highest RSS in MiB. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.max / 2 ** 20;
  }
}

/** An HTTP answer as the tests read it. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One HTTP request to the server; resolves with the whole answer. */
export function httpCall(
  server: HostileServer,
  method: string,
  path: string,
  body?: Buffer | string,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: server.http.host, port: server.http.port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Writes raw bytes on a TCP connection, half-closes it when `halfClose` is set, and resolves with
 * everything the server sent before it closed the connection (or after `timeoutMs`).
 */
export function rawExchange(server: HostileServer, bytes: Buffer, halfClose: boolean, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(server.http.port, server.http.host);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.on('connect', () => {
      socket.write(bytes);
      if (halfClose) socket.end();
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? undefined : reject(err)));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
  });
}

/** An open IngestSpans stream whose writes wait for HTTP/2 flow control (drain), and its answer. */
export class OpenStream {
  readonly answer: Promise<IngestSpansResponse>;
  private readonly stream: ClientWritableStream<IngestSpansRequest>;

  constructor(client: LightningStoreServiceClient) {
    let stream!: ClientWritableStream<IngestSpansRequest>;
    this.answer = new Promise((resolve, reject) => {
      stream = client.ingestSpans((err, response) => (err ? reject(err) : resolve(response)));
    });
    this.stream = stream;
  }

  /** Sends one message; resolves once the client may send more (the server is reading again). */
  send(spans: readonly DeepPartial<Span>[]): Promise<void> {
    const more = this.stream.write(IngestSpansRequest.fromPartial({ spans: [...spans] }));
    return more ? Promise.resolve() : new Promise((resolve) => this.stream.once('drain', () => resolve()));
  }

  /** Ends the stream (the answer follows). */
  end(): void {
    this.stream.end();
  }

  /** Drops the stream without ending it. */
  cancel(): void {
    this.stream.cancel();
  }
}

/** Resolves after `ms` of real time. */
export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `everyMs` until it holds or `timeoutMs` pass; resolves with the milliseconds it took (or -1). */
export async function until(check: () => Promise<boolean>, timeoutMs: number, everyMs = 5): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    if (await check()) return performance.now() - start;
    await pause(everyMs);
  }
  return -1;
}
