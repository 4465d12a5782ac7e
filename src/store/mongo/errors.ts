import { MongoNetworkError, MongoNotConnectedError, MongoServerSelectionError, MongoTopologyClosedError } from 'mongodb';
import { unavailable } from '../../domain/errors';

/** True for driver errors that mean "the database cannot be reached now" (the call may be retried). */
export function isConnectionError(err: unknown): boolean {
  return (
    err instanceof MongoNetworkError ||
    err instanceof MongoServerSelectionError ||
    err instanceof MongoNotConnectedError ||
    err instanceof MongoTopologyClosedError
  );
}

/** Runs `fn`, turning connection failures into UNAVAILABLE; every other error passes through. */
export async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isConnectionError(err)) throw unavailable(`database unavailable: ${(err as Error).message}`);
    throw err;
  }
}
