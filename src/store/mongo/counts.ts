import type { Db } from 'mongodb';
import type { BackendCounts } from '../backend';

/**
 * Record counts of one namespace: one aggregation over the rollouts, grouped by status and attempt count
 * (so the server counts and only a few rows come back), and an index count per other collection. The
 * attempts are summed here from `attempt_count × rollouts`: FerretDB 1.24's `$sum` over a field returns 0,
 * while its `$sum: 1` is right, so this one pipeline serves every server.
 */
export async function countRecords(db: Db, ns: string): Promise<BackendCounts> {
  const groups = await db
    .collection('rollouts')
    .aggregate<{ _id: { status: string; attempts: number }; n: number }>([
      { $match: { ns } },
      { $group: { _id: { status: '$status', attempts: '$attempt_count' }, n: { $sum: 1 } } },
    ])
    .toArray();
  const byStatus: Record<string, number> = {};
  let rollouts = 0;
  let attempts = 0;
  for (const g of groups) {
    byStatus[g._id.status] = (byStatus[g._id.status] ?? 0) + g.n;
    rollouts += g.n;
    attempts += g._id.attempts * g.n;
  }
  const count = (name: string) => db.collection(name).countDocuments({ ns });
  const [spans, resources, workers] = await Promise.all([count('spans'), count('resources'), count('workers')]);
  return { rollouts, attempts, spans, resources, workers, rolloutsByStatus: byStatus };
}
