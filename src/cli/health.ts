import { readFileSync } from 'node:fs';
import { credentials, loadPackageDefinition } from '@grpc/grpc-js';
import type { ChannelCredentials, ServiceClientConstructor, ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath } from 'grpc-health-check';
import type { HealthTls } from './args';

/** Seconds the health command waits for an answer. */
const DEADLINE_SECONDS = 3;

/**
 * The health check's channel credentials. Without a CA the server's certificate is not verified: the
 * check sends nothing secret and only reads SERVING, and a container's check may not have the CA.
 */
function healthCredentials(tls: HealthTls | null): ChannelCredentials {
  if (tls === null) return credentials.createInsecure();
  const read = (file: string | null) => (file === null ? null : readFileSync(file));
  return credentials.createSsl(read(tls.ca), read(tls.key), read(tls.cert), tls.ca === null ? { rejectUnauthorized: false } : {});
}

/**
 * `lightning-store health`: asks the server at `address` (over TLS with `tls`) for its overall gRPC
 * health. Resolves 0 when it answers SERVING, 1 otherwise (unreachable, NOT_SERVING, timeout, a TLS
 * file that cannot be read), with one line on stdout/stderr.
 */
export function checkHealth(address: string, tls: HealthTls | null, io: { stdout: { write(t: string): unknown }; stderr: { write(t: string): unknown } }): Promise<number> {
  const pkg = loadPackageDefinition(loadSync(protoPath, { keepCase: true, enums: String, defaults: true }));
  const health = (pkg.grpc as Record<string, Record<string, Record<string, ServiceClientConstructor>>>).health!.v1!.Health!;
  let channelCredentials: ChannelCredentials;
  try {
    channelCredentials = healthCredentials(tls);
  } catch (err) {
    io.stderr.write(`${address}: cannot read a TLS file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}\n`);
    return Promise.resolve(1);
  }
  const client = new health(address, channelCredentials);
  return new Promise((resolve) => {
    const deadline = new Date(Date.now() + DEADLINE_SECONDS * 1000);
    const check = (client as unknown as Record<string, (...args: unknown[]) => void>)['Check']!;
    check.call(client, { service: '' }, { deadline }, (err: ServiceError | null, reply?: { status?: string }) => {
      client.close();
      if (err) {
        io.stderr.write(`${address}: ${err.details || err.message}\n`);
        resolve(1);
      } else {
        io.stdout.write(`${address}: ${reply?.status ?? 'UNKNOWN'}\n`);
        resolve(reply?.status === 'SERVING' ? 0 : 1);
      }
    });
  });
}
