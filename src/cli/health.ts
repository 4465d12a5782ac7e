import { credentials, loadPackageDefinition } from '@grpc/grpc-js';
import type { ServiceClientConstructor, ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath } from 'grpc-health-check';

/** Seconds the health command waits for an answer. */
const DEADLINE_SECONDS = 3;

/**
 * `lightning-store health`: asks the server at `address` for its overall gRPC health. Resolves 0 when
 * it answers SERVING, 1 otherwise (unreachable, NOT_SERVING, timeout), with one line on stdout/stderr.
 */
export function checkHealth(address: string, io: { stdout: { write(t: string): unknown }; stderr: { write(t: string): unknown } }): Promise<number> {
  const pkg = loadPackageDefinition(loadSync(protoPath, { keepCase: true, enums: String, defaults: true }));
  const health = (pkg.grpc as Record<string, Record<string, Record<string, ServiceClientConstructor>>>).health!.v1!.Health!;
  const client = new health(address, credentials.createInsecure());
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
