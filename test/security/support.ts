import { request as plainRequest } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { request as tlsRequest } from 'node:https';
import type { CliProcess } from '../support/cli-process';
import { runCli } from '../support/cli-process';

/** A `lightning-store serve` process on loopback with its two ports. */
export interface SecuredServer {
  readonly cli: CliProcess;
  /** "127.0.0.1:port" of gRPC. */
  readonly address: string;
  readonly httpPort: number;
}

/** Starts the memory backend on 127.0.0.1 and ephemeral ports with `args` and `env`, and waits until it listens. */
export async function startSecured(args: readonly string[], env: Record<string, string> = {}): Promise<SecuredServer> {
  const cli = runCli(['serve', '--host', '127.0.0.1', '--port', '0', '--http-port', '0', '--backend', 'memory', ...args], env);
  const line = await cli.waitForLog((l) => l['msg'] === 'Lightning Store listening');
  return { cli, address: String(line['address']), httpPort: Number(String(line['httpAddress']).split(':')[1]) };
}

/** Ends a server with SIGTERM and waits for its exit. */
export async function stop(server: SecuredServer | undefined): Promise<void> {
  if (!server) return;
  if (server.cli.child.exitCode === null && server.cli.child.signalCode === null) server.cli.child.kill('SIGTERM');
  await server.cli.exited;
}

/** An HTTP answer. */
export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** TLS of a test request: the CA to trust and an optional client certificate. */
export interface RequestTls {
  readonly ca: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

/** One request to 127.0.0.1:`port` (HTTPS with `tls`); rejects when the connection fails. */
export function call(port: number, method: string, path: string, options: { body?: string; headers?: Record<string, string>; tls?: RequestTls } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const base = { host: '127.0.0.1', port, method, path, headers: options.headers ?? {}, agent: false as const };
    const onAnswer = (res: IncomingMessage): void => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    };
    const req = options.tls ? tlsRequest({ ...base, ...options.tls, servername: 'localhost' }, onAnswer) : plainRequest(base, onAnswer);
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Polls `check` every 50 ms until it holds or `timeoutMs` passes (then throws). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
