import type { HttpRouteDeps } from '../route-deps';
import type { Route } from '../router';
import { nullWhenNotFound } from './client-contract';
import { aglReply } from './json-out';
import { parseBody } from './json-source';
import { pagedRoutes } from './query-routes';
import { workerJson } from './records-json';
import { workerQueryFromAgl, workerStatsFromAgl } from './worker-requests';

/** Worker routes (reference §10.3 routes 14-17): query, read (an unknown worker is null) and heartbeat workers. */
export function workerRoutes({ store }: HttpRouteDeps): Route[] {
  return [
    ...pagedRoutes({ pattern: '/v1/agl/workers', search: true, parse: workerQueryFromAgl, run: (query) => store.queryWorkers(query), item: workerJson }),
    {
      method: 'GET',
      pattern: '/v1/agl/workers/:workerId',
      handler: async (req) => {
        const found = await nullWhenNotFound(store.getWorker(req.params['workerId']!));
        return aglReply(200, found === null ? null : workerJson(found));
      },
    },
    {
      method: 'POST',
      pattern: '/v1/agl/workers/:workerId',
      handler: async (req) => {
        const stats = workerStatsFromAgl(parseBody(req.body));
        return aglReply(200, workerJson(await store.updateWorker(req.params['workerId']!, stats)));
      },
    },
  ];
}
