import type { HttpRouteDeps } from '../route-deps';
import type { Route } from '../router';
import { emptyWhenNotFound } from './client-contract';
import { aglReply } from './json-out';
import { parseBody } from './json-source';
import { pagedRoutes } from './query-routes';
import { spanJson } from './span-json';
import { sequenceTargetFromAgl, spanFromAgl, spanQueryFromAgl } from './span-requests';

/**
 * Span routes (reference §10.3 routes 24-27): add one span, query spans (an unknown rollout or attempt
 * is an empty page, as in the reference), allocate a sequence id.
 */
export function spanRoutes({ store, ingest }: HttpRouteDeps): Route[] {
  return [
    {
      method: 'POST',
      pattern: '/v1/agl/spans',
      handler: async (req) => {
        // Through the shared pipeline, so that concurrent posts are written together.
        const { written } = await ingest.openStream('refuse').push([{ span: spanFromAgl(parseBody(req.body)) }]);
        const [outcome] = await written;
        if (outcome?.kind === 'rejected') throw outcome.error;
        // COMPAT: a duplicate (same rollout, attempt and span id) answers null.
        return aglReply(201, outcome?.kind === 'stored' ? spanJson(outcome.span) : null);
      },
    },
    ...pagedRoutes({ pattern: '/v1/agl/spans', search: true, parse: spanQueryFromAgl, run: (query) => emptyWhenNotFound(store.querySpans(query), query), item: spanJson }),
    {
      method: 'POST',
      pattern: '/v1/agl/spans/next',
      handler: async (req) => {
        const [sequenceId] = await store.nextSequenceIds([sequenceTargetFromAgl(parseBody(req.body))]);
        return aglReply(200, { sequence_id: sequenceId ?? null });
      },
    },
  ];
}
