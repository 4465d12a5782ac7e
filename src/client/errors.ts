import { Metadata, status } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';

/** A gRPC status code name, e.g. "NOT_FOUND". */
export type StatusName = keyof typeof status;

/**
 * A failed call of the store client: the gRPC status code (and its name), the server's message
 * (`details`), the trailing metadata, the RPC, and how many times it was sent.
 */
export class StoreClientError extends Error {
  /** The status code's name, e.g. "NOT_FOUND". */
  readonly codeName: StatusName;

  constructor(
    /** The gRPC status code. */
    readonly code: status,
    /** The server's (or grpc-js's) message. */
    readonly details: string,
    /** The RPC, e.g. "getRollout". */
    readonly rpc: string,
    /** How many times the call was sent (more than 1 after retries). */
    readonly attempts: number,
    /** Trailing metadata of the failed call (empty when the failure was local). */
    readonly metadata: Metadata = new Metadata(),
  ) {
    const codeName = (status[code] as StatusName | undefined) ?? 'UNKNOWN';
    super(`${rpc}: ${codeName}: ${details}`);
    this.name = 'StoreClientError';
    this.codeName = codeName;
  }
}

function isServiceError(err: unknown): err is ServiceError {
  return err instanceof Error && typeof (err as Partial<ServiceError>).code === 'number' && 'details' in err;
}

/**
 * The typed error of a failed call: a grpc-js ServiceError keeps its code, details and metadata; any
 * other error (a local failure before the call reached grpc-js) becomes UNKNOWN with its message.
 */
export function toClientError(err: unknown, rpc: string, attempts: number): StoreClientError {
  if (err instanceof StoreClientError) return err;
  if (isServiceError(err)) return new StoreClientError(err.code, err.details, rpc, attempts, err.metadata);
  return new StoreClientError(status.UNKNOWN, err instanceof Error ? err.message : String(err), rpc, attempts);
}
