import { status } from '@grpc/grpc-js';
import type { StatusObject } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { StoreErrorCode } from '../domain/errors';
import { StoreError } from '../domain/errors';
import { INTERNAL_MESSAGE } from '../frontend/internal-error';

const STATUS_OF: Readonly<Record<StoreErrorCode, status>> = {
  NOT_FOUND: status.NOT_FOUND,
  INVALID_ARGUMENT: status.INVALID_ARGUMENT,
  FAILED_PRECONDITION: status.FAILED_PRECONDITION,
  ALREADY_EXISTS: status.ALREADY_EXISTS,
  RESOURCE_EXHAUSTED: status.RESOURCE_EXHAUSTED,
  UNAVAILABLE: status.UNAVAILABLE,
};


/** A gRPC status to answer a call with. */
export type GrpcErrorStatus = Pick<StatusObject, 'code' | 'details'>;

/**
 * The one mapping from errors to gRPC status: a StoreError keeps its code and message; anything else is
 * INTERNAL with a generic message, and the error itself (with its stack) goes to `logger`, never to the
 * client. `method` names the call in the log.
 */
export function grpcStatusOf(err: unknown, logger: Logger, method: string): GrpcErrorStatus {
  if (err instanceof StoreError) {
    if (err.code === 'UNAVAILABLE') logger.warn({ method, code: err.code, reason: err.message }, 'backend unavailable');
    else logger.debug({ method, code: err.code, reason: err.message }, 'call rejected');
    return { code: STATUS_OF[err.code], details: err.message };
  }
  logger.error({ err, method }, 'unexpected error in call');
  return { code: status.INTERNAL, details: INTERNAL_MESSAGE };
}
