import { randomBytes } from 'node:crypto';

/** Generates record ids; injectable so that tests can make ids deterministic (or make them clash). */
export interface IdGenerator {
  rolloutId(): string;
  attemptId(): string;
  resourcesId(): string;
}

function hex(chars: number): string {
  return randomBytes(Math.ceil(chars / 2))
    .toString('hex')
    .slice(0, chars);
}

/**
 * Random ids of the reference's shape (§1.12), which clients and their tests take as given: "ro-" and
 * "rs-" + 12 hex (48 bits), "at-" + 8 hex (32 bits, unique within its rollout). The store draws again
 * when an id is already taken, so a clash never fails a call.
 */
export const randomIds: IdGenerator = {
  rolloutId: () => `ro-${hex(12)}`,
  attemptId: () => `at-${hex(8)}`,
  resourcesId: () => `rs-${hex(12)}`,
};
