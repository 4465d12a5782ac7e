import path from 'node:path';
import { credentials, loadPackageDefinition } from '@grpc/grpc-js';
import type { Client, ClientDuplexStream, ServiceClientConstructor, ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';

const LOADER = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

/** Finds a service constructor by its dotted name in a loaded package. */
function serviceCtor(protoFile: string, includeDir: string, name: string): ServiceClientConstructor {
  let node: unknown = loadPackageDefinition(loadSync(protoFile, { ...LOADER, includeDirs: [includeDir] }));
  for (const part of name.split('.')) node = (node as Record<string, unknown>)[part];
  return node as ServiceClientConstructor;
}

/** A reflection response as proto-loader decodes it with keepCase (only the fields the tests read). */
export interface ReflectionResponse {
  list_services_response?: { service: { name: string }[] };
  file_descriptor_response?: { file_descriptor_proto: Buffer[] };
  error_response?: { error_code: number; error_message: string };
}

/**
 * Sends reflection requests (grpc.reflection.v1, from the proto @grpc/reflection ships) on one stream
 * and resolves with the responses in order.
 */
export function reflect(address: string, requests: readonly Record<string, string>[]): Promise<ReflectionResponse[]> {
  const protoDir = path.join(path.dirname(require.resolve('@grpc/reflection')), '..', 'proto');
  const Ctor = serviceCtor('grpc/reflection/v1/reflection.proto', protoDir, 'grpc.reflection.v1.ServerReflection');
  const client = new Ctor(address, credentials.createInsecure());
  const open = (client as unknown as Record<string, () => ClientDuplexStream<object, ReflectionResponse>>)['ServerReflectionInfo']!;
  return new Promise((resolve, reject) => {
    const responses: ReflectionResponse[] = [];
    const stream = open.call(client);
    stream.on('data', (r: ReflectionResponse) => responses.push(r));
    stream.on('error', (err) => {
      client.close();
      reject(err);
    });
    stream.on('end', () => {
      client.close();
      resolve(responses);
    });
    for (const request of requests) stream.write(request);
    stream.end();
  });
}

/** A grpc.health.v1 client (from the health.proto grpc-health-check ships). */
export function healthClient(address: string): Client & { check(service: string): Promise<string> } {
  const includeDir = path.resolve(path.dirname(healthProtoPath), '..', '..');
  const Ctor = serviceCtor(path.relative(includeDir, healthProtoPath), includeDir, 'grpc.health.v1.Health');
  const client = new Ctor(address, credentials.createInsecure());
  type CheckFn = (req: { service: string }, cb: (err: ServiceError | null, res: { status: string }) => void) => void;
  const rawCheck = (client as unknown as Record<string, CheckFn>)['Check']!;
  return Object.assign(client, {
    check: (service: string) =>
      new Promise<string>((resolve, reject) => rawCheck.call(client, { service }, (err, res) => (err ? reject(err) : resolve(res.status)))),
  });
}
