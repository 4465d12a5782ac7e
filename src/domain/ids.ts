import { randomBytes } from 'node:crypto';

/** Generates record ids; injectable so that tests can make ids deterministic. */
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
 * Random ids with the reference prefixes ("ro-", "at-", "rs-") and more entropy than the reference:
 * 64 bits for rollouts and resources, 48 bits for attempts (unique within their rollout).
 */
export const randomIds: IdGenerator = {
  rolloutId: () => `ro-${hex(16)}`,
  attemptId: () => `at-${hex(12)}`,
  resourcesId: () => `rs-${hex(16)}`,
};
