import type { Collection, Document } from 'mongodb';
import type { Condition, Page, Query } from '../../domain/query';
import { compareRecords, matchesFilter, paginate } from '../../domain/query';
import type { Attempt, RolloutAggregate } from '../../domain/records';
import { parseDoc, recordId } from './documents';

/**
 * The rollout documents an attempt query can match, as a filter that an index serves: a required rollout
 * id goes by `_id`, a required attempt id by the `attempt_ids` index; otherwise every rollout of the
 * namespace that has an attempt.
 */
function rolloutScope(ns: string, must: readonly Condition[]): Document {
  const values = (c: Condition): readonly string[] => (c.op === 'eq' ? [c.value] : c.op === 'in' ? c.values : []);
  const byRollout = must.find((c) => c.field === 'rolloutId' && c.op !== 'contains');
  if (byRollout) {
    const ids = values(byRollout).map((id) => recordId(ns, id));
    // One id: plain `_id` equality, the one lookup every server (FerretDB too) serves without a scan.
    return ids.length === 1 ? { _id: ids[0] } : { _id: { $in: ids } };
  }
  const byAttempt = must.find((c) => c.field === 'attemptId' && c.op !== 'contains');
  if (byAttempt) return { ns, attempt_ids: { $in: values(byAttempt) } };
  return { ns, attempt_count: { $gt: 0 } };
}

/**
 * Attempts matching a query. Attempts live inside their rollout: the rollouts in scope are read through
 * an index, then their attempts are filtered, sorted and paged with the domain's own rules.
 */
export async function queryAttempts(rollouts: Collection, ns: string, query: Query): Promise<Page<Attempt>> {
  const docs = (await rollouts.find(rolloutScope(ns, query.filter.must), { projection: { doc: 1 } }).sort({ arrival: 1 }).toArray()) as unknown as { doc: string }[];
  const attempts = docs.flatMap((d) => parseDoc<RolloutAggregate>(d).attempts).filter((a) => matchesFilter(a, query.filter));
  if (query.sort.length > 0) attempts.sort((a, b) => compareRecords(a, b, query.sort));
  return paginate(attempts, query.page);
}
