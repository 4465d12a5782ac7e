import { alreadyExists, notFound, unavailable } from './errors';
import type { StoreError } from './errors';

/** Longest part of a client's input that an error message repeats; the rest is cut and counted. */
export const QUOTE_LIMIT = 64;

/**
 * A client's value as an error message shows it: whole when short, otherwise its first QUOTE_LIMIT
 * characters and how long it was, so that a huge or hostile id never travels back in a status trailer.
 * Control characters (NUL among them) are escaped.
 */
export function quote(value: string): string {
  const cut = value.length > QUOTE_LIMIT ? value.slice(0, QUOTE_LIMIT) : value;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is escaped
  const shown = cut.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return value.length > QUOTE_LIMIT ? `${shown}… (${value.length} characters)` : shown;
}

/** NOT_FOUND for a rollout id. */
export function rolloutNotFound(rolloutId: string): StoreError {
  return notFound(`Rollout ${quote(rolloutId)} not found`);
}

/** NOT_FOUND for an attempt of a rollout. */
export function attemptNotFound(rolloutId: string, attemptId: string): StoreError {
  return notFound(`Attempt ${quote(attemptId)} not found for rollout ${quote(rolloutId)}`);
}

/** NOT_FOUND for a rollout that has no attempt yet (an attempt reference such as "latest"). */
export function noAttempts(rolloutId: string): StoreError {
  return notFound(`No attempts found for rollout ${quote(rolloutId)}`);
}

/** NOT_FOUND for a resources snapshot id. */
export function resourcesNotFound(resourcesId: string): StoreError {
  return notFound(`Resources ${quote(resourcesId)} not found`);
}

/** NOT_FOUND for a worker id. */
export function workerNotFound(workerId: string): StoreError {
  return notFound(`Worker ${quote(workerId)} not found`);
}

/** ALREADY_EXISTS for a rollout id. */
export function rolloutExists(rolloutId: string): StoreError {
  return alreadyExists(`Rollout ${quote(rolloutId)} already exists`);
}

/** ALREADY_EXISTS for a resources snapshot id. */
export function resourcesExist(resourcesId: string): StoreError {
  return alreadyExists(`Resources ${quote(resourcesId)} already exist`);
}

/** UNAVAILABLE for any store call after close(), on every backend. */
export function storeClosed(): StoreError {
  return unavailable('the store is closed');
}
