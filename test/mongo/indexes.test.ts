import { ObjectId } from 'mongodb';
import { FakeClock } from '../../src/domain/clock';
import { LightningStore } from '../../src/store/lightning-store';
import { MemoryBackend } from '../../src/store/memory/memory-backend';
import { claimDoc, recordDoc, resourcesFields, rolloutDoc, rolloutFields, spanDoc, workerFields } from '../../src/store/mongo/documents';
import type { IndexSpec } from '../../src/store/mongo/indexes';
import { MONGO_INDEXES, RETIRED_INDEXES } from '../../src/store/mongo/indexes';
import { spanKey } from '../../src/domain/span-rules';
import { llmResources, span, spec } from '../conformance/fixtures';

/**
 * Server-free: every field an index names is carried by every document the builders make. MongoDB
 * indexes a missing field as null, so an index on a field the documents lack covers nothing, and a unique
 * one admits a single document per namespace (the bug of the retired indexes).
 */

type Doc = Record<string, unknown>;

/** The fields of `index` that some document in `docs` lacks. */
function missingFields(index: IndexSpec, docs: readonly Doc[]): string[] {
  return Object.keys(index.key).filter((field) => docs.some((d) => !(field in d)));
}

/** One document of every shape the backend writes, per collection, made from real records. */
async function sampleDocuments(): Promise<Record<string, Doc[]>> {
  const backend = new MemoryBackend();
  const store = new LightningStore({ backend, clock: new FakeClock() });
  const [queued] = await store.enqueueRollouts([spec()]);
  const running = await store.startRollout(spec({ mode: 'train' }), 'w1');
  const owner = { rolloutId: running.rollout.rolloutId, attemptId: running.attempt!.attemptId };
  const [outcome] = await store.addSpans([span(owner, '00f067aa0ba902b7', { sequenceId: 3, startTime: 1, endTime: 2 })], { atomic: true });
  const resources = await store.addResources(llmResources('m'));
  const worker = await store.updateWorker('w2', null);
  const aggs = await backend.getRollouts([queued!.rolloutId, running.rollout.rolloutId]);
  const storedSpan = outcome?.kind === 'stored' ? outcome.span : null;
  if (!storedSpan || aggs.size !== 2) throw new Error('sample records were not made');
  const slot = { at: 1, tie: new ObjectId() };
  const [queuedAgg, runningAgg] = [aggs.get(queued!.rolloutId)!, aggs.get(running.rollout.rolloutId)!];
  // A committed rollout document is the inserted one with the commit's fields set over it.
  const committed = { ...rolloutDoc('ns', runningAgg, null), ...rolloutFields(runningAgg, null, 7), version: 2 };
  await store.close();
  return {
    rollouts: [rolloutDoc('ns', queuedAgg, slot), rolloutDoc('ns', runningAgg, null), committed],
    spans: [spanDoc('ns', spanKey(storedSpan), storedSpan)],
    resources: [recordDoc('ns', 'resources_id', resources.resourcesId, resourcesFields(resources))],
    workers: [recordDoc('ns', 'worker_id', worker.workerId, workerFields(worker))],
    claims: [claimDoc('["ns","rollout","ro-1",2]', 1_700_000_000, new ObjectId())],
  };
}

describe('MongoDB indexes and documents', () => {
  it('every indexed field is carried by every document of its collection', async () => {
    const docs = await sampleDocuments();
    const problems: string[] = [];
    for (const [collection, indexes] of Object.entries(MONGO_INDEXES)) {
      const ofCollection = docs[collection];
      if (!ofCollection) {
        problems.push(`${collection}: no document builder sampled`);
        continue;
      }
      for (const index of indexes) {
        for (const field of missingFields(index, ofCollection)) problems.push(`${collection}.${index.name}: documents lack ${field}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('would catch an index on a field the documents lack, such as a retired one', async () => {
    const docs = await sampleDocuments();
    expect(missingFields({ key: { ns: 1, rolloutarrival: 1 }, name: 'ns_rollout_id' }, docs['rollouts']!)).toEqual(['rolloutarrival']);
  });

  it('declares no index under a retired name', () => {
    for (const [collection, retired] of Object.entries(RETIRED_INDEXES)) {
      const names = (MONGO_INDEXES[collection] ?? []).map((i) => i.name);
      expect(names.filter((n) => retired.includes(n))).toEqual([]);
    }
  });
});
