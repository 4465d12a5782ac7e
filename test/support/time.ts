import { setImmediate as nextTurn } from 'node:timers/promises';

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * True when `promise` has settled after the event loop has had a few turns (I/O included). For asserting
 * that something has not happened yet; a positive answer is read by awaiting the promise itself.
 */
export async function settled(promise: Promise<unknown>, turns = 5): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < turns && !done; i++) await nextTurn();
  return done;
}
