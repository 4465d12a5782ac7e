import { checkBatchSize } from '../../frontend/limits';
import type { HttpRouteDeps } from '../route-deps';
import type { Route } from '../router';
import { nullWhenNotFound, REFERENCE_RESOURCES } from './client-contract';
import { aglReply } from './json-out';
import { parseBody } from './json-source';
import { pagedRoutes } from './query-routes';
import { attemptedRolloutJson, rolloutJson } from './records-json';
import {
  dequeueFromAgl,
  enqueueFromAgl,
  rolloutQueryFromAgl,
  rolloutUpdateFromAgl,
  startRolloutFromAgl,
} from './rollout-requests';

/**
 * Rollout routes (reference §10.3 routes 2-8): queue, start, query, read and update rollouts. As in the
 * reference, an unknown rollout reads as null and a `resources_id` naming no snapshot is stored as given.
 */
export function rolloutRoutes({ store, limits }: HttpRouteDeps): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/v1/agl/queues/rollouts/enqueue',
      handler: async (req) => {
        const specs = enqueueFromAgl(parseBody(req.body));
        checkBatchSize(specs.length, limits.maxBatchSize, 'rollouts');
        const rollouts = specs.length === 0 ? [] : await store.enqueueRollouts(specs, REFERENCE_RESOURCES);
        return aglReply(201, rollouts.map(rolloutJson));
      },
    },
    {
      method: 'POST',
      pattern: '/v1/agl/queues/rollouts/dequeue',
      handler: async (req) => {
        const { limit, workerId } = dequeueFromAgl(parseBody(req.body));
        // COMPAT: a limit below 1 answers an empty list without touching the store (or the worker).
        if (limit < 1) return aglReply(200, []);
        checkBatchSize(limit, limits.maxBatchSize, 'limit');
        return aglReply(200, (await store.dequeueRollouts(limit, workerId)).map(attemptedRolloutJson));
      },
    },
    {
      method: 'POST',
      pattern: '/v1/agl/rollouts',
      handler: async (req) => {
        const { spec, workerId } = startRolloutFromAgl(parseBody(req.body));
        return aglReply(201, attemptedRolloutJson(await store.startRollout(spec, workerId, REFERENCE_RESOURCES)));
      },
    },
    ...pagedRoutes({
      pattern: '/v1/agl/rollouts',
      search: true,
      parse: rolloutQueryFromAgl,
      run: (query) => store.queryRollouts(query),
      item: attemptedRolloutJson,
    }),
    {
      method: 'GET',
      pattern: '/v1/agl/rollouts/:rolloutId',
      handler: async (req) => {
        const found = await nullWhenNotFound(store.getRollout(req.params['rolloutId']!));
        return aglReply(200, found === null ? null : attemptedRolloutJson(found));
      },
    },
    {
      method: 'POST',
      pattern: '/v1/agl/rollouts/:rolloutId',
      handler: async (req) => {
        const update = rolloutUpdateFromAgl(parseBody(req.body));
        return aglReply(200, rolloutJson(await store.updateRollout(req.params['rolloutId']!, update, REFERENCE_RESOURCES)));
      },
    },
  ];
}
