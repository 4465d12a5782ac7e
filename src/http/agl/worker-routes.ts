import type { HttpRouteDeps } from '../routes';
import type { Route } from '../router';
import { objectFields, queryFields } from './fields';
import { aglReply } from './json-out';
import { parseBody } from './json-source';
import { pageJson } from './paging';
import { workerJson } from './records-json';
import { workerQueryFromAgl, workerStatsFromAgl } from './worker-requests';

/** Worker routes (reference §10.3 routes 14-17): query, read and heartbeat workers. */
export function workerRoutes({ store }: HttpRouteDeps): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/v1/agl/workers',
      handler: async (req) => aglReply(200, pageJson(await store.queryWorkers(workerQueryFromAgl(queryFields(req.query))), workerJson)),
    },
    {
      method: 'POST',
      pattern: '/v1/agl/workers/search',
      handler: async (req) => {
        const query = workerQueryFromAgl(objectFields(parseBody(req.body), 'body'));
        return aglReply(200, pageJson(await store.queryWorkers(query), workerJson));
      },
    },
    {
      method: 'GET',
      pattern: '/v1/agl/workers/:workerId',
      handler: async (req) => aglReply(200, workerJson(await store.getWorker(req.params['workerId']!))),
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
