import type { HttpRouteDeps } from '../route-deps';
import type { Route } from '../router';
import { attemptUpdateFromAgl, startAttemptFromAgl } from './attempt-requests';
import { emptyWhenNotFound, nullWhenNotFound } from './client-contract';
import { aglReply } from './json-out';
import { parseBody } from './json-source';
import { ATTEMPT_FIELDS } from './model-fields';
import { windowOf } from './paging';
import { pagedRoutes } from './query-routes';
import { attemptedRolloutJson, attemptJson } from './records-json';

/**
 * Attempt routes (reference §10.3 routes 9-13): start, query, read the latest and update attempts. As in
 * the reference, the attempts of an unknown rollout are an empty page and its latest attempt is null.
 */
export function attemptRoutes({ store }: HttpRouteDeps): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/v1/agl/rollouts/:rolloutId/attempts',
      handler: async (req) => {
        const workerId = startAttemptFromAgl(parseBody(req.body));
        return aglReply(201, attemptedRolloutJson(await store.startAttempt(req.params['rolloutId']!, workerId)));
      },
    },
    ...pagedRoutes({
      pattern: '/v1/agl/rollouts/:rolloutId/attempts',
      search: true,
      parse: (src) => windowOf(src, ATTEMPT_FIELDS, 'sequence_id'),
      run: (window, params) => emptyWhenNotFound(store.queryAttempts(params['rolloutId']!, window), window),
      item: attemptJson,
    }),
    {
      method: 'GET',
      pattern: '/v1/agl/rollouts/:rolloutId/attempts/latest',
      handler: async (req) => {
        const latest = await nullWhenNotFound(store.getLatestAttempt(req.params['rolloutId']!));
        return aglReply(200, latest === null ? null : attemptJson(latest));
      },
    },
    {
      method: 'POST',
      pattern: '/v1/agl/rollouts/:rolloutId/attempts/:attemptId',
      handler: async (req) => {
        const update = attemptUpdateFromAgl(parseBody(req.body));
        return aglReply(200, attemptJson(await store.updateAttempt(req.params['rolloutId']!, req.params['attemptId']!, update)));
      },
    },
  ];
}
