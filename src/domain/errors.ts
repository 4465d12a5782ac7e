/** The one error vocabulary of the store. Every layer maps these codes, and only these, to its wire. */
export type StoreErrorCode =
  | 'NOT_FOUND'
  | 'INVALID_ARGUMENT'
  | 'FAILED_PRECONDITION'
  | 'ALREADY_EXISTS'
  | 'RESOURCE_EXHAUSTED'
  | 'UNAVAILABLE';

/**
 * What kind of RESOURCE_EXHAUSTED or UNAVAILABLE an error is, for front ends whose wire tells them apart
 * (HTTP: 429/503 with Retry-After for `busy`, 507 for `storage-full`, 413 for `too-large`).
 */
export interface StoreErrorHint {
  readonly kind: 'busy' | 'storage-full' | 'too-large' | 'storage-fault';
  /** Seconds after which a retry may succeed. */
  readonly retryAfterSeconds?: number;
}

/** A domain error with a code and a message that is safe to show to clients. */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    /** How a front end may tell this error apart from others of its code; absent for most. */
    readonly hint?: StoreErrorHint,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/** An unknown id. */
export function notFound(message: string): StoreError {
  return new StoreError('NOT_FOUND', message);
}

/** Malformed input. */
export function invalidArgument(message: string): StoreError {
  return new StoreError('INVALID_ARGUMENT', message);
}

/** A request the current state forbids, e.g. leaving a finished state. */
export function failedPrecondition(message: string): StoreError {
  return new StoreError('FAILED_PRECONDITION', message);
}

/** A duplicate id. */
export function alreadyExists(message: string): StoreError {
  return new StoreError('ALREADY_EXISTS', message);
}

/** The backend cannot be reached right now; the call may be retried. */
export function unavailable(message: string): StoreError {
  return new StoreError('UNAVAILABLE', message);
}

/** True when `err` is a StoreError with the given code. */
export function hasCode(err: unknown, code: StoreErrorCode): boolean {
  return err instanceof StoreError && err.code === code;
}
