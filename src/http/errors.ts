import type { Logger } from 'pino';
import type { StoreErrorCode, StoreErrorHint } from '../domain/errors';
import { StoreError } from '../domain/errors';
import { INTERNAL_MESSAGE } from '../frontend/internal-error';

/** An error that carries its own HTTP status (bad JSON, a body too large, a schema violation). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Headers the answer carries (WWW-Authenticate of a 401). */
    readonly headers: Readonly<Record<string, string>> = {},
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

/** Statuses of the errors whose hint tells them apart from others of their code. */
const HTTP_STATUS_OF_HINT: Readonly<Record<StoreErrorHint['kind'], number>> = {
  busy: 503,
  'storage-full': 507,
  'too-large': 413,
  'storage-fault': 503,
};

/** An error answer: status, `{detail}` body, and the seconds for a Retry-After header when a retry may help. */
export interface HttpErrorAnswer {
  readonly status: number;
  readonly json: { readonly detail: string };
  readonly retryAfterSeconds?: number;
  /** Headers of the answer besides Retry-After. */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The one mapping from errors to HTTP answers: `{ "detail": message }` with the status of the error's
 * code. Anything unexpected is a 500 with a generic detail; the error goes to the log, never to the client.
 */
export function httpErrorOf(err: unknown, logger: Logger, route: string): HttpErrorAnswer {
  if (err instanceof HttpError) return { status: err.status, json: { detail: err.message }, headers: err.headers };
  if (err instanceof StoreError) {
    if (err.code === 'UNAVAILABLE' || err.hint?.kind === 'storage-full') logger.warn({ route, code: err.code, reason: err.message }, 'store cannot serve the request');
    else logger.debug({ route, code: err.code, reason: err.message }, 'request rejected');
    const status = err.hint ? HTTP_STATUS_OF_HINT[err.hint.kind] : HTTP_STATUS_OF[err.code];
    const retryAfterSeconds = err.hint?.retryAfterSeconds ?? (err.code === 'UNAVAILABLE' ? 1 : undefined);
    return { status, json: { detail: err.message }, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) };
  }
  logger.error({ err, route }, 'unexpected error in request');
  return { status: 500, json: { detail: INTERNAL_MESSAGE } };
}
