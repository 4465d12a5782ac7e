import type { Db, IndexSpecification } from 'mongodb';

/**
 * Every index the hot queries use; each starts with `ns`, so namespaces never mix. Point reads and the
 * compare-and-set go by `_id` (namespace and key, see recordId and commitId), which is always unique.
 */
const INDEXES: Record<string, { key: IndexSpecification; name: string; unique?: boolean }[]> = {
  rollouts: [
    { key: { ns: 1, rolloutarrival: 1 }, name: 'ns_rollout_id', unique: true },
    { key: { ns: 1, arrival: 1 }, name: 'ns_arrival' },
    { key: { ns: 1, queue_at: 1, queue_tie: 1 }, name: 'ns_queue' },
    { key: { ns: 1, deadline: 1 }, name: 'ns_deadline' },
    { key: { ns: 1, status: 1, arrival: 1 }, name: 'ns_status' },
  ],
  spans: [
    { key: { ns: 1, rollout_id: 1, attempt_id: 1, spanarrival: 1 }, name: 'ns_span_key', unique: true },
    { key: { ns: 1, rollout_id: 1, sequence_id: 1, start_time: 1, arrival: 1 }, name: 'ns_rollout_order' },
    { key: { ns: 1, rollout_id: 1, attempt_id: 1, sequence_id: 1, start_time: 1, arrival: 1 }, name: 'ns_attempt_order' },
  ],
  resources: [
    { key: { ns: 1, resourcesarrival: 1 }, name: 'ns_resources_id', unique: true },
    { key: { ns: 1, update_time: 1, written: 1 }, name: 'ns_latest' },
  ],
  workers: [
    { key: { ns: 1, workerarrival: 1 }, name: 'ns_worker_id', unique: true },
    { key: { ns: 1, status: 1, arrival: 1 }, name: 'ns_status' },
  ],
  claims: [{ key: { at: 1 }, name: 'at' }],
};

/** Creates the indexes if missing; safe to run from every server at every start. */
export async function ensureIndexes(db: Db): Promise<void> {
  for (const [collection, indexes] of Object.entries(INDEXES)) {
    for (const { key, name, unique } of indexes) await db.collection(collection).createIndex(key, { name, unique: unique ?? false });
  }
}
