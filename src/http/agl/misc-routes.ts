import { cappedWaitSeconds, checkBatchSize } from '../../frontend/limits';
import type { Store } from '../../store/store';
import type { HttpRouteDeps } from '../route-deps';
import type { Route } from '../router';
import { aglReply } from './json-out';
import { parseBody } from './json-source';
import { rolloutJson, statisticsJson } from './records-json';
import { waitFromAgl } from './rollout-requests';

/** The ids among `ids` that name a rollout. */
async function knownRolloutIds(store: Store, ids: readonly string[]): Promise<Set<string>> {
  const page = await store.queryRollouts({ rolloutIdIn: [...new Set(ids)] });
  return new Set(page.items.map((ar) => ar.rollout.rolloutId));
}

/** Statistics and waiting (reference §10.3 routes 18 and 28). */
export function miscRoutes({ store, limits, shutdown }: HttpRouteDeps): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/v1/agl/statistics',
      handler: async () => aglReply(200, statisticsJson(await store.statistics())),
    },
    {
      method: 'POST',
      pattern: '/v1/agl/waits/rollouts',
      handler: async (req) => {
        const { rolloutIds, timeout } = waitFromAgl(parseBody(req.body));
        checkBatchSize(rolloutIds.length, limits.maxBatchSize, 'rollout_ids');
        // A null timeout means "as long as the server allows" (the reference waits without end).
        const seconds = cappedWaitSeconds(timeout ?? undefined, limits.maxWaitSeconds);
        // As in the reference, an unknown id is left out of the answer rather than failing the wait.
        const known = await knownRolloutIds(store, rolloutIds);
        const waited = rolloutIds.filter((id) => known.has(id));
        if (waited.length === 0) return aglReply(200, []);
        return aglReply(200, (await store.waitForRollouts(waited, seconds, shutdown)).map(rolloutJson));
      },
    },
  ];
}
