import { cappedWaitSeconds, checkBatchSize } from '../../frontend/limits';
import type { HttpRouteDeps } from '../routes';
import type { Route } from '../router';
import { aglReply } from './json-out';
import { parseBody } from './json-source';
import { rolloutJson, statisticsJson } from './records-json';
import { waitFromAgl } from './rollout-requests';

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
        return aglReply(200, (await store.waitForRollouts(rolloutIds, seconds, shutdown)).map(rolloutJson));
      },
    },
  ];
}
