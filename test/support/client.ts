import { credentials, Metadata } from '@grpc/grpc-js';
import type { CallOptions, ClientOptions, ClientUnaryCall, ServiceError } from '@grpc/grpc-js';
import * as messages from '../../gen/lightning/store/v1/store_service';
import type { IngestSpansRequest, IngestSpansResponse } from '../../gen/lightning/store/v1/store_service';
import type { LightningStoreServiceService } from '../../gen/lightning/store/v1/store_service';
import { LightningStoreServiceClient } from '../../gen/lightning/store/v1/store_service';

type Definition = typeof LightningStoreServiceService;
/** Names of the unary RPCs (as the generated client spells them). */
export type UnaryMethod = {
  [K in keyof Definition]: Definition[K]['requestStream'] extends false ? K : never;
}[keyof Definition];
/** Request type of a unary RPC. */
export type RequestOf<K extends UnaryMethod> = Parameters<Definition[K]['requestSerialize']>[0];
/** Response type of a unary RPC. */
export type ResponseOf<K extends UnaryMethod> = ReturnType<Definition[K]['responseDeserialize']>;

/** A request with every field optional at any depth (filled with proto defaults by fromPartial). */
export type DeepPartial<T> = T extends readonly (infer U)[]
  ? DeepPartial<U>[]
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

type PartialBuilder = { fromPartial(value: unknown): unknown };
type RawUnary = (
  request: unknown,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (err: ServiceError | null, response: unknown) => void,
) => ClientUnaryCall;

/** A generated client connected to `address` without TLS; `options` are grpc-js channel options. */
export function connect(address: string, options: Partial<ClientOptions> = {}): LightningStoreServiceClient {
  return new LightningStoreServiceClient(address, credentials.createInsecure(), options);
}

/**
 * Calls a unary RPC and resolves with its response; rejects with the ServiceError. The request is
 * completed with proto defaults by the generated message's fromPartial.
 */
export function call<K extends UnaryMethod>(
  client: LightningStoreServiceClient,
  method: K,
  request: DeepPartial<RequestOf<K>> = {} as DeepPartial<RequestOf<K>>,
  options: Partial<CallOptions> = {},
): Promise<ResponseOf<K>> {
  const typeName = `${method.charAt(0).toUpperCase()}${method.slice(1)}Request`;
  const builder = (messages as unknown as Record<string, PartialBuilder>)[typeName];
  if (!builder) throw new Error(`no message ${typeName}`);
  const full = builder.fromPartial(request);
  const fn = client[method] as unknown as RawUnary;
  return new Promise((resolve, reject) => {
    fn.call(client, full, new Metadata(), options, (err, response) => {
      if (err) reject(err);
      else resolve(response as ResponseOf<K>);
    });
  });
}

/** Sends `messages` on one IngestSpans stream, ends it, and resolves with the answer. */
export function ingest(client: LightningStoreServiceClient, batches: readonly DeepPartial<IngestSpansRequest>[]): Promise<IngestSpansResponse> {
  return new Promise((resolve, reject) => {
    const stream = client.ingestSpans((err, response) => {
      if (err) reject(err);
      else resolve(response);
    });
    for (const batch of batches) stream.write(messages.IngestSpansRequest.fromPartial(batch));
    stream.end();
  });
}
