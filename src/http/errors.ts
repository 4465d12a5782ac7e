import type { Logger } from 'pino';
import type { StoreErrorCode } from '../domain/errors';
import { StoreError } from '../domain/errors';
import { INTERNAL_MESSAGE } from '../grpc/errors';

/** An error that carries its own HTTP status (bad JSON, a body too large, a schema violation). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const HTTP_STATUS_OF: Readonly<Record<StoreErrorCode, number>> = {
  NOT_FOUND: 404,
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 409,
  ALREADY_EXISTS: 409,
  RESOURCE_EXHAUSTED: 413,
  UNAVAILABLE: 503,
};

/**
 * The one mapping from errors to HTTP answers: `{ "detail": message }` with the status of the error's
 * code. Anything unexpected is a 500 with a generic detail; the error goes to the log, never to the client.
 */
export function httpErrorOf(err: unknown, logger: Logger, route: string): { status: number; json: { detail: string } } {
  if (err instanceof HttpError) return { status: err.status, json: { detail: err.message } };
  if (err instanceof StoreError) {
    if (err.code === 'UNAVAILABLE') logger.warn({ route, code: err.code, reason: err.message }, 'backend unavailable');
    else logger.debug({ route, code: err.code, reason: err.message }, 'request rejected');
    return { status: HTTP_STATUS_OF[err.code], json: { detail: err.message } };
  }
  logger.error({ err, route }, 'unexpected error in request');
  return { status: 500, json: { detail: INTERNAL_MESSAGE } };
}
