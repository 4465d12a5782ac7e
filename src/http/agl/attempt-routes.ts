import type { HttpRouteDeps } from '../routes';
import type { Route } from '../router';
import { attemptUpdateFromAgl, startAttemptFromAgl } from './attempt-requests';
import type { FieldSource } from './fields';
import { objectFields, queryFields } from './fields';
import { aglReply } from './json-out';
import { parseBody } from './json-source';
import { pageJson, windowOf } from './paging';
import { attemptedRolloutJson, attemptJson } from './records-json';

/** Attempt routes (reference §10.3 routes 9-13): start, query, read the latest and update attempts. */
export function attemptRoutes({ store }: HttpRouteDeps): Route[] {
  const query = async (rolloutId: string, src: FieldSource) =>
    aglReply(200, pageJson(await store.queryAttempts(rolloutId, windowOf(src, 'sequence_id')), attemptJson));
  return [
    {
      method: 'POST',
      pattern: '/v1/agl/rollouts/:rolloutId/attempts',
      handler: async (req) => {
        const workerId = startAttemptFromAgl(parseBody(req.body));
        return aglReply(201, attemptedRolloutJson(await store.startAttempt(req.params['rolloutId']!, workerId)));
      },
    },
    {
      method: 'GET',
      pattern: '/v1/agl/rollouts/:rolloutId/attempts',
      handler: (req) => query(req.params['rolloutId']!, queryFields(req.query)),
    },
    {
      method: 'POST',
      pattern: '/v1/agl/rollouts/:rolloutId/attempts/search',
      handler: (req) => query(req.params['rolloutId']!, objectFields(parseBody(req.body), 'body')),
    },
    {
      method: 'GET',
      pattern: '/v1/agl/rollouts/:rolloutId/attempts/latest',
      handler: async (req) => {
        const latest = await store.getLatestAttempt(req.params['rolloutId']!);
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
