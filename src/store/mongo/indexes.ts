import type { Collection, Db } from 'mongodb';
import { MongoServerError } from 'mongodb';

/** One secondary index of a collection. */
export interface IndexSpec {
  readonly key: Record<string, 1 | -1>;
  readonly name: string;
}

/**
 * Every secondary index the hot queries use; each starts with `ns`, so namespaces never mix. None is
 * unique: point reads, inserts that must not clash and the compare-and-set all go by `_id` (namespace and
 * key, see recordId), which is always unique. Every field named here is carried by every document the
 * builders in documents.ts make (test/mongo/indexes.test.ts checks it): MongoDB indexes a missing field
 * as null, so an index on a field documents lack is at best useless and, if unique, admits one document.
 */
export const MONGO_INDEXES: Readonly<Record<string, readonly IndexSpec[]>> = {
  rollouts: [
    { key: { ns: 1, arrival: 1 }, name: 'ns_arrival' },
    { key: { ns: 1, queue_at: 1, queue_tie: 1 }, name: 'ns_queue' },
    { key: { ns: 1, deadline: 1 }, name: 'ns_deadline' },
    { key: { ns: 1, status: 1, arrival: 1 }, name: 'ns_status' },
    { key: { ns: 1, attempt_ids: 1 }, name: 'ns_attempt_ids' },
  ],
  spans: [
    { key: { ns: 1, rollout_id: 1, sequence_id: 1, start_time: 1, arrival: 1 }, name: 'ns_rollout_order' },
    { key: { ns: 1, rollout_id: 1, attempt_id: 1, sequence_id: 1, start_time: 1, arrival: 1 }, name: 'ns_attempt_order' },
  ],
  resources: [{ key: { ns: 1, update_time: 1, written: 1 }, name: 'ns_latest' }],
  workers: [{ key: { ns: 1, status: 1, arrival: 1 }, name: 'ns_status' }],
  claims: [{ key: { taken: 1 }, name: 'taken' }],
};

/**
 * Indexes of older releases, dropped at start. The unique ones named fields no document carries
 * (`rolloutarrival` and the like): MongoDB indexes the missing field as null, so each admitted one
 * document per namespace (FerretDB 1.24 ignored that rule).
 */
export const RETIRED_INDEXES: Readonly<Record<string, readonly string[]>> = {
  rollouts: ['ns_rollout_id'],
  spans: ['ns_span_key'],
  resources: ['ns_resources_id'],
  workers: ['ns_worker_id'],
  // Claims once kept wall-clock milliseconds in `at`; they now keep injected-clock seconds in `taken`.
  claims: ['at'],
};

/** The server's code for "no such index": another server starting at the same time dropped it first. */
const INDEX_NOT_FOUND = 27;

async function dropIndex(col: Collection, name: string): Promise<void> {
  try {
    await col.dropIndex(name);
  } catch (err) {
    if (!(err instanceof MongoServerError && err.code === INDEX_NOT_FOUND)) throw err;
  }
}

function sameKey(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return JSON.stringify(Object.entries(a)) === JSON.stringify(Object.entries(b));
}

/**
 * Migrates the indexes: drops the retired ones and any index that has one of our names but another key
 * or options (an older definition), then creates the missing ones. Idempotent; safe to run from every
 * server at every start. Indexes of other names are left alone (an operator's own).
 */
export async function ensureIndexes(db: Db): Promise<void> {
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const [collection, wanted] of Object.entries(MONGO_INDEXES)) {
    const col = db.collection(collection);
    if (existing.has(collection)) {
      const retired = new Set(RETIRED_INDEXES[collection] ?? []);
      const present = (await col.listIndexes().toArray()) as { name: string; key: Record<string, unknown>; unique?: boolean }[];
      for (const { name, key, unique } of present) {
        const spec = wanted.find((w) => w.name === name);
        const stale = retired.has(name) || (spec !== undefined && (!sameKey(spec.key, key) || unique === true));
        if (stale) await dropIndex(col, name);
      }
    }
    for (const { key, name } of wanted) await col.createIndex(key, { name });
  }
}
