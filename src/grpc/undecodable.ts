import type { ServiceDefinition } from '@grpc/grpc-js';
import { invalidArgument } from '../domain/errors';
import type { StoreError } from '../domain/errors';

const REASON = Symbol('undecodable');

/** What a request that failed to decode becomes, so that the handler can answer INVALID_ARGUMENT. */
interface UndecodableMessage {
  readonly [REASON]: string;
}

/**
 * The service definition with every request decoder made tolerant: bytes that do not decode give a
 * marker instead of throwing, because grpc-js answers a throwing decoder with INTERNAL. Handlers check
 * the marker with undecodableError.
 */
export function tolerantDecoding<T extends ServiceDefinition>(definition: T): T {
  const methods = Object.entries(definition).map(([name, method]) => {
    const decode = method.requestDeserialize;
    const tolerant = (bytes: Buffer): unknown => {
      try {
        return decode(bytes);
      } catch (err) {
        const marker: UndecodableMessage = { [REASON]: err instanceof Error ? err.message : String(err) };
        return marker;
      }
    };
    return [name, { ...method, requestDeserialize: tolerant }];
  });
  return Object.fromEntries(methods) as T;
}

/** INVALID_ARGUMENT for a request that did not decode (see tolerantDecoding), else null. */
export function undecodableError(message: unknown): StoreError | null {
  if (typeof message !== 'object' || message === null || !(REASON in message)) return null;
  const reason = String((message as UndecodableMessage)[REASON]).slice(0, 200);
  return invalidArgument(`request message does not decode as protobuf: ${reason}`);
}
