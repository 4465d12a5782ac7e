import { randomBytes } from 'node:crypto';
import type { NewSpan, RolloutSpec } from '../src/domain/records';
import type { Store } from '../src/store/store';

/** Synthetic workload shaped like agent-lightning's scenario benchmark (its bench note §2.4). */

/** A task spec with a small string input, as the reference benchmark enqueues. */
export function taskSpec(n: number): RolloutSpec {
  return { input: JSON.stringify(`task-${n}`), mode: 'train', resourcesId: null, config: null, metadata: null };
}

/** Pre-generated attribute payloads, so that making spans costs the benchmark nothing. */
const PAYLOADS = Array.from({ length: 64 }, () => randomAttributes(28, 180));
let spanCounter = 0;

function randomAttributes(count: number, valueBytes: number): string {
  const attrs: Record<string, string | number> = {};
  for (let i = 0; i < count; i++) attrs[`attr.${i}.${randomBytes(4).toString('hex')}`] = randomBytes(valueBytes / 2).toString('hex');
  attrs['gen_ai.usage.prompt_tokens'] = 12;
  return JSON.stringify(attrs);
}

/**
 * Spans of one rollout: `count` spans with about 28 attributes and ~5.4 KB of attribute JSON each (the
 * reference benchmark's payload), no sequence ids (the store assigns them).
 */
export function rolloutSpans(rolloutId: string, attemptId: string, count: number): NewSpan[] {
  const traceId = randomBytes(16).toString('hex');
  const base = spanCounter;
  spanCounter += count;
  return Array.from({ length: count }, (_, i) => ({
    rolloutId,
    attemptId,
    sequenceId: null,
    traceId,
    spanId: (base + i).toString(16).padStart(16, '0'),
    parentId: null,
    name: i === count - 1 ? 'agentlightning.reward' : `round${i}`,
    status: { statusCode: 'OK', description: null, extra: '{}' },
    attributes: PAYLOADS[(base + i) % PAYLOADS.length]!,
    events: [],
    links: [],
    startTime: Date.now() / 1000,
    endTime: Date.now() / 1000,
    context: null,
    parent: null,
    resource: { attributes: '{}', schemaUrl: '' },
    extra: '{}',
  }));
}

/** One runner: claims rollouts until the queue is empty, sends `spans` spans for each and finishes it; returns how many it ran. */
export async function runRollouts(store: Store, worker: string, spans: number): Promise<number> {
  let done = 0;
  for (;;) {
    const [claimed] = await store.dequeueRollouts(1, worker);
    if (!claimed?.attempt) return done;
    const { rolloutId, attemptId } = claimed.attempt;
    await store.addSpans(rolloutSpans(rolloutId, attemptId, spans), { atomic: false });
    await store.updateAttempt(rolloutId, attemptId, { status: 'succeeded' });
    done += 1;
  }
}
